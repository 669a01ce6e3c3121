// The SQL of the IPA and fee uplift repositories (pg_ipa_repository.cc), one named constant per
// statement with its parameters, over the tables of migrations/ (0001_ipas.sql,
// 0002_fee_uplifts.sql).
//
// Instants go in and out as microseconds since 1970 (bigint), so no time zone or text format
// stands between absl::Time and timestamptz; a stored instant keeps microseconds, as PostgreSQL
// does. Rendered bytes go in and out as hex text (decode/encode), whatever libpqxx's binary
// parameter support. Lists of ids and states are one comma-separated text (ids never hold ',').
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_SQL_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_SQL_H_

namespace dps::contracts::sql {

// $1 id, $2 system, $3 lot, $4 source key, $5 placing authority, $6 provider, $7 establishment,
// $8 state, $9 next due (micros or NULL), $10 created at (micros), $11 doc.
inline constexpr char kInsertIpa[] = R"sql(
  INSERT INTO ipas (id, system_id, lot_id, source_key, placing_authority_id, provider_id,
                    establishment_id, state, next_due_at, created_at, version, doc)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
          TIMESTAMPTZ 'epoch' + $9::bigint * INTERVAL '1 microsecond',
          TIMESTAMPTZ 'epoch' + $10::bigint * INTERVAL '1 microsecond', 1, $11::jsonb))sql";

// The optimistic-concurrency write: changes the row only when it is still at the version read.
// $1 id, $2 expected version, $3 state, $4 next due (micros or NULL), $5 doc. Returns the new
// version; no row when the id is unknown or the version differs (kIpaVersionOf tells which).
inline constexpr char kUpdateIpa[] = R"sql(
  UPDATE ipas
     SET state = $3,
         next_due_at = TIMESTAMPTZ 'epoch' + $4::bigint * INTERVAL '1 microsecond',
         doc = $5::jsonb,
         version = version + 1
   WHERE id = $1 AND version = $2
  RETURNING version)sql";

// $1 id.
inline constexpr char kIpaVersionOf[] = "SELECT version FROM ipas WHERE id = $1";

// The IPA rows; each returns (id, version, doc).
// $1 id.
inline constexpr char kSelectIpa[] = "SELECT id, version, doc FROM ipas WHERE id = $1";
inline constexpr char kSelectIpaForUpdate[] =
    "SELECT id, version, doc FROM ipas WHERE id = $1 FOR UPDATE";
// $1 source key.
inline constexpr char kSelectIpaBySource[] =
    "SELECT id, version, doc FROM ipas WHERE source_key = $1";

// The timer's claim: what is due, soonest first, locked; rows another transaction holds are
// skipped rather than waited for, so concurrent timers split the work.
// $1 now (micros), $2 limit.
inline constexpr char kClaimDue[] = R"sql(
  SELECT id, version, doc FROM ipas
   WHERE next_due_at <= TIMESTAMPTZ 'epoch' + $1::bigint * INTERVAL '1 microsecond'
   ORDER BY next_due_at, id
   LIMIT $2
     FOR UPDATE SKIP LOCKED)sql";

// One page by id. $1 placing authority ('' any), $2 provider ('' any), $3 states joined by ','
// ('' any), $4 after id ('' from the start), $5 rows (the page size + 1, to know if more follow),
// $6 lead authority ('' any), $7 system ('' any), $8 establishment ('' any).
inline constexpr char kListIpas[] = R"sql(
  SELECT id, version, doc FROM ipas
   WHERE ($1 = '' OR placing_authority_id = $1)
     AND ($2 = '' OR provider_id = $2)
     AND ($3 = '' OR state = ANY (string_to_array($3, ',')))
     AND ($6 = '' OR doc->>'lead_authority_id' = $6)
     AND ($7 = '' OR system_id = $7)
     AND ($8 = '' OR establishment_id = $8)
     AND id > $4
   ORDER BY id
   LIMIT $5)sql";

// Versions of the IPAs whose ids are joined by ',' in $1, without their bytes.
// Returns (ipa_id, number, state, effective_from, terms, document_sha256, byte_length, doc).
inline constexpr char kSelectVersions[] = R"sql(
  SELECT ipa_id, number, state, effective_from::text, terms, document_sha256, byte_length, doc
    FROM ipa_versions
   WHERE ipa_id = ANY (string_to_array($1, ','))
   ORDER BY ipa_id, number)sql";

// Signatures of the IPAs whose ids are joined by ',' in $1, in the order given.
// Returns (ipa_id, version_number, party, user_id, organisation_id, name, position,
// signed_at micros, document_sha256).
inline constexpr char kSelectSignatures[] = R"sql(
  SELECT ipa_id, version_number, party, user_id, organisation_id, name, position,
         (EXTRACT(EPOCH FROM signed_at) * 1000000)::bigint, document_sha256
    FROM ipa_signatures
   WHERE ipa_id = ANY (string_to_array($1, ','))
   ORDER BY ipa_id, version_number, ordinal)sql";

