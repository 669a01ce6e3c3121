-- The qualification register, fourth part: the contracts service's performance reviews, recorded
-- from contracts.performance_review.recorded (consumers/performance_review_events.h), which score
-- adjustments cite. `doc` is the API record (dps.qualification.v1.RecordedPerformanceReview).
--
-- No foreign keys to systems or establishments: the row is what another service announced, kept
-- as it came; a review of an establishment this register does not hold can simply never be cited.
-- None to score_adjustments either: the adjustment and its citations are written in one
-- transaction by the one use case that makes adjustments (app/score_adjustment.h).
CREATE TABLE performance_reviews (
  id                  text        PRIMARY KEY,
  system_id           text        NOT NULL,
  establishment_id    text        NOT NULL,
  reviewed_at         timestamptz NOT NULL,
  -- The adjustment that cited it, once one has: a review moves a score once.
  score_adjustment_id text,
  doc                 jsonb       NOT NULL
);
-- The lead authority's list: a system's reviews in id order (a system has hundreds, not millions).
CREATE INDEX performance_reviews_system ON performance_reviews (system_id, id);
