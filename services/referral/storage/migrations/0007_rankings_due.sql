-- Referrals whose ranking is to be settled (app/ranking.h): closed and not yet ranked, or whose
-- outcome scores or evaluators changed since the last ranking. The ranker reads a row's
-- generation, asks the qualification and scoring services with no transaction open, and applies
-- their answer only if the row still has that generation; a row left behind (a peer down, a
-- process stopped) is settled by the deadline timer. Generations come from one sequence, so a
-- row deleted and requested again never repeats one a slow ranker may still hold.
CREATE SEQUENCE ranking_generations;
CREATE TABLE rankings_due (
  referral_id  text        PRIMARY KEY REFERENCES referrals (id),
  generation   bigint      NOT NULL,
  requested_at timestamptz NOT NULL,
  -- The "referral.referral.closed" event of the close that asked for this ranking (a serialized
  -- dps.events.v1.ReferralClosed), announced when the ranking is settled so that it can say how
  -- many bids were compliant, or why none could be ranked. NULL for a re-ranking.
  closed_event bytea
);
CREATE INDEX rankings_due_by_request ON rankings_due (requested_at, referral_id);
