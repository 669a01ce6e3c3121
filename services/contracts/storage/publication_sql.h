// The SQL of the publication repository (pg_publication_repository.cc), one named constant per
// statement with its parameters, over migrations/0003_publications.sql and, for the awards of a
// period, the `ipas` table of 0001_ipas.sql. As in sql.h: instants as microseconds since 1970,
// bytes as hex text.
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_PUBLICATION_SQL_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_PUBLICATION_SQL_H_

namespace dps::contracts::sql {

// A new publication; no row back when the id is taken (a taken quarter or notice is the unique
// index's violation instead, so the two are told apart without reading the error's text).
// $1 id, $2 system, $3 kind, $4 quarter year (or NULL), $5 quarter (or NULL), $6 IPA (or NULL),
// $7 state, $8 produced at (micros), $9 package (hex), $10 sha256, $11 doc.
inline constexpr char kInsertPublication[] = R"sql(
  INSERT INTO publications (id, system_id, kind, quarter_year, quarter, ipa_id, state,
                            produced_at, package, sha256, version, doc)
  VALUES ($1, $2, $3, $4, $5, $6, $7,
          TIMESTAMPTZ 'epoch' + $8::bigint * INTERVAL '1 microsecond',
          decode($9, 'hex'), $10, 1, $11::jsonb)
  ON CONFLICT (id) DO NOTHING
  RETURNING version)sql";

// The optimistic-concurrency write of the state and the record; the package, its hash and the
// scope columns are never written again. $1 id, $2 expected version, $3 state, $4 doc.
inline constexpr char kUpdatePublication[] = R"sql(
  UPDATE publications
     SET state = $3, doc = $4::jsonb, version = version + 1
   WHERE id = $1 AND version = $2
  RETURNING version)sql";

// $1 id.
inline constexpr char kPublicationVersionOf[] = "SELECT version FROM publications WHERE id = $1";

// Each returns (version, doc, package as hex).
// $1 id.
inline constexpr char kSelectPublication[] =
    "SELECT version, doc, encode(package, 'hex') FROM publications WHERE id = $1";
inline constexpr char kSelectPublicationForUpdate[] =
    "SELECT version, doc, encode(package, 'hex') FROM publications WHERE id = $1 FOR UPDATE";
// $1 system, $2 year, $3 quarter.
inline constexpr char kSelectQuarterly[] = R"sql(
  SELECT version, doc, encode(package, 'hex') FROM publications
   WHERE system_id = $1 AND kind = 'QUARTERLY' AND quarter_year = $2 AND quarter = $3)sql";
// $1 IPA, $2 kind.
inline constexpr char kSelectNotice[] = R"sql(
  SELECT version, doc, encode(package, 'hex') FROM publications
   WHERE ipa_id = $1 AND kind = $2)sql";

// One page by id, without the packages (an empty third column).
// $1 system, $2 kind ('' any), $3 after id ('' from the start), $4 rows (page size + 1).
inline constexpr char kListPublications[] = R"sql(
  SELECT version, doc, '' FROM publications
   WHERE system_id = $1
     AND ($2 = '' OR kind = $2)
     AND id > $3
   ORDER BY id
   LIMIT $4)sql";

// The ids of a system's IPAs awarded in [$2, $3) (micros). awarded_at is kept in the IPA's doc
// (RFC 3339, as created_at); a record written before it was kept falls back to created_at.
// $1 system, $2 from, $3 to.
inline constexpr char kListAwardsBetween[] = R"sql(
  SELECT id FROM ipas
   WHERE system_id = $1
     AND COALESCE(doc->>'awarded_at', doc->>'created_at')::timestamptz
         >= TIMESTAMPTZ 'epoch' + $2::bigint * INTERVAL '1 microsecond'
     AND COALESCE(doc->>'awarded_at', doc->>'created_at')::timestamptz
         < TIMESTAMPTZ 'epoch' + $3::bigint * INTERVAL '1 microsecond'
   ORDER BY id)sql";

}  // namespace dps::contracts::sql

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_PUBLICATION_SQL_H_
