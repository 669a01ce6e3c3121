-- Sealed bids. The content is in `doc` with the rest of the bid; who may read it is the API's
-- rule (the bidder always, others once the referral has closed), not the table's.
CREATE TABLE bids (
  id               text   PRIMARY KEY,
  referral_id      text   NOT NULL REFERENCES referrals (id),
  invitation_id    text   NOT NULL REFERENCES invitations (id),
  establishment_id text   NOT NULL,
  provider_id      text   NOT NULL,
  state            text   NOT NULL CHECK (state IN ('SUBMITTED', 'WITHDRAWN', 'EXCLUDED',
                                 'COMPLIANT', 'AWARDED', 'NOT_AWARDED')),
  version          bigint NOT NULL DEFAULT 1,
  doc              jsonb  NOT NULL
);
CREATE INDEX bids_by_referral ON bids (referral_id, id);
-- At most one standing bid per invitation; a withdrawn one may be followed by another.
CREATE UNIQUE INDEX bids_one_standing_per_invitation ON bids (invitation_id)
  WHERE state <> 'WITHDRAWN';
