-- Each assigned evaluator's score (0-5) of each compliant bid's outcomes answer. A bid's scores
-- reach the engine only once every assigned evaluator has scored it.
CREATE TABLE outcome_scores (
  referral_id       text        NOT NULL REFERENCES referrals (id),
  bid_id            text        NOT NULL REFERENCES bids (id),
  evaluator_user_id text        NOT NULL,
  score             integer     NOT NULL CHECK (score BETWEEN 0 AND 5),
  comment           text        NOT NULL DEFAULT '',
  scored_at         timestamptz NOT NULL,
  PRIMARY KEY (bid_id, evaluator_user_id)
);
CREATE INDEX outcome_scores_by_referral ON outcome_scores (referral_id);
