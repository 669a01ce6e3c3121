-- KPI returns and performance reviews (docs/rules.md section 8; services/contracts/domain/kpi.h):
-- the KPIs a lead authority defines for its system, the returns providers make per placement and
-- period, and the lead authority's reviews of an establishment's performance.
--
-- As for the IPA, the record is the domain aggregate, not the API message: the columns are what
-- constraints, locks and lists need, `doc` is the whole aggregate as storage/kpi_json.cc writes
-- it, and `version` is the optimistic concurrency version (every save adds 1 and names the
-- version it read).

-- One row per system that has KPIs: the whole set, replaced at once by the lead authority.
-- Returns lock it for share while they are checked against it (KpiRepository).
CREATE TABLE kpi_definition_sets (
  system_id text   PRIMARY KEY,
  version   bigint NOT NULL CHECK (version >= 1),
  doc       jsonb  NOT NULL
);

CREATE TABLE kpi_returns (
  id                   text   PRIMARY KEY,
  ipa_id               text   NOT NULL REFERENCES ipas (id),
  system_id            text   NOT NULL,
  provider_id          text   NOT NULL,
  establishment_id     text   NOT NULL,
  placing_authority_id text   NOT NULL,
  -- The authority leading the IPA's system, whose admins review and whose auditors read returns.
  lead_authority_id    text   NOT NULL,
  period_start         date   NOT NULL,
  period_end           date   NOT NULL,
  state                text   NOT NULL CHECK (state IN ('SUBMITTED', 'ACCEPTED', 'QUERIED')),
  version              bigint NOT NULL CHECK (version >= 1),
  -- The whole return: values, query note, submissions and review.
  doc                  jsonb  NOT NULL,
  CHECK (period_start <= period_end),
  -- One return per IPA and period: a resubmission after a query replaces the values of the row.
  UNIQUE (ipa_id, period_start, period_end)
);
-- A placing authority's, a provider's, a lead authority's and a system's returns, paged by id.
CREATE INDEX kpi_returns_by_authority ON kpi_returns (placing_authority_id, id);
CREATE INDEX kpi_returns_by_provider ON kpi_returns (provider_id, id);
CREATE INDEX kpi_returns_by_lead_authority ON kpi_returns (lead_authority_id, id);
-- Also what CodesInUse scans when a system's definitions are replaced.
CREATE INDEX kpi_returns_by_system ON kpi_returns (system_id, establishment_id, id);

-- Written once: a review is not changed after it is recorded (score_adjustment_id, when the
-- qualification service links its adjustment, would be a save of its own).
CREATE TABLE performance_reviews (
  id                text        PRIMARY KEY,
  system_id         text        NOT NULL,
  lead_authority_id text        NOT NULL,
  establishment_id  text        NOT NULL,
  provider_id       text        NOT NULL,
  period_start      date        NOT NULL,
  period_end        date        NOT NULL,
  reviewed_at       timestamptz NOT NULL,
  version           bigint      NOT NULL CHECK (version >= 1),
  -- The whole review: rating, findings, returns relied on, recommended score change, reviewer.
  doc               jsonb       NOT NULL,
  CHECK (period_start <= period_end)
);
CREATE INDEX performance_reviews_by_system ON performance_reviews (system_id, establishment_id, id);
CREATE INDEX performance_reviews_by_lead_authority ON performance_reviews (lead_authority_id, id);
CREATE INDEX performance_reviews_by_provider ON performance_reviews (provider_id, id);
