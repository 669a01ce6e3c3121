-- Individual Placement Agreements (docs/rules.md section 7): one row per IPA, one per rendered
-- version, one per signature.
--
-- The record is the domain aggregate (services/contracts/domain/ipa.h), not the API message:
-- each table holds the columns that constraints, queries and the timer need, beside a JSON
-- document of the domain type written by storage/ipa_json.cc. `version` is the optimistic
-- concurrency version: every save adds 1 and names the version it read.

CREATE TABLE ipas (
  id                   text        PRIMARY KEY,
  system_id            text        NOT NULL,
  lot_id               text        NOT NULL,
  -- SourceKey of the award, direct award or block call-off: one IPA per source, so a replayed
  -- award event finds the IPA it made and can never make a second.
  source_key           text        NOT NULL UNIQUE,
  placing_authority_id text        NOT NULL,
  provider_id          text        NOT NULL,
  establishment_id     text        NOT NULL,
  state                text        NOT NULL CHECK (state IN ('DRAFT', 'ISSUED', 'SIGNED', 'ACTIVE',
                                     'ENDED', 'CANCELLED')),
  -- When the timer next has work on it: activation on the start date of a SIGNED IPA, or the end
  -- date of a scheduled ending (both at 00:00 UTC); NULL when nothing is scheduled.
  next_due_at          timestamptz,
  created_at           timestamptz NOT NULL,
  version              bigint      NOT NULL CHECK (version >= 1),
  -- Everything else of the aggregate but its versions: draft terms, ending, agreements, history.
  doc                  jsonb       NOT NULL
);
-- A placing authority's and a provider's own IPAs, paged by id.
CREATE INDEX ipas_by_authority ON ipas (placing_authority_id, id);
CREATE INDEX ipas_by_provider ON ipas (provider_id, id);
-- The timer's work list: what is due soonest first.
CREATE INDEX ipas_due ON ipas (next_due_at) WHERE next_due_at IS NOT NULL;

-- A rendered version. Its terms, effective date, bytes and hash are written once (the repository
-- never updates them); its state and the rest of `doc` change as it is signed or closed.
CREATE TABLE ipa_versions (
  ipa_id          text   NOT NULL REFERENCES ipas (id),
  number          int    NOT NULL CHECK (number >= 1),
  state           text   NOT NULL CHECK (state IN ('AWAITING_SIGNATURES', 'IN_FORCE',
                                          'SUPERSEDED', 'REJECTED', 'WITHDRAWN')),
  effective_from  date   NOT NULL,
  terms           jsonb  NOT NULL,
  document        bytea  NOT NULL,
  document_sha256 text   NOT NULL,
  byte_length     bigint NOT NULL,
  -- The rest of the version (origin, reason, proposer, in-force and closing times), no signatures.
  doc             jsonb  NOT NULL,
  PRIMARY KEY (ipa_id, number),
  -- What a party signs is the hash of exactly these bytes.
  CONSTRAINT ipa_versions_hash_of_document
    CHECK (document_sha256 = encode(sha256(document), 'hex')
           AND byte_length = octet_length(document))
);

-- A signature of one party on one version: who, when and which hash. Appended, never changed.
CREATE TABLE ipa_signatures (
  ipa_id          text        NOT NULL,
  version_number  int         NOT NULL,
  party           text        NOT NULL CHECK (party IN ('PLACING_AUTHORITY', 'PROVIDER')),
  -- 0 for the version's first signature, 1 for its second: the order they were given in.
  ordinal         int         NOT NULL CHECK (ordinal >= 0),
  user_id         text        NOT NULL,
  organisation_id text        NOT NULL,
  name            text        NOT NULL,
  position        text        NOT NULL,
  signed_at       timestamptz NOT NULL,
  document_sha256 text        NOT NULL,
  PRIMARY KEY (ipa_id, version_number, party),
  FOREIGN KEY (ipa_id, version_number) REFERENCES ipa_versions (ipa_id, number)
);
