-- Mutating requests carry an idempotency key; the response of the first request with a key is
-- kept here, written in the same transaction as its change, so a retry gets the same answer
-- instead of doing the change twice. `scope` is the caller and the method.
CREATE TABLE idempotency_keys (
  scope          text        NOT NULL,
  key            text        NOT NULL,
  request_sha256 text        NOT NULL,
  response       bytea,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);
