-- Signed checkpoints of the audit chain (platform/audit/checkpoint.h): the chain's size and head
-- hash at a time, as a JWS signed with the service's own key. Issued on a schedule by one
-- replica at a time; a chain that has not grown since the last one gets no new checkpoint.
-- Append-only like the log itself. Deleting rows here needs the schema owner's rights and still
-- leaves the copies in the checkpoint file outside the database.
CREATE TABLE audit_checkpoints (
  size      bigint      PRIMARY KEY CHECK (size >= 1),
  head_hash text        NOT NULL,
  issued_at timestamptz NOT NULL,
  jws       text        NOT NULL
);

CREATE FUNCTION audit_checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_checkpoints is append-only: a checkpoint is never changed or removed';
END $$;
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_append_only();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoints_append_only();
