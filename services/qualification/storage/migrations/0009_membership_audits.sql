-- When a membership was last audited (its qualification until the first audit), which the
-- history's next audit line starts from and the record (the API's) does not carry. Written by
-- storage/pg_membership_repository.cc beside `doc` at every save; NULL, read as the
-- qualification, for a membership not audited before this column and not saved since.
ALTER TABLE memberships ADD COLUMN last_audited_at timestamptz;

-- Memberships audited before this column: the day their next audit fell due, less the default
-- interval of 12 months, as the service computed it on every read until now.
UPDATE memberships
   SET last_audited_at = due - interval '12 months'
  FROM (SELECT id AS due_id,
               make_timestamptz((doc #>> '{next_audit_due_on,year}')::int,
                                (doc #>> '{next_audit_due_on,month}')::int,
                                (doc #>> '{next_audit_due_on,day}')::int, 0, 0, 0, 'UTC') AS due
          FROM memberships
         WHERE doc #>> '{next_audit_due_on,year}' IS NOT NULL) dues
 WHERE id = due_id AND due - interval '12 months' > qualified_at;
