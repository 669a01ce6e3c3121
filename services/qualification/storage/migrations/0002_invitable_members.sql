-- The eligibility query's own table: one row per QUALIFIED membership, carrying what the query
-- filters on and returns, so the query reads one index and one table (see ../README.md).
--
-- Kept by triggers on memberships, membership_scores and establishments, so code writing those
-- tables (the service, the loader, an operator's psql) needs nothing more. Nobody writes it
-- directly. It is derived data: `SELECT refresh_invitable_members(array(SELECT id FROM
-- memberships))` rebuilds it, as the end of this file does.

-- The lot and the position in one GiST index: btree_gist supplies GiST's equality on integers.
-- Trusted in PostgreSQL 13 and later, so the service's role may create it; public, beside PostGIS.
CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA public;

-- A small integer for each lot that has invitable members, for the index: btree_gist compares
-- an integer at half the cost of a text id (measured: 0.8 ms instead of 1.7 ms for the 2,900
-- index entries of a 60-mile search round London).
CREATE TABLE invitable_lots (
  lot_id  text    PRIMARY KEY,
  lot_key integer NOT NULL UNIQUE GENERATED ALWAYS AS IDENTITY
);

CREATE TABLE invitable_members (
  membership_id      text     PRIMARY KEY,
  lot_id             text     NOT NULL,
  lot_key            integer  NOT NULL REFERENCES invitable_lots (lot_key),
  establishment_id   text     NOT NULL,
  provider_id        text     NOT NULL,
  name               text     NOT NULL,
  type               text     NOT NULL,
  latitude           float8   NOT NULL,
  longitude          float8   NOT NULL,
  -- (longitude, latitude) in degrees for the index. A plain point, not a PostGIS geography: the
  -- query states its own bounding box in degrees, and a point test against it is a few float
  -- comparisons, where a geography's box is geocentric and derived again on each recheck.
  position           point    NOT NULL GENERATED ALWAYS AS (point(longitude, latitude)) STORED,
  min_age            integer  NOT NULL,
  max_age            integer  NOT NULL,
  genders            text[]   NOT NULL,
  -- genders as bits (female 1, male 2, other 4): one integer test per row instead of unpacking
  -- the array.
  genders_mask       integer  NOT NULL GENERATED ALWAYS AS (
                       ('female' = ANY (genders))::integer
                       | (('male' = ANY (genders))::integer << 1)
                       | (('other' = ANY (genders))::integer << 2)) STORED,
  specialisms        text[]   NOT NULL,
  ceiling_fee_pence  bigint   NOT NULL,
  -- The membership's latest score row (NULLs when it has none: a pass/fail-only lot). It is the
  -- score in force at any as_of from score_effective_at on; an earlier as_of looks the history
  -- up in membership_scores.
  score              float8,
  score_effective_at timestamptz
);
CREATE INDEX invitable_members_lot_position ON invitable_members USING gist (lot_key, position);
CREATE INDEX invitable_members_establishment ON invitable_members (establishment_id);

-- Recomputes the rows of the given memberships from the source tables: deletes them, then
-- inserts those whose membership is QUALIFIED with their establishment and latest score.
--
-- Concurrency (READ COMMITTED, the service's level): two transactions changing the same
-- membership, its scores or its establishment must not each write a row from a snapshot that
-- misses the other's change. So it first locks the establishments FOR SHARE (which waits for an
-- UPDATE of them; the establishments trigger below holds theirs) and the memberships FOR NO KEY
-- UPDATE (which waits for an UPDATE of them and for another refresh), in id order; the
-- statements after the locks take new snapshots, so they see what the waits let commit. Under
-- REPEATABLE READ such a wait ends in a serialization failure instead, which the pool reports
-- as ABORTED (retry).
CREATE FUNCTION refresh_invitable_members(ids text[]) RETURNS void
  LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM 1 FROM establishments e
   WHERE e.id IN (SELECT m.establishment_id FROM memberships m WHERE m.id = ANY (ids))
   ORDER BY e.id FOR SHARE OF e;
  PERFORM 1 FROM memberships m WHERE m.id = ANY (ids) ORDER BY m.id FOR NO KEY UPDATE;

  -- NOT EXISTS first, so that lots already keyed do not use up identity values.
  INSERT INTO invitable_lots (lot_id)
  SELECT DISTINCT m.lot_id FROM memberships m
   WHERE m.id = ANY (ids) AND m.state = 'QUALIFIED'
     AND NOT EXISTS (SELECT 1 FROM invitable_lots l WHERE l.lot_id = m.lot_id)
  ON CONFLICT (lot_id) DO NOTHING;

  DELETE FROM invitable_members WHERE membership_id = ANY (ids);
  INSERT INTO invitable_members
    (membership_id, lot_id, lot_key, establishment_id, provider_id, name, type, latitude,
     longitude, min_age, max_age, genders, specialisms, ceiling_fee_pence, score,
     score_effective_at)
  SELECT m.id, m.lot_id, l.lot_key, e.id, e.provider_id, e.name, e.type, e.latitude, e.longitude,
         e.min_age, e.max_age, e.genders, e.specialisms, m.ceiling_fee_pence,
         s.score::float8, s.effective_at
    FROM memberships m
    JOIN establishments e ON e.id = m.establishment_id
    JOIN invitable_lots l ON l.lot_id = m.lot_id
    LEFT JOIN LATERAL (
      SELECT ms.score, ms.effective_at FROM membership_scores ms
       WHERE ms.membership_id = m.id
       ORDER BY ms.effective_at DESC
       LIMIT 1) s ON true
   WHERE m.id = ANY (ids) AND m.state = 'QUALIFIED';
END
$$;

-- Statement-level triggers with transition tables: a COPY of 20,000 memberships refreshes them
-- in one set-based call rather than 20,000. One trigger per event, as transition tables require.
CREATE FUNCTION invitable_members_after_membership_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM refresh_invitable_members(array(SELECT id FROM new_rows));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM refresh_invitable_members(
      array(SELECT id FROM old_rows UNION SELECT id FROM new_rows));
  ELSE
    DELETE FROM invitable_members WHERE membership_id IN (SELECT id FROM old_rows);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER invitable_members_membership_insert AFTER INSERT ON memberships
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION invitable_members_after_membership_change();
CREATE TRIGGER invitable_members_membership_update AFTER UPDATE ON memberships
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION invitable_members_after_membership_change();
CREATE TRIGGER invitable_members_membership_delete AFTER DELETE ON memberships
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION invitable_members_after_membership_change();

CREATE FUNCTION invitable_members_after_score_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM refresh_invitable_members(array(SELECT DISTINCT membership_id FROM new_rows));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM refresh_invitable_members(
      array(SELECT membership_id FROM old_rows UNION SELECT membership_id FROM new_rows));
  ELSE
    PERFORM refresh_invitable_members(array(SELECT DISTINCT membership_id FROM old_rows));
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER invitable_members_score_insert AFTER INSERT ON membership_scores
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION invitable_members_after_score_change();
CREATE TRIGGER invitable_members_score_update AFTER UPDATE ON membership_scores
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION invitable_members_after_score_change();
CREATE TRIGGER invitable_members_score_delete AFTER DELETE ON membership_scores
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION invitable_members_after_score_change();

-- An establishment's own columns are copied to its members' rows in place. Its UPDATE already
-- holds the establishment's row lock, which refresh_invitable_members waits on, so no refresh of
-- its memberships can interleave with the copy. (An establishment with memberships cannot be
-- deleted or change id: the memberships' foreign key forbids it.)
CREATE FUNCTION invitable_members_after_establishment_update() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE invitable_members im
     SET provider_id = e.provider_id, name = e.name, type = e.type, latitude = e.latitude,
         longitude = e.longitude, min_age = e.min_age, max_age = e.max_age, genders = e.genders,
         specialisms = e.specialisms
    FROM new_rows e
   WHERE im.establishment_id = e.id
     AND (im.provider_id, im.name, im.type, im.latitude, im.longitude, im.min_age, im.max_age,
          im.genders, im.specialisms)
         IS DISTINCT FROM
         (e.provider_id, e.name, e.type, e.latitude, e.longitude, e.min_age, e.max_age,
          e.genders, e.specialisms);
  RETURN NULL;
END
$$;

CREATE TRIGGER invitable_members_establishment_update AFTER UPDATE ON establishments
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION invitable_members_after_establishment_update();

-- TRUNCATE fires no row events; a truncated source empties (or unscores) the copy.
CREATE FUNCTION invitable_members_after_truncate() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'membership_scores' THEN
    UPDATE invitable_members SET score = NULL, score_effective_at = NULL
     WHERE score_effective_at IS NOT NULL;
  ELSE
    DELETE FROM invitable_members;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER invitable_members_membership_truncate AFTER TRUNCATE ON memberships
  FOR EACH STATEMENT EXECUTE FUNCTION invitable_members_after_truncate();
CREATE TRIGGER invitable_members_score_truncate AFTER TRUNCATE ON membership_scores
  FOR EACH STATEMENT EXECUTE FUNCTION invitable_members_after_truncate();

-- Rows already in the register when this migration runs.
DO $$ BEGIN PERFORM refresh_invitable_members(array(SELECT id FROM memberships)); END $$;
