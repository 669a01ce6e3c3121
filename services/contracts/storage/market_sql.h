// The SQL of the market repository (pg_market_repository.cc), one named constant per statement
// with its parameters, over the tables of migrations/0005_market.sql. As in sql.h: instants go
// in and out as microseconds since 1970, days as "YYYY-MM-DD" text; lists (need codes, weights)
// go in and out as JSON arrays, so no value's characters need escaping.
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_MARKET_SQL_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_MARKET_SQL_H_

namespace dps::contracts::sql {

// $1 referral, $2 system, $3 lot, $4 placing authority, $5 region, $6 need codes (JSON),
// $7 weights (JSON, six integers), $8 published at (micros).
inline constexpr char kInsertMarketReferral[] = R"sql(
  INSERT INTO market_referrals (referral_id, system_id, lot_id, placing_authority_id, region,
                                need_codes, weights, published_at)
  VALUES ($1, $2, $3, $4, $5,
          ARRAY(SELECT jsonb_array_elements_text($6::jsonb)),
          ARRAY(SELECT jsonb_array_elements_text($7::jsonb)::int),
          TIMESTAMPTZ 'epoch' + $8::bigint * INTERVAL '1 microsecond')
  ON CONFLICT (referral_id) DO NOTHING)sql";

// Keeps the outcome with the latest time. $1 referral, $2 outcome, $3 at (micros),
// $4 final invited, $5 final radius.
inline constexpr char kUpsertMarketOutcome[] = R"sql(
  INSERT INTO market_referral_outcomes (referral_id, outcome, outcome_at, final_invited,
                                        final_radius_miles)
  VALUES ($1, $2, TIMESTAMPTZ 'epoch' + $3::bigint * INTERVAL '1 microsecond', $4, $5)
  ON CONFLICT (referral_id) DO UPDATE
     SET outcome = excluded.outcome,
         outcome_at = excluded.outcome_at,
         final_invited = excluded.final_invited,
         final_radius_miles = excluded.final_radius_miles
   WHERE market_referral_outcomes.outcome_at <= excluded.outcome_at)sql";

// $1 invitation, $2 referral.
inline constexpr char kInsertMarketInvitation[] = R"sql(
  INSERT INTO market_invitations (invitation_id, referral_id) VALUES ($1, $2)
  ON CONFLICT (invitation_id) DO NOTHING)sql";

// $1 bid, $2 referral, $3 withdrawn, $4 submitted at (micros, or NULL for a withdrawal): once
// withdrawn, a bid stays withdrawn.
inline constexpr char kUpsertMarketBid[] = R"sql(
  INSERT INTO market_bids (bid_id, referral_id, withdrawn, submitted_at)
  VALUES ($1, $2, $3, TIMESTAMPTZ 'epoch' + $4::bigint * INTERVAL '1 microsecond')
  ON CONFLICT (bid_id) DO UPDATE
     SET withdrawn = market_bids.withdrawn OR excluded.withdrawn,
         submitted_at = COALESCE(market_bids.submitted_at, excluded.submitted_at))sql";

// $1 referral, $2 closed at (micros).
inline constexpr char kInsertMarketClose[] = R"sql(
  INSERT INTO market_closes (referral_id, closed_at)
  VALUES ($1, TIMESTAMPTZ 'epoch' + $2::bigint * INTERVAL '1 microsecond')
  ON CONFLICT DO NOTHING)sql";

// $1 invitation, $2 referral, $3 reason.
inline constexpr char kInsertMarketDecline[] = R"sql(
  INSERT INTO market_declines (invitation_id, referral_id, reason) VALUES ($1, $2, $3)
  ON CONFLICT (invitation_id) DO NOTHING)sql";

// $1 referral, $2 round.
inline constexpr char kInsertMarketReopen[] = R"sql(
  INSERT INTO market_reopens (referral_id, round) VALUES ($1, $2)
  ON CONFLICT DO NOTHING)sql";

