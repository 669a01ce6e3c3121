-- The qualification register, third part: keeping the list clean. Audits of establishments and
-- the score adjustments made to memberships, each with its API record in `doc` (as in 0003) beside
-- the columns the list calls filter on.

-- An audit of one establishment against a system's criteria. provider_id is a copy of the
-- establishment's, so a provider's list of its audits needs no join.
CREATE TABLE audits (
  id               text   PRIMARY KEY,
  system_id        text   NOT NULL REFERENCES purchasing_systems (id),
  establishment_id text   NOT NULL REFERENCES establishments (id),
  provider_id      text   NOT NULL REFERENCES providers (id),
  state            text   NOT NULL CHECK (state IN ('AUDIT_STATE_SCHEDULED', 'AUDIT_STATE_PASSED',
                                                    'AUDIT_STATE_FAILED')),
  due_on           date   NOT NULL,
  version          bigint NOT NULL DEFAULT 1,
  doc              jsonb  NOT NULL
);
CREATE INDEX audits_system ON audits (system_id, establishment_id);
CREATE INDEX audits_provider ON audits (provider_id);
-- At most one audit waits per establishment and system.
CREATE UNIQUE INDEX audits_one_scheduled ON audits (system_id, establishment_id)
  WHERE state = 'AUDIT_STATE_SCHEDULED';

-- A qualification score adjustment as the API returns it. The score in force itself lives in
-- membership_scores (0001); this keeps the adjustment's id, reason and the reviews it rests on.
CREATE TABLE score_adjustments (
  id            text        PRIMARY KEY,
  membership_id text        NOT NULL REFERENCES memberships (id),
  system_id     text        NOT NULL REFERENCES purchasing_systems (id),
  provider_id   text        NOT NULL REFERENCES providers (id),
  effective_at  timestamptz NOT NULL,
  doc           jsonb       NOT NULL
);
CREATE INDEX score_adjustments_membership ON score_adjustments (membership_id);
CREATE INDEX score_adjustments_system ON score_adjustments (system_id);

-- The order ratings were recorded in, so "the latest" is never a tie between two recorded in
-- one transaction (an import may carry two rows for one establishment).
ALTER TABLE inspection_ratings ADD COLUMN recorded_seq bigserial;
DROP INDEX inspection_ratings_latest;
CREATE INDEX inspection_ratings_latest ON inspection_ratings (establishment_id, recorded_seq DESC);
