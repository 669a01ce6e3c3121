// The SQL of the qualification register's repositories, one named constant per statement, each
// with its parameters listed. Kept apart from the C++ so a reader sees every statement the
// service runs in one place, and so tests can EXPLAIN the very text the repository runs.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_SQL_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_SQL_H_

namespace dps::qualification::sql {

// Session settings for the eligibility query, in the caller's transaction only. The query is short
// and its answer small: starting parallel workers (~20 ms here) or JIT-compiling it (10-40 ms)
// costs more than running it. The repository runs it as a prepared statement, and its one
// sensible plan (a bitmap scan of the GiST index on (lot_key, position)) does not depend on the
// parameters, so the generic plan is forced: planning again on every call cost ~1 ms.
inline constexpr char kEligibilitySettings[] =
    "SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0; "
    "SET LOCAL plan_cache_mode = force_generic_plan";

// The name the repository prepares kFindEligible under, on each connection that runs it.
inline constexpr char kFindEligibleName[] = "dps_qualification_find_eligible";

// Eligible members of a lot between two distances, nearest first: one step of FindEligiblePage,
// which asks for successive rings round the child until it has a page (see
// eligibility_repository.cc). Parameters:
//   $1 lot id, $2 latitude, $3 longitude, $4 the ring's outer radius in miles (the query's
//   radius in the last ring), $5 boxes in degrees, as box[] text, covering every point within the
//   outer radius that may be farther than the inner one, $6 child age, $7 the child's gender bit
//   (female 1, male 2, other 4), $8 the register's provision type or NULL, $9 required
//   specialisms joined by ',' ('' for none), $10 max ceiling pence or NULL, $11 as_of or NULL
//   (now), $12 and $13 the page token's distance and establishment id (NULLs on the first page),
//   $14 the ring's inner radius (exclusive; NULL in the first ring), $15 the most rows to return,
//   $16 placement types joined by ',' of which the establishment offers at least one ('' for
//   any).
inline constexpr char kFindEligible[] = R"sql(
  SELECT c.establishment_id, c.provider_id, c.membership_id, c.name, c.type, c.latitude,
         c.longitude, c.miles, c.ceiling_fee_pence,
         -- 5. The score in force at as_of: the latest score row, unless as_of is before it
         --    (a referral closed before a six-monthly adjustment), then the history. Computed
         --    after the sort and limit, so only for the rows returned.
         CASE WHEN c.score_effective_at IS NULL THEN NULL
              WHEN c.score_effective_at <= COALESCE($11::timestamptz, now()) THEN c.score
              ELSE (SELECT ms.score::float8 FROM membership_scores ms
                     WHERE ms.membership_id = c.membership_id
                       AND ms.effective_at <= COALESCE($11::timestamptz, now())
                     ORDER BY ms.effective_at DESC
                     LIMIT 1)
         END
    FROM (
      SELECT im.establishment_id, im.provider_id, im.membership_id, im.name, im.type, im.latitude,
             im.longitude, im.ceiling_fee_pence, im.score, im.score_effective_at,
             haversine_miles($2, $3, im.latitude, im.longitude) AS miles
        FROM invitable_members im
       -- 1. Invitable (QUALIFIED) members of the lot in the ring: the GiST index on
       --    (lot_key, position), once per box (a bitmap scan), returns those whose point lies in
       --    one of the boxes.
       WHERE im.lot_key = (SELECT l.lot_key FROM invitable_lots l WHERE l.lot_id = $1)
         AND im.position <@ ANY ($5::box[])
       -- 2. The child's age and gender, then the pre-selection filters.
         AND im.min_age <= $6 AND im.max_age >= $6
         AND im.genders_mask & $7 <> 0
         AND ($8::text IS NULL OR im.type = $8::text)
         AND ($9 = '' OR im.specialisms @> string_to_array($9, ','))
         AND ($16 = '' OR im.placement_types && string_to_array($16, ','))
         AND ($10::bigint IS NULL OR im.ceiling_fee_pence <= $10::bigint)
      -- Keeps this subquery from being merged into the outer one, which would compute the
      -- haversine twice per row (once for the filter, once for the output).
      OFFSET 0
    ) c
   -- 3. The exact radius on the haversine distance: the boxes only narrow the candidates, this
   --    decides. Then the rows after the page token, beyond the inner radius.
   WHERE c.miles <= $4
     AND ($12::float8 IS NULL OR (c.miles, c.establishment_id) > ($12::float8, $13::text))
     AND ($14::float8 IS NULL OR c.miles > $14::float8)
   -- 4. Nearest first, ties by establishment id: a total order, so pages neither skip nor repeat.
   ORDER BY c.miles, c.establishment_id
   LIMIT $15)sql";

