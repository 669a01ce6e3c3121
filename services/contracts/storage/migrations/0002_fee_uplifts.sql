-- Fee uplift requests (docs/rules.md section 7; services/contracts/domain/fee_uplift.h): a provider
-- asks to raise an IPA's core weekly fee, a commissioner decides. One row per request, beside the
-- IPA it belongs to and written in the same transaction as it.
--
-- As for the IPA, the record is the domain aggregate, not the API message: the columns are what
-- constraints and lists need, `doc` is the whole FeeUplift as storage/ipa_json.cc writes it, and
-- `version` is the optimistic concurrency version (every save adds 1 and names the version it
-- read).

CREATE TABLE fee_uplifts (
  id                   text        PRIMARY KEY,
  ipa_id               text        NOT NULL REFERENCES ipas (id),
  placing_authority_id text        NOT NULL,
  provider_id          text        NOT NULL,
  -- The authority leading the IPA's purchasing system, whose admins and auditors oversee uplifts.
  lead_authority_id    text        NOT NULL,
  state                text        NOT NULL CHECK (state IN ('REQUESTED', 'APPROVED',
                                     'PARTLY_APPROVED', 'REFUSED', 'WITHDRAWN')),
  -- When the provider submitted it: the 12-month rule counts from here.
  requested_at         timestamptz NOT NULL,
  version              bigint      NOT NULL CHECK (version >= 1),
  -- The whole uplift: fees, effective date, justification, cost pressures, decision.
  doc                  jsonb       NOT NULL
);
-- An IPA's uplifts oldest first: what the 12-month rule reads.
CREATE INDEX fee_uplifts_by_ipa ON fee_uplifts (ipa_id, requested_at, id);
-- A placing authority's, a provider's and a lead authority's own uplifts, paged by id.
CREATE INDEX fee_uplifts_by_authority ON fee_uplifts (placing_authority_id, id);
CREATE INDEX fee_uplifts_by_provider ON fee_uplifts (provider_id, id);
CREATE INDEX fee_uplifts_by_lead_authority ON fee_uplifts (lead_authority_id, id);
-- At most one request of an IPA awaits a decision. The use cases refuse a second under the IPA's
-- row lock; this holds even if a path forgets the lock (the loser's insert is a unique violation).
CREATE UNIQUE INDEX fee_uplifts_one_requested ON fee_uplifts (ipa_id) WHERE state = 'REQUESTED';