// $1 source key, $2 system, $3 kind, $4 referral, $5 lot, $6 placing authority,
// $7 establishment, $8 region, $9 need codes (JSON), $10 awarded at (micros), $11 weekly price,
// $12 ceiling (or NULL).
inline constexpr char kInsertMarketPlacement[] = R"sql(
  INSERT INTO market_placements (source_key, system_id, kind, referral_id, lot_id,
                                 placing_authority_id, establishment_id, region, need_codes,
                                 awarded_at, weekly_price_pence, ceiling_weekly_pence)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
          ARRAY(SELECT jsonb_array_elements_text($9::jsonb)),
          TIMESTAMPTZ 'epoch' + $10::bigint * INTERVAL '1 microsecond', $11, $12)
  ON CONFLICT (source_key) DO NOTHING)sql";

// $1 rating id, $2 establishment, $3 rating, $4 inspected on, $5 recorded at (micros).
inline constexpr char kInsertMarketRating[] = R"sql(
  INSERT INTO market_ratings (rating_id, establishment_id, rating, inspected_on, recorded_at)
  VALUES ($1, $2, $3, $4::date, TIMESTAMPTZ 'epoch' + $5::bigint * INTERVAL '1 microsecond')
  ON CONFLICT (rating_id) DO NOTHING)sql";

// A block's creation. $1 block, $2 system, $3 lot, $4 placing authority, $5 places, $6 weekly
// fee per place, $7 period start, $8 period end. An ending recorded first keeps its last day.
inline constexpr char kUpsertMarketBlock[] = R"sql(
  INSERT INTO market_blocks (block_contract_id, system_id, lot_id, placing_authority_id, places,
                             weekly_fee_per_place_pence, period_start, period_end)
  VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8::date)
  ON CONFLICT (block_contract_id) DO UPDATE
     SET system_id = excluded.system_id,
         lot_id = excluded.lot_id,
         placing_authority_id = excluded.placing_authority_id,
         places = excluded.places,
         weekly_fee_per_place_pence = excluded.weekly_fee_per_place_pence,
         period_start = excluded.period_start,
         period_end = excluded.period_end)sql";

// A block's ending. $1 block, $2 last day.
inline constexpr char kUpsertMarketBlockEnded[] = R"sql(
  INSERT INTO market_blocks (block_contract_id, last_day) VALUES ($1, $2::date)
  ON CONFLICT (block_contract_id) DO UPDATE SET last_day = excluded.last_day)sql";

// A call-off into a block. $1 call-off, $2 block, $3 places, $4 start date, $5 planned end date.
// An ending recorded first keeps its day.
inline constexpr char kUpsertMarketBlockCallOff[] = R"sql(
  INSERT INTO market_block_call_offs (call_off_id, block_contract_id, places, start_date,
                                      planned_end_date)
  VALUES ($1, $2, $3, $4::date, $5::date)
  ON CONFLICT (call_off_id) DO UPDATE
     SET places = excluded.places,
         start_date = excluded.start_date,
         planned_end_date = excluded.planned_end_date)sql";

// A call-off's ending. $1 call-off, $2 block, $3 its last day.
inline constexpr char kUpsertMarketBlockCallOffEnded[] = R"sql(
  INSERT INTO market_block_call_offs (call_off_id, block_contract_id, ended_on)
  VALUES ($1, $2, $3::date)
  ON CONFLICT (call_off_id) DO UPDATE SET ended_on = excluded.ended_on)sql";

// A system's blocks whose creation has been recorded. $1 system. Returns (block, lot, placing
// authority, places, weekly fee per place, first day, last day: the ending's or the period's).
inline constexpr char kSelectMarketBlocks[] = R"sql(
  SELECT block_contract_id, lot_id, placing_authority_id, places, weekly_fee_per_place_pence,
         period_start::text, COALESCE(last_day, period_end)::text
    FROM market_blocks
   WHERE system_id = $1 AND places IS NOT NULL
   ORDER BY block_contract_id)sql";

// The recorded call-offs of a system's blocks. $1 system. Returns (block, call-off, places,
// start date, planned end date, ended on or NULL).
inline constexpr char kSelectMarketBlockCallOffs[] = R"sql(
  SELECT c.block_contract_id, c.call_off_id, c.places, c.start_date::text,
         c.planned_end_date::text, c.ended_on::text
    FROM market_block_call_offs c
    JOIN market_blocks b ON b.block_contract_id = c.block_contract_id
   WHERE b.system_id = $1 AND c.places IS NOT NULL
   ORDER BY c.block_contract_id, c.call_off_id)sql";

