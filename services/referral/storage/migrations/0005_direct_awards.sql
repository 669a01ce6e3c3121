-- Direct awards: emergency placements without competition, reported apart from competed awards.
CREATE TABLE direct_awards (
  id                   text        PRIMARY KEY,
  system_id            text        NOT NULL,
  lot_id               text        NOT NULL,
  placing_authority_id text        NOT NULL,
  lead_authority_id    text        NOT NULL,
  provider_id          text        NOT NULL,
  state                text        NOT NULL CHECK (state IN ('MADE', 'REVIEWED')),
  review_on            date        NOT NULL,
  made_at              timestamptz NOT NULL,
  doc                  jsonb       NOT NULL
);
CREATE INDEX direct_awards_by_authority ON direct_awards (placing_authority_id, id);
-- The reviews falling due.
CREATE INDEX direct_awards_review_due ON direct_awards (review_on) WHERE state = 'MADE';
