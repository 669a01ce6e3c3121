// The SQL of PgPerformanceReviewRepository (table performance_reviews, migration 0005), one named
// constant per statement with its parameters listed.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_PERFORMANCE_REVIEW_SQL_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_PERFORMANCE_REVIEW_SQL_H_

namespace dps::qualification::sql {

// Records a review once: a second announcement of the same id inserts nothing, and returns no
// row. The review's time is read from the doc (protobuf's JSON writes a Timestamp in RFC 3339,
// which PostgreSQL reads). $1 id, $2 system, $3 establishment, $4 doc (JSON).
inline constexpr char kRecordPerformanceReview[] = R"sql(
  INSERT INTO performance_reviews (id, system_id, establishment_id, reviewed_at, doc)
  VALUES ($1, $2, $3, ($4::jsonb->>'reviewed_at')::timestamptz, $4::jsonb)
  ON CONFLICT (id) DO NOTHING
  RETURNING id)sql";

// One review, its row locked for the adjustment that cites it. $1 id.
inline constexpr char kLoadPerformanceReviewForUpdate[] = R"sql(
  SELECT doc FROM performance_reviews WHERE id = $1 FOR UPDATE)sql";

// Cites a review not cited before, in its column and its doc alike; no row when it is not
// recorded or already cited. $1 id, $2 the adjustment's id.
inline constexpr char kCitePerformanceReview[] = R"sql(
  UPDATE performance_reviews
     SET score_adjustment_id = $2,
         doc = jsonb_set(doc, '{score_adjustment_id}', to_jsonb($2::text))
   WHERE id = $1 AND score_adjustment_id IS NULL
  RETURNING id)sql";

// A page of a system's reviews in id order (page size + 1 rows, so the caller knows whether more
// follow). $1 system, $2 establishment ('' for all), $3 awaiting an adjustment only, $4 the id
// after which the page starts ('' on the first page), $5 the most rows.
inline constexpr char kListPerformanceReviews[] = R"sql(
  SELECT doc, id FROM performance_reviews
   WHERE system_id = $1
     AND ($2 = '' OR establishment_id = $2)
     AND (NOT $3 OR score_adjustment_id IS NULL)
     AND id > $4
   ORDER BY id
   LIMIT $5)sql";

}  // namespace dps::qualification::sql

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_PERFORMANCE_REVIEW_SQL_H_
