-- Each referral's latest mini-competition result with the request that produced it, so a ranking
-- can be replayed and explained (dps.referral.v1.Evaluation in doc).
CREATE TABLE evaluations (
  referral_id text        PRIMARY KEY REFERENCES referrals (id),
  computed_at timestamptz NOT NULL,
  doc         jsonb       NOT NULL
);
