-- The qualification register, second part: the records the QualificationService API manages.
--
-- Each record keeps its whole API form (the dps.qualification.v1 message, in protobuf's JSON
-- mapping) in `doc`, beside the columns that queries, constraints and the spatial index need.
-- `doc` is what Get returns; the columns are copies kept in step by the repositories, in the same
-- statement. `version` is the optimistic-concurrency version the API exposes.

ALTER TABLE purchasing_systems
  ADD COLUMN state   text   NOT NULL DEFAULT 'DRAFT' CHECK (state IN ('DRAFT', 'LIVE', 'CLOSED')),
  ADD COLUMN version bigint NOT NULL DEFAULT 1,
  ADD COLUMN doc     jsonb  NOT NULL DEFAULT '{}';

ALTER TABLE lots
  ADD COLUMN version bigint NOT NULL DEFAULT 1,
  ADD COLUMN doc     jsonb  NOT NULL DEFAULT '{}';

-- A qualification criterion; lot_ids in doc (empty: every lot of the system).
CREATE TABLE criteria (
  id        text   PRIMARY KEY,
  system_id text   NOT NULL REFERENCES purchasing_systems (id),
  code      text   NOT NULL,
  version   bigint NOT NULL DEFAULT 1,
  doc       jsonb  NOT NULL,
  UNIQUE (system_id, code)
);

ALTER TABLE providers
  ADD COLUMN version    bigint      NOT NULL DEFAULT 1,
  ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN doc        jsonb       NOT NULL DEFAULT '{}';

ALTER TABLE establishments
  ADD COLUMN version bigint NOT NULL DEFAULT 1,
  ADD COLUMN doc     jsonb  NOT NULL DEFAULT '{}';
-- Bulk rating imports match rows to establishments by inspectorate reference.
CREATE INDEX establishments_inspectorate_ref ON establishments (inspectorate, urn) WHERE urn <> '';

-- Evidence documents with their expiry dates. The expiry timer's work list is the partial index:
-- evidence still in force, by the day it runs out.
CREATE TABLE evidence (
  id               text  PRIMARY KEY,
  provider_id      text  NOT NULL REFERENCES providers (id),
  establishment_id text  REFERENCES establishments (id),
  criterion_id     text  NOT NULL REFERENCES criteria (id),
  expires_on       date,
  state            text  NOT NULL CHECK (state IN ('VALID', 'EXPIRED', 'SUPERSEDED')),
  doc              jsonb NOT NULL
);
CREATE INDEX evidence_in_force_by_expiry ON evidence (expires_on)
  WHERE state = 'VALID' AND expires_on IS NOT NULL;

CREATE TABLE applications (
  id              text   PRIMARY KEY,
  system_id       text   NOT NULL REFERENCES purchasing_systems (id),
  provider_id     text   NOT NULL REFERENCES providers (id),
  state           text   NOT NULL,
  decision_due_on date,
  version         bigint NOT NULL DEFAULT 1,
  doc             jsonb  NOT NULL
);
CREATE INDEX applications_system_state ON applications (system_id, state, decision_due_on);
CREATE INDEX applications_provider ON applications (provider_id);

ALTER TABLE memberships
  ADD COLUMN system_id   text   REFERENCES purchasing_systems (id),
  ADD COLUMN provider_id text   REFERENCES providers (id),
  ADD COLUMN version     bigint NOT NULL DEFAULT 1,
  ADD COLUMN doc         jsonb  NOT NULL DEFAULT '{}';
CREATE INDEX memberships_establishment ON memberships (establishment_id);

-- Which evidence a membership rests on: an expiry suspends exactly these memberships, naming
-- the criterion the evidence answered.
CREATE TABLE membership_evidence (
  membership_id text NOT NULL REFERENCES memberships (id),
  evidence_id   text NOT NULL REFERENCES evidence (id),
  criterion_id  text NOT NULL,
  PRIMARY KEY (evidence_id, membership_id)
);

-- Inspection outcomes over time; the latest recorded is the establishment's current rating.
CREATE TABLE inspection_ratings (
  id               text        PRIMARY KEY,
  establishment_id text        NOT NULL REFERENCES establishments (id),
  rating           text        NOT NULL,
  inspected_on     date,
  recorded_at      timestamptz NOT NULL,
  doc              jsonb       NOT NULL
);
CREATE INDEX inspection_ratings_latest ON inspection_ratings (establishment_id, recorded_at DESC, id DESC);

CREATE TABLE safeguarding_alerts (
  id               text   PRIMARY KEY,
  system_id        text   NOT NULL REFERENCES purchasing_systems (id),
  establishment_id text   NOT NULL REFERENCES establishments (id),
  status           text   NOT NULL,
  version          bigint NOT NULL DEFAULT 1,
  doc              jsonb  NOT NULL
);
CREATE INDEX safeguarding_alerts_system ON safeguarding_alerts (system_id, establishment_id);
