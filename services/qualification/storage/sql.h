// The SQL of the qualification register's repositories, one named constant per statement, each
// with its parameters listed. Kept apart from the C++ so a reader sees every statement the
// service runs in one place, and so tests can EXPLAIN the very text the repository runs.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_SQL_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_SQL_H_

namespace dps::qualification::sql {

// Session settings for the eligibility query, in the caller's transaction only. The query is short
// and its answer small: starting parallel workers (~20 ms here) or JIT-compiling it (10-40 ms)
// costs more than running it.
inline constexpr char kEligibilitySettings[] =
    "SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0";

// The eligible members of a lot. Parameters:
//   $1 lot id, $2 latitude, $3 longitude, $4 radius in miles, $5 the padded radius in metres,
//   $6 child age, $7 child gender, $8 placement type or NULL, $9 required specialisms joined by
//   ',' ('' for none), $10 max ceiling pence or NULL, $11 as_of or NULL (now), $12 limit.
inline constexpr char kFindEligible[] = R"sql(
  WITH candidates AS (
    SELECT e.id, e.provider_id, e.name, e.type, e.latitude, e.longitude,
           m.id AS membership_id, m.ceiling_fee_pence,
           haversine_miles($2, $3, e.latitude, e.longitude) AS miles
      FROM establishments e
      JOIN memberships m ON m.establishment_id = e.id
     -- 1. Near the child: the GiST index on location finds the establishments whose point lies
     --    in the box of the padded radius around the child. This is the index condition
     --    ST_DWithin rewrites itself to; ST_DWithin itself is not used because its selectivity
     --    estimate is far too low (the planner then chose a nested loop over a seq scan of
     --    memberships: 6.5 s instead of 10 ms) and its cost estimate switches JIT on.
     WHERE e.location && _ST_Expand(ST_SetSRID(ST_MakePoint($3, $2), 4326)::geography, $5)
     -- 2. Invitable members of the lot only: suspended and excluded members get no referrals.
       AND m.lot_id = $1
       AND m.state = 'QUALIFIED'
     -- 3. The child's age and gender, then the pre-selection filters.
       AND e.min_age <= $6 AND e.max_age >= $6
       AND $7 = ANY (e.genders)
       AND ($8::text IS NULL OR e.type = $8::text)
       AND e.specialisms @> string_to_array($9, ',')
       AND ($10::bigint IS NULL OR m.ceiling_fee_pence <= $10::bigint)
  ),
  nearest AS (
    -- 4. The exact radius on the haversine distance, nearest first, ties by id: the box of step 1
    --    only narrows the candidates, this decides.
    SELECT * FROM candidates WHERE miles <= $4 ORDER BY miles, id LIMIT $12
  )
  -- 5. The score in force at as_of: the latest score row at or before it, looked up only for the
  --    rows returned.
  SELECT n.id, n.provider_id, n.membership_id, n.name, n.type, n.latitude, n.longitude, n.miles,
         n.ceiling_fee_pence, s.score::float8
    FROM nearest n
    LEFT JOIN LATERAL (
      SELECT ms.score FROM membership_scores ms
       WHERE ms.membership_id = n.membership_id
         AND ms.effective_at <= COALESCE($11::timestamptz, now())
       ORDER BY ms.effective_at DESC
       LIMIT 1) s ON true
   ORDER BY n.miles, n.id)sql";

// One establishment and its membership of the lot (NULLs when it is not a member), with the
// same distance FindEligible computes. $1 lot id, $2 latitude, $3 longitude, $4 establishment.
inline constexpr char kExplainEligibility[] = R"sql(
  SELECT e.min_age, e.max_age, array_to_string(e.genders, ','), e.type,
         array_to_string(e.specialisms, ','),
         haversine_miles($2, $3, e.latitude, e.longitude),
         m.state,
         to_char(m.state_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
         m.state_reason, m.ceiling_fee_pence
    FROM establishments e
    LEFT JOIN memberships m ON m.establishment_id = e.id AND m.lot_id = $1
   WHERE e.id = $4)sql";

}  // namespace dps::qualification::sql

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_SQL_H_
