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

}  // namespace dps::qualification::sql

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_SQL_H_
