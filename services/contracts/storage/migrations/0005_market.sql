-- Market intelligence's read models (docs/rules.md section 8; domain/market.h): what the referral
-- and qualification streams announce, kept by the market consumer (consumers/market_events.h),
-- and the placements commissioners report making off the system.
--
-- Each event writes rows keyed by what it is about (a referral, an invitation, a bid, a round, a
-- placement, a rating), inserted or upserted, never counted up: a replay writes nothing twice
-- and events arriving out of order (say a bid before its referral's publication) still meet.
-- No table holds anything that identifies a child: ids, need codes, postcode areas and money.

-- A published referral. weights: price, outcomes, needs, features, location, core competency.
CREATE TABLE market_referrals (
  referral_id          text        PRIMARY KEY,
  system_id            text        NOT NULL,
  lot_id               text        NOT NULL,
  placing_authority_id text        NOT NULL,
  region               text        NOT NULL,  -- postcode area of the child's district
  need_codes           text[]      NOT NULL,
  weights              int[]       NOT NULL CHECK (cardinality(weights) = 6),
  published_at         timestamptz NOT NULL
);
CREATE INDEX market_referrals_by_system ON market_referrals (system_id);

-- Where a referral stands: the latest of awarded, no suitable offer, reopened (OPEN) and
-- withdrawn, by the event's time, so a late delivery of an older event changes nothing.
CREATE TABLE market_referral_outcomes (
  referral_id        text             PRIMARY KEY,
  outcome            text             NOT NULL CHECK (outcome IN ('OPEN', 'AWARDED',
                                        'NO_SUITABLE_OFFER', 'WITHDRAWN')),
  outcome_at         timestamptz      NOT NULL,
  -- Of the latest round that found no suitable offer.
  final_invited      int              NOT NULL DEFAULT 0,
  final_radius_miles double precision NOT NULL DEFAULT 0
);

CREATE TABLE market_invitations (
  invitation_id text PRIMARY KEY,
  referral_id   text NOT NULL
);
CREATE INDEX market_invitations_by_referral ON market_invitations (referral_id);

-- A bid submitted; withdrawn ones stay, marked (a withdrawal may arrive first, and then
-- submitted_at is NULL until the submission does). Bids are sealed: reports count a bid only
-- once a close of its referral comes after it (market_closes).
CREATE TABLE market_bids (
  bid_id       text        PRIMARY KEY,
  referral_id  text        NOT NULL,
  withdrawn    boolean     NOT NULL DEFAULT false,
  submitted_at timestamptz
);
CREATE INDEX market_bids_by_referral ON market_bids (referral_id);

-- Each time a referral's round closed (its bids unsealed).
CREATE TABLE market_closes (
  referral_id text        NOT NULL,
  closed_at   timestamptz NOT NULL,
  PRIMARY KEY (referral_id, closed_at)
);

-- reason: the dps.referral.v1.DeclineReason name.
CREATE TABLE market_declines (
  invitation_id text PRIMARY KEY,
  referral_id   text NOT NULL,
  reason        text NOT NULL
);
CREATE INDEX market_declines_by_referral ON market_declines (referral_id);

-- A round reopened at a wider radius.
CREATE TABLE market_reopens (
  referral_id text NOT NULL,
  round       int  NOT NULL,
  PRIMARY KEY (referral_id, round)
);

-- An award, direct award or block call-off, keyed as its IPA is (SourceKey), so reports find the
-- IPA's state, start and costs beside it.
CREATE TABLE market_placements (
  source_key           text        PRIMARY KEY,
  system_id            text        NOT NULL,
  kind                 text        NOT NULL CHECK (kind IN ('COMPETED', 'DIRECT_AWARD',
                                     'BLOCK_CALL_OFF')),
  referral_id          text        NOT NULL,  -- '' for direct awards and call-offs
  lot_id               text        NOT NULL,
  placing_authority_id text        NOT NULL,
  establishment_id     text        NOT NULL,
  region               text        NOT NULL,
  need_codes           text[]      NOT NULL,
  awarded_at           timestamptz NOT NULL,
  -- The evaluated weekly price of a competed award; the weekly fee awarded otherwise.
  weekly_price_pence   bigint      NOT NULL CHECK (weekly_price_pence >= 0),
  ceiling_weekly_pence bigint      CHECK (ceiling_weekly_pence >= 0)  -- competed awards only
);
CREATE INDEX market_placements_by_system ON market_placements (system_id);

-- An establishment's inspection rating as qualification.establishment.rating_changed announced
-- it; the one in force at an award is the latest inspected on or before the award's day.
-- rating: the dps.qualification.v1.Rating name.
CREATE TABLE market_ratings (
  rating_id        text        PRIMARY KEY,
  establishment_id text        NOT NULL,
  rating           text        NOT NULL,
  inspected_on     date        NOT NULL,
  recorded_at      timestamptz NOT NULL
);
CREATE INDEX market_ratings_by_establishment ON market_ratings (establishment_id, inspected_on);

-- Placements a commissioner made outside the system; a new report for the same lot and period
-- replaces the last.
CREATE TABLE market_off_system (
  system_id            text   NOT NULL,
  placing_authority_id text   NOT NULL,
  lot_id               text   NOT NULL,
  period_start         date   NOT NULL,
  period_end           date   NOT NULL CHECK (period_end >= period_start),
  placements           int    NOT NULL CHECK (placements >= 0),
  total_weekly_pence   bigint CHECK (total_weekly_pence >= 0),
  PRIMARY KEY (system_id, placing_authority_id, lot_id, period_start, period_end)
);
