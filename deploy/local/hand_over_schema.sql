-- pg_temp.dps_hand_over_schema(schema, role): gives a schema and everything in it to role.
-- For a schema made by an earlier ./dps, when every service connected as the superuser: the
-- service's own role must own what its migrations made, or it could not migrate it further.
-- A temporary function, so nothing of it stays in the database.
CREATE FUNCTION pg_temp.dps_hand_over_schema(schema_name name, new_owner name) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  item record;
BEGIN
  IF (SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = schema_name)
     = new_owner THEN
    RETURN;
  END IF;
  EXECUTE format('ALTER SCHEMA %I OWNER TO %I', schema_name, new_owner);
  -- Relations; a sequence that belongs to a column changes owner with its table.
  FOR item IN
    SELECT c.oid::regclass AS name,
           CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                          WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
                          ELSE 'TABLE' END AS kind
    FROM pg_class c
    WHERE c.relnamespace = schema_name::regnamespace
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d
                      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                        AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
                        AND c.relkind = 'S')
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I', item.kind, item.name, new_owner);
  END LOOP;
  FOR item IN
    SELECT p.oid::regprocedure AS name FROM pg_proc p
    WHERE p.pronamespace = schema_name::regnamespace
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO %I', item.name, new_owner);
  END LOOP;
  -- Enums, ranges, domains and standalone composite types; array types follow their element.
  FOR item IN
    SELECT t.oid::regtype AS name, CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END AS kind
    FROM pg_type t
    WHERE t.typnamespace = schema_name::regnamespace
      AND (t.typtype IN ('e', 'r', 'd')
           OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I', item.kind, item.name, new_owner);
  END LOOP;
END $$;
