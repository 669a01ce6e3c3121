// The SQL of the KPI repository (pg_kpi_repository.cc), one named constant per statement with its
// parameters, over the tables of migrations/0004_kpis.sql. As in sql.h: instants go in as
// microseconds since 1970, days as "YYYY-MM-DD" text, lists of states as one comma-separated text.
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_KPI_SQL_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_KPI_SQL_H_

namespace dps::contracts::sql {

// --- definitions -------------------------------------------------------------------------------

// Each returns (version, doc). $1 system id.
inline constexpr char kSelectDefinitions[] =
    "SELECT version, doc FROM kpi_definition_sets WHERE system_id = $1";
inline constexpr char kSelectDefinitionsForShare[] =
    "SELECT version, doc FROM kpi_definition_sets WHERE system_id = $1 FOR SHARE";
inline constexpr char kSelectDefinitionsForUpdate[] =
    "SELECT version, doc FROM kpi_definition_sets WHERE system_id = $1 FOR UPDATE";

// The first set of a system. A row already there inserts nothing and returns no row (someone set
// the definitions since they were read). $1 system id, $2 doc. Returns the version.
inline constexpr char kInsertDefinitions[] = R"sql(
  INSERT INTO kpi_definition_sets (system_id, version, doc)
  VALUES ($1, 1, $2::jsonb)
  ON CONFLICT (system_id) DO NOTHING
  RETURNING version)sql";

// The optimistic-concurrency write. $1 system id, $2 expected version, $3 doc. Returns the new
// version; no row when the version differs.
inline constexpr char kUpdateDefinitions[] = R"sql(
  UPDATE kpi_definition_sets
     SET doc = $3::jsonb,
         version = version + 1
   WHERE system_id = $1 AND version = $2
  RETURNING version)sql";

// The codes the returns of a system use. $1 system id. Returns (code).
inline constexpr char kCodesInUse[] = R"sql(
  SELECT DISTINCT value->>'code'
    FROM kpi_returns, jsonb_array_elements(doc->'values') AS value
   WHERE system_id = $1)sql";

// --- returns -----------------------------------------------------------------------------------

// A new return at version 1. A taken id inserts nothing and returns no row; a second return of
// one IPA and period is a unique violation, so the two are told apart without reading the
// error's text. $1 id, $2 ipa id, $3 system, $4 provider, $5 establishment, $6 placing authority,
// $7 lead authority, $8 period start, $9 period end, $10 state, $11 doc. Returns the version.
inline constexpr char kInsertReturn[] = R"sql(
  INSERT INTO kpi_returns (id, ipa_id, system_id, provider_id, establishment_id,
                           placing_authority_id, lead_authority_id, period_start, period_end,
                           state, version, doc)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, $9::date, $10, 1, $11::jsonb)
  ON CONFLICT (id) DO NOTHING
  RETURNING version)sql";

// The optimistic-concurrency write: only the state and the doc change (the IPA, parties and
// period of a return never do). $1 id, $2 expected version, $3 state, $4 doc. Returns the new
// version; no row when the id is unknown or the version differs (kReturnVersionOf tells which).
inline constexpr char kUpdateReturn[] = R"sql(
  UPDATE kpi_returns
     SET state = $3,
         doc = $4::jsonb,
         version = version + 1
   WHERE id = $1 AND version = $2
  RETURNING version)sql";

// $1 id.
inline constexpr char kReturnVersionOf[] = "SELECT version FROM kpi_returns WHERE id = $1";

// The return rows; each returns (id, version, doc).
// $1 id.
inline constexpr char kSelectReturn[] = "SELECT id, version, doc FROM kpi_returns WHERE id = $1";
inline constexpr char kSelectReturnForUpdate[] =
    "SELECT id, version, doc FROM kpi_returns WHERE id = $1 FOR UPDATE";
// $1 ipa id, $2 period start, $3 period end.
inline constexpr char kSelectReturnForPeriod[] = R"sql(
  SELECT id, version, doc FROM kpi_returns
   WHERE ipa_id = $1 AND period_start = $2::date AND period_end = $3::date)sql";

// One page by id. $1 ipa ('' any), $2 establishment ('' any), $3 system ('' any), $4 placing
// authority ('' any), $5 provider ('' any), $6 lead authority ('' any), $7 and $8 the first and
// last day of a period the return's must share a day with (both NULL: any), $9 states joined by ','
// ('' any), $10 after id ('' from the start), $11 rows (the page size + 1, to know if more follow).
inline constexpr char kListReturns[] = R"sql(
  SELECT id, version, doc FROM kpi_returns
   WHERE ($1 = '' OR ipa_id = $1)
     AND ($2 = '' OR establishment_id = $2)
     AND ($3 = '' OR system_id = $3)
     AND ($4 = '' OR placing_authority_id = $4)
     AND ($5 = '' OR provider_id = $5)
     AND ($6 = '' OR lead_authority_id = $6)
     AND ($7::date IS NULL OR (period_start <= $8::date AND period_end >= $7::date))
     AND ($9 = '' OR state = ANY (string_to_array($9, ',')))
     AND id > $10
   ORDER BY id
   LIMIT $11)sql";

// --- performance reviews -----------------------------------------------------------------------

// A new review at version 1; a taken id inserts nothing and returns no row. $1 id, $2 system,
// $3 lead authority, $4 establishment, $5 provider, $6 period start, $7 period end, $8 reviewed
// at (micros), $9 doc. Returns the version.
inline constexpr char kInsertReview[] = R"sql(
  INSERT INTO performance_reviews (id, system_id, lead_authority_id, establishment_id,
                                   provider_id, period_start, period_end, reviewed_at, version,
                                   doc)
  VALUES ($1, $2, $3, $4, $5, $6::date, $7::date,
          TIMESTAMPTZ 'epoch' + $8::bigint * INTERVAL '1 microsecond', 1, $9::jsonb)
  ON CONFLICT (id) DO NOTHING
  RETURNING version)sql";

// $1 id. Returns (id, version, doc).
inline constexpr char kSelectReview[] =
    "SELECT id, version, doc FROM performance_reviews WHERE id = $1";

// One page by id. $1 system ('' any), $2 establishment ('' any), $3 provider ('' any), $4 lead
// authority ('' any), $5 after id ('' from the start), $6 rows (the page size + 1).
inline constexpr char kListReviews[] = R"sql(
  SELECT id, version, doc FROM performance_reviews
   WHERE ($1 = '' OR system_id = $1)
     AND ($2 = '' OR establishment_id = $2)
     AND ($3 = '' OR provider_id = $3)
     AND ($4 = '' OR lead_authority_id = $4)
     AND id > $5
   ORDER BY id
   LIMIT $6)sql";

}  // namespace dps::contracts::sql

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_KPI_SQL_H_