// One establishment and its membership of the lot (NULLs when it is not a member), with the
// same distance FindEligible computes, and its placement types. $1 lot id, $2 latitude, $3
// longitude, $4 establishment.
inline constexpr char kExplainEligibility[] = R"sql(
  SELECT e.min_age, e.max_age, array_to_string(e.genders, ','), e.type,
         array_to_string(e.specialisms, ','),
         haversine_miles($2, $3, e.latitude, e.longitude),
         m.state,
         to_char(m.state_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
         m.state_reason, m.ceiling_fee_pence, array_to_string(e.placement_types, ',')
    FROM establishments e
    LEFT JOIN memberships m ON m.establishment_id = e.id AND m.lot_id = $1
   WHERE e.id = $4)sql";

// A lot's memberships by the qualification score in force at as_of, highest first, ties by the
// earlier qualification, then by id: ListMemberships with order_by_score (RankedMembershipsPage).
// Every membership of the lot is scored and ranked before any filter but the lot, so a row's rank
// does not depend on who asks or how the list is narrowed: the rank counts QUALIFIED memberships
// only (the admitted members a call-off may go to, the lot's "ranking at admission" as it stands);
// a membership in another state, when the filter lists it, keeps its place in the order with rank
// 0. A lot without weighted criteria has no score rows: its members score 0 and rank by the order
// they qualified in. Keyset paging: the second column is the position (score, qualified_at, id)
// a page token carries, so a page neither skips nor repeats a membership whose place did not
// change; a score adjusted between two pages moves its membership, as any keyset page would.
// Parameters:
//   $1 lot id, $2 system id ('' for any), $3 provider id ('' for any), $4 establishment id (''
//   for any), $5 states as text[] (QUALIFIED, SUSPENDED, ...; empty for any), $6 and $7 the
//   caller's organisation scope and whether it is lead staff (ListMemberships' scope: '' for
//   none), $8 as_of, $9 $10 $11 the page token's score, qualified_at and id (NULLs on the first
//   page), $12 the most rows to return.
// Columns: doc, position ("score|qualified_at|id"), rank.
inline constexpr char kRankedMemberships[] = R"sql(
  WITH lot_members AS (
    SELECT m.id, m.doc, m.system_id, m.provider_id, m.establishment_id, m.state, m.qualified_at,
           COALESCE((SELECT ms.score FROM membership_scores ms
                      WHERE ms.membership_id = m.id AND ms.effective_at <= $8::timestamptz
                      ORDER BY ms.effective_at DESC
                      LIMIT 1), 0::numeric) AS score
      FROM memberships m
     WHERE m.lot_id = $1
  ), ranked AS (
    SELECT lm.*,
           CASE WHEN lm.state = 'QUALIFIED'
                THEN row_number() OVER (PARTITION BY lm.state = 'QUALIFIED'
                                        ORDER BY lm.score DESC, lm.qualified_at, lm.id)
                ELSE 0
           END AS rank
      FROM lot_members lm
  )
  SELECT r.doc,
         r.score::text || '|' ||
           to_char(r.qualified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '|' ||
           r.id,
         r.rank
    FROM ranked r
   WHERE ($2 = '' OR r.system_id = $2)
     AND ($3 = '' OR r.provider_id = $3)
     AND ($4 = '' OR r.establishment_id = $4)
     AND (cardinality($5::text[]) = 0 OR r.state = ANY ($5::text[]))
     AND ($6 = '' OR r.system_id IN (
            SELECT s.id FROM purchasing_systems s
             WHERE s.lead_authority = $6
                OR (NOT $7 AND s.doc->'authorities' @> jsonb_build_array(
                                  jsonb_build_object('authority_id', $6::text)))))
     AND ($9::numeric IS NULL OR r.score < $9::numeric
          OR (r.score = $9::numeric AND (r.qualified_at, r.id) > ($10::timestamptz, $11::text)))
   ORDER BY r.score DESC, r.qualified_at, r.id
   LIMIT $12)sql";

}  // namespace dps::qualification::sql

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_SQL_H_
