-- The transactional outbox and the idempotent-consumer ledger, created in every service schema.

-- Events written in the same transaction as the state change they announce. The relay
-- publishes unpublished rows to Redis Streams in id order and then stamps published_at.
CREATE TABLE outbox (
  id           bigserial   PRIMARY KEY,
  event_id     uuid        NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  stream       text        NOT NULL,
  event_type   text        NOT NULL,
  aggregate_id text        NOT NULL DEFAULT '',
  request_id   text        NOT NULL DEFAULT '',
  payload      bytea       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

-- Wake the relay at once instead of waiting for its next poll.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('dps_outbox', TG_TABLE_SCHEMA);
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
  FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Events a consumer group has applied, recorded in the same transaction as the effect, so a
-- redelivered event is recognised and skipped: at-least-once delivery, exactly-once effect.
CREATE TABLE processed_events (
  consumer_group text        NOT NULL,
  event_id       uuid        NOT NULL,
  processed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, event_id)
);
