-- Block contracts for market intelligence's void cost (domain/market.h BlockFact): the places
-- referral.block.created reserves, its call-offs (referral.block.called_off) and when each ends
-- (referral.block.call_off_ended, referral.block.ended).
--
-- As in 0005: rows keyed by what they are about, upserted, so a replay writes nothing twice and
-- an ending delivered before what it ends still meets it. Until the creation (or the call-off)
-- arrives its columns are NULL, and reports leave the row out. Nothing here identifies a child:
-- ids, places, money and days.

CREATE TABLE market_blocks (
  block_contract_id          text   PRIMARY KEY,
  system_id                  text,
  lot_id                     text,
  placing_authority_id       text,
  places                     int    CHECK (places > 0),
  weekly_fee_per_place_pence bigint CHECK (weekly_fee_per_place_pence >= 0),
  period_start               date,
  period_end                 date   CHECK (period_end >= period_start),
  -- referral.block.ended: no place is reserved after it.
  last_day                   date
);
CREATE INDEX market_blocks_by_system ON market_blocks (system_id);

CREATE TABLE market_block_call_offs (
  call_off_id       text PRIMARY KEY,
  block_contract_id text NOT NULL,
  places            int  CHECK (places > 0),
  start_date        date,
  planned_end_date  date,
  ended_on          date  -- its last day; places are free from the next
);
CREATE INDEX market_block_call_offs_by_block ON market_block_call_offs (block_contract_id);
