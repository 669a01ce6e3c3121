-- The referral service's records: referrals and the invitations they send.
--
-- Each row keeps its whole API form (the dps.referral.v1 message, in protobuf's JSON mapping) in
-- `doc`, beside the columns that queries, constraints and timers need. `doc` is what Get returns;
-- the columns are copies kept in step by the repositories, in the same statement. `version` is
-- the optimistic-concurrency version the API exposes.

CREATE TABLE referrals (
  id                   text        PRIMARY KEY,
  system_id            text        NOT NULL,
  lot_id               text        NOT NULL,
  placing_authority_id text        NOT NULL,
  -- The purchasing system's lead authority, copied at creation: its admins and auditors read
  -- every referral of the system without asking the qualification service each time.
  lead_authority_id    text        NOT NULL,
  state                text        NOT NULL CHECK (state IN ('DRAFT', 'OPEN', 'CLOSED', 'EVALUATED',
                                     'AWAITING_PARENTAL_CHOICE', 'AWARDED', 'WITHDRAWN',
                                     'NO_SUITABLE_OFFER')),
  response_deadline    timestamptz,
  created_at           timestamptz NOT NULL,
  version              bigint      NOT NULL DEFAULT 1,
  doc                  jsonb       NOT NULL
);
-- An authority's own referrals, paged by id.
CREATE INDEX referrals_by_authority ON referrals (placing_authority_id, id);
-- The close timer's work list: open referrals by deadline.
CREATE INDEX referrals_open_by_deadline ON referrals (response_deadline) WHERE state = 'OPEN';

-- One establishment's invitation to a referral; an establishment is invited once per referral.
CREATE TABLE invitations (
  id               text   PRIMARY KEY,
  referral_id      text   NOT NULL REFERENCES referrals (id),
  establishment_id text   NOT NULL,
  provider_id      text   NOT NULL,
  state            text   NOT NULL,
  version          bigint NOT NULL DEFAULT 1,
  doc              jsonb  NOT NULL,
  UNIQUE (referral_id, establishment_id)
);
-- A provider's inbox, paged by id.
CREATE INDEX invitations_by_provider ON invitations (provider_id, id);