// A new version with its bytes; the table's check refuses a hash or length not of the bytes.
// $1 ipa id, $2 number, $3 state, $4 effective from (YYYY-MM-DD), $5 terms, $6 bytes as hex,
// $7 sha256, $8 length, $9 doc.
inline constexpr char kInsertVersion[] = R"sql(
  INSERT INTO ipa_versions (ipa_id, number, state, effective_from, terms, document,
                            document_sha256, byte_length, doc)
  VALUES ($1, $2, $3, $4::date, $5::jsonb, decode($6, 'hex'), $7, $8, $9::jsonb))sql";

// What changes of a stored version: its state and the rest of its doc (never its terms, date,
// bytes or hash). $1 ipa id, $2 number, $3 state, $4 doc.
inline constexpr char kUpdateVersion[] =
    "UPDATE ipa_versions SET state = $3, doc = $4::jsonb WHERE ipa_id = $1 AND number = $2";

// A signature, once: signing again leaves the row as it was (signatures are never changed).
// $1 ipa id, $2 version, $3 party, $4 ordinal, $5 user, $6 organisation, $7 name, $8 position,
// $9 signed at (micros), $10 sha256.
inline constexpr char kInsertSignature[] = R"sql(
  INSERT INTO ipa_signatures (ipa_id, version_number, party, ordinal, user_id, organisation_id,
                              name, position, signed_at, document_sha256)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
          TIMESTAMPTZ 'epoch' + $9::bigint * INTERVAL '1 microsecond', $10)
  ON CONFLICT (ipa_id, version_number, party) DO NOTHING)sql";

// $1 ipa id, $2 number. Returns the bytes as hex.
inline constexpr char kSelectDocument[] =
    "SELECT encode(document, 'hex') FROM ipa_versions WHERE ipa_id = $1 AND number = $2";

// IPAs by state, for /metrics: (state, count).
inline constexpr char kIpasByState[] = "SELECT state, count(*) FROM ipas GROUP BY state";

// --- fee uplifts (migrations/0002_fee_uplifts.sql) -------------------------------------------

// A new uplift at version 1. An id already taken inserts nothing and returns no row; a second
// REQUESTED uplift of one IPA is a unique violation (index fee_uplifts_one_requested), so the
// two cases are told apart without reading the error's text.
// $1 id, $2 ipa id, $3 placing authority, $4 provider, $5 lead authority, $6 state,
// $7 requested at (micros), $8 doc. Returns the version.
inline constexpr char kInsertUplift[] = R"sql(
  INSERT INTO fee_uplifts (id, ipa_id, placing_authority_id, provider_id, lead_authority_id,
                           state, requested_at, version, doc)
  VALUES ($1, $2, $3, $4, $5, $6,
          TIMESTAMPTZ 'epoch' + $7::bigint * INTERVAL '1 microsecond', 1, $8::jsonb)
  ON CONFLICT (id) DO NOTHING
  RETURNING version)sql";

// The optimistic-concurrency write, as kUpdateIpa: only the state and the doc change (the IPA,
// parties and submission time of a request never do). $1 id, $2 expected version, $3 state,
// $4 doc. Returns the new version; no row when the id is unknown or the version differs
// (kUpliftVersionOf tells which).
inline constexpr char kUpdateUplift[] = R"sql(
  UPDATE fee_uplifts
     SET state = $3,
         doc = $4::jsonb,
         version = version + 1
   WHERE id = $1 AND version = $2
  RETURNING version)sql";

// $1 id.
inline constexpr char kUpliftVersionOf[] = "SELECT version FROM fee_uplifts WHERE id = $1";

// The uplift rows; each returns (id, version, doc).
// $1 id.
inline constexpr char kSelectUplift[] = "SELECT id, version, doc FROM fee_uplifts WHERE id = $1";
inline constexpr char kSelectUpliftForUpdate[] =
    "SELECT id, version, doc FROM fee_uplifts WHERE id = $1 FOR UPDATE";
// Every uplift of one IPA, oldest request first. $1 ipa id.
inline constexpr char kSelectUpliftsOfIpa[] = R"sql(
  SELECT id, version, doc FROM fee_uplifts
   WHERE ipa_id = $1
   ORDER BY requested_at, id)sql";

// One page by id. $1 ipa ('' any), $2 placing authority ('' any), $3 provider ('' any),
// $4 lead authority ('' any), $5 states joined by ',' ('' any), $6 after id ('' from the start),
// $7 rows (the page size + 1, to know if more follow).
inline constexpr char kListUplifts[] = R"sql(
  SELECT id, version, doc FROM fee_uplifts
   WHERE ($1 = '' OR ipa_id = $1)
     AND ($2 = '' OR placing_authority_id = $2)
     AND ($3 = '' OR provider_id = $3)
     AND ($4 = '' OR lead_authority_id = $4)
     AND ($5 = '' OR state = ANY (string_to_array($5, ',')))
     AND id > $6
   ORDER BY id
   LIMIT $7)sql";

}  // namespace dps::contracts::sql

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_SQL_H_
