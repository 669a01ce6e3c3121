-- Idempotency keys are kept 7 days: a key older than that is treated as new when it comes back,
-- and the pruner deletes such keys oldest first, which this index serves.
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
