-- Publications of awards (docs/rules.md sections 3 and 7; services/contracts/domain/publication.h):
-- a quarter's OCDS release package (PCR2015_DPS, LIGHT_TOUCH) or one award's notice
-- (PA2023_DYNAMIC_MARKET). One row each, with the package's bytes, written once.
--
-- As for the IPA, the record is the domain aggregate: `doc` is the whole Publication as
-- storage/pg_publication_repository.cc writes it, and the columns are copies that constraints,
-- lookups and lists need. `version` is the optimistic concurrency version.

CREATE TABLE publications (
  id           text        PRIMARY KEY,
  system_id    text        NOT NULL,
  kind         text        NOT NULL CHECK (kind IN ('QUARTERLY', 'CONTRACT_AWARD_NOTICE',
                                                    'CONTRACT_DETAILS_NOTICE')),
  -- QUARTERLY: the calendar quarter (1 = January to March).
  quarter_year int,
  quarter      int         CHECK (quarter BETWEEN 1 AND 4),
  -- Notices: the IPA the notice is of.
  ipa_id       text        REFERENCES ipas (id),
  state        text        NOT NULL CHECK (state IN ('PRODUCED', 'PUBLISHED')),
  produced_at  timestamptz NOT NULL,
  -- The release package, exactly as produced; never updated.
  package      bytea       NOT NULL,
  sha256       text        NOT NULL,
  version      bigint      NOT NULL CHECK (version >= 1),
  doc          jsonb       NOT NULL,
  -- What the lead authority publishes is provably the hash recorded and announced.
  CONSTRAINT publications_hash_of_package CHECK (sha256 = encode(sha256(package), 'hex')),
  -- A quarterly publication names its quarter and no IPA; a notice its IPA and no quarter.
  CONSTRAINT publications_scope CHECK (
    (kind = 'QUARTERLY' AND quarter_year IS NOT NULL AND quarter IS NOT NULL AND ipa_id IS NULL)
    OR (kind <> 'QUARTERLY' AND ipa_id IS NOT NULL AND quarter_year IS NULL AND quarter IS NULL))
);
-- A system publishes each quarter once, and each IPA has at most one notice of each kind: two
-- producers racing cannot make two (the loser's insert is a unique violation).
CREATE UNIQUE INDEX publications_one_per_quarter ON publications (system_id, quarter_year, quarter)
  WHERE kind = 'QUARTERLY';
CREATE UNIQUE INDEX publications_one_notice_per_ipa ON publications (ipa_id, kind)
  WHERE kind <> 'QUARTERLY';
-- A system's publications, paged by id.
CREATE INDEX publications_by_system ON publications (system_id, id);