// A system's referrals with their counts and outcome. $1 system. Returns (referral, lot,
// placing authority, region, need codes JSON, weights JSON, published at micros, invitations,
// unsealed live bids: submitted before the referral's latest close and not withdrawn, reopened
// rounds, outcome, final invited, final radius).
inline constexpr char kSelectMarketReferrals[] = R"sql(
  SELECT r.referral_id, r.lot_id, r.placing_authority_id, r.region,
         to_jsonb(r.need_codes)::text, to_jsonb(r.weights)::text,
         (EXTRACT(EPOCH FROM r.published_at) * 1000000)::bigint,
         (SELECT count(*) FROM market_invitations i WHERE i.referral_id = r.referral_id),
         (SELECT count(*) FROM market_bids b
           WHERE b.referral_id = r.referral_id AND NOT b.withdrawn
             AND b.submitted_at <= (SELECT max(c.closed_at) FROM market_closes c
                                     WHERE c.referral_id = r.referral_id)),
         (SELECT count(*) FROM market_reopens o WHERE o.referral_id = r.referral_id),
         COALESCE(o.outcome, 'OPEN'), COALESCE(o.final_invited, 0),
         COALESCE(o.final_radius_miles, 0)
    FROM market_referrals r
    LEFT JOIN market_referral_outcomes o ON o.referral_id = r.referral_id
   WHERE r.system_id = $1
   ORDER BY r.referral_id)sql";

// The declines of a system's referrals by reason. $1 system. Returns (referral, reason, count).
inline constexpr char kSelectMarketDeclines[] = R"sql(
  SELECT d.referral_id, d.reason, count(*)
    FROM market_declines d
    JOIN market_referrals r ON r.referral_id = d.referral_id
   WHERE r.system_id = $1
   GROUP BY d.referral_id, d.reason)sql";

// A system's placements, each with whether the rating in force at its award (the latest
// inspected on or before the award's UTC day) is Good or Outstanding. $1 system. Returns
// (source key, kind, referral, lot, placing authority, establishment, region, need codes JSON,
// awarded at micros, weekly price, ceiling or NULL, good or outstanding).
inline constexpr char kSelectMarketPlacements[] = R"sql(
  SELECT p.source_key, p.kind, p.referral_id, p.lot_id, p.placing_authority_id,
         p.establishment_id, p.region, to_jsonb(p.need_codes)::text,
         (EXTRACT(EPOCH FROM p.awarded_at) * 1000000)::bigint,
         p.weekly_price_pence, p.ceiling_weekly_pence,
         COALESCE((SELECT g.rating IN ('RATING_GOOD', 'RATING_OUTSTANDING')
                     FROM market_ratings g
                    WHERE g.establishment_id = p.establishment_id
                      AND g.inspected_on <= (p.awarded_at AT TIME ZONE 'UTC')::date
                    ORDER BY g.inspected_on DESC, g.recorded_at DESC
                    LIMIT 1), false)
    FROM market_placements p
   WHERE p.system_id = $1
   ORDER BY p.source_key)sql";

// $1 system. Returns (placing authority, lot, period start, period end, placements, total
// weekly or NULL).
inline constexpr char kSelectMarketOffSystem[] = R"sql(
  SELECT placing_authority_id, lot_id, period_start::text, period_end::text, placements,
         total_weekly_pence
    FROM market_off_system
   WHERE system_id = $1
   ORDER BY placing_authority_id, lot_id, period_start, period_end)sql";

// $1 system, $2 placing authority, $3 lot, $4 period start, $5 period end, $6 placements,
// $7 total weekly (or NULL).
inline constexpr char kUpsertMarketOffSystem[] = R"sql(
  INSERT INTO market_off_system (system_id, placing_authority_id, lot_id, period_start,
                                 period_end, placements, total_weekly_pence)
  VALUES ($1, $2, $3, $4::date, $5::date, $6, $7)
  ON CONFLICT (system_id, placing_authority_id, lot_id, period_start, period_end) DO UPDATE
     SET placements = excluded.placements,
         total_weekly_pence = excluded.total_weekly_pence)sql";

}  // namespace dps::contracts::sql

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_MARKET_SQL_H_
