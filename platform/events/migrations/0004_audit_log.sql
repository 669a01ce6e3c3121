-- The audit log (proto/dps/audit/v1/audit.proto): one entry per state change, staged by
-- AppendToOutbox in the same transaction as the change and its event, so an entry exists exactly
-- when the change does. A chainer (platform/audit/log.h, one at a time per schema) then gives
-- each committed entry its place: the next sequence number and its hashes, by the rule of
-- platform/audit/chain.h. Staging takes no lock, so writers never queue behind each other.
CREATE TABLE audit_log (
  staging_id            bigserial   PRIMARY KEY,
  -- Gap-free from 1 in chain order; NULL until chained.
  sequence              bigint      UNIQUE CHECK (sequence >= 1),
  entry_id              uuid        NOT NULL UNIQUE,
  -- Microseconds, as PostgreSQL keeps them; the hash is taken over this stored instant.
  recorded_at           timestamptz NOT NULL,
  actor_user_id         text        NOT NULL,
  actor_role            text        NOT NULL,
  actor_organisation_id text        NOT NULL,
  request_id            text        NOT NULL,
  action                text        NOT NULL,
  aggregate_type        text        NOT NULL,
  aggregate_id          text        NOT NULL,
  system_id             text        NOT NULL,
  authority_id          text        NOT NULL,
  from_state            text        NOT NULL,
  to_state              text        NOT NULL,
  reason                text        NOT NULL,
  details_json          text        NOT NULL,
  prev_hash             text,
  content_hash          text,
  hash                  text        UNIQUE,
  CHECK ((sequence IS NULL) = (hash IS NULL))
);
CREATE INDEX audit_log_unchained ON audit_log (staging_id) WHERE sequence IS NULL;
CREATE INDEX audit_log_by_aggregate ON audit_log (aggregate_type, aggregate_id, sequence);

-- Append-only: an entry is never changed or removed, except that the chainer fills in its place
-- once. (The schema's owner could drop this trigger; the chain and checkpoints catch what it
-- would let through.)
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.sequence IS NULL AND NEW.sequence IS NOT NULL
     AND (NEW.staging_id, NEW.entry_id, NEW.recorded_at, NEW.actor_user_id, NEW.actor_role,
          NEW.actor_organisation_id, NEW.request_id, NEW.action, NEW.aggregate_type,
          NEW.aggregate_id, NEW.system_id, NEW.authority_id, NEW.from_state, NEW.to_state,
          NEW.reason, NEW.details_json)
         IS NOT DISTINCT FROM
         (OLD.staging_id, OLD.entry_id, OLD.recorded_at, OLD.actor_user_id, OLD.actor_role,
          OLD.actor_organisation_id, OLD.request_id, OLD.action, OLD.aggregate_type,
          OLD.aggregate_id, OLD.system_id, OLD.authority_id, OLD.from_state, OLD.to_state,
          OLD.reason, OLD.details_json) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: an entry is never changed or removed';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
