-- Block contracts: places reserved with one establishment at an agreed weekly fee, with their
-- call-offs (in doc: a block's call-offs are read and changed with the block, under its lock).
CREATE TABLE block_contracts (
  id                   text   PRIMARY KEY,
  system_id            text   NOT NULL,
  lot_id               text   NOT NULL,
  placing_authority_id text   NOT NULL,
  lead_authority_id    text   NOT NULL,
  establishment_id     text   NOT NULL,
  provider_id          text   NOT NULL,
  state                text   NOT NULL CHECK (state IN ('ACTIVE', 'ENDED')),
  version              bigint NOT NULL DEFAULT 1,
  doc                  jsonb  NOT NULL
);
CREATE INDEX block_contracts_by_authority ON block_contracts (placing_authority_id, id);
