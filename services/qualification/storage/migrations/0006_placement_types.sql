-- The placement types an establishment offers (the lot's vocabulary, e.g. 52_week and 38_week),
-- as columns the eligibility query filters on: a referral's pre-selection filter asks for at
-- least one of them (docs/rules.md section 5). Until now they were kept in the record only, and the
-- filter was not applied.
ALTER TABLE establishments ADD COLUMN placement_types text[] NOT NULL DEFAULT '{}';
UPDATE establishments
   SET placement_types = ARRAY(SELECT jsonb_array_elements_text(doc->'placement_type_codes'))
 WHERE doc IS NOT NULL AND jsonb_typeof(doc->'placement_type_codes') = 'array';

ALTER TABLE invitable_members ADD COLUMN placement_types text[] NOT NULL DEFAULT '{}';

-- As in 0002_invitable_members.sql, with the placement types copied too.
CREATE OR REPLACE FUNCTION refresh_invitable_members(ids text[]) RETURNS void
  LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM 1 FROM establishments e
   WHERE e.id IN (SELECT m.establishment_id FROM memberships m WHERE m.id = ANY (ids))
   ORDER BY e.id FOR SHARE OF e;
  PERFORM 1 FROM memberships m WHERE m.id = ANY (ids) ORDER BY m.id FOR NO KEY UPDATE;

  INSERT INTO invitable_lots (lot_id)
  SELECT DISTINCT m.lot_id FROM memberships m
   WHERE m.id = ANY (ids) AND m.state = 'QUALIFIED'
     AND NOT EXISTS (SELECT 1 FROM invitable_lots l WHERE l.lot_id = m.lot_id)
  ON CONFLICT (lot_id) DO NOTHING;

  DELETE FROM invitable_members WHERE membership_id = ANY (ids);
  INSERT INTO invitable_members
    (membership_id, lot_id, lot_key, establishment_id, provider_id, name, type, latitude,
     longitude, min_age, max_age, genders, specialisms, placement_types, ceiling_fee_pence, score,
     score_effective_at)
  SELECT m.id, m.lot_id, l.lot_key, e.id, e.provider_id, e.name, e.type, e.latitude, e.longitude,
         e.min_age, e.max_age, e.genders, e.specialisms, e.placement_types, m.ceiling_fee_pence,
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

CREATE OR REPLACE FUNCTION invitable_members_after_establishment_update() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE invitable_members im
     SET provider_id = e.provider_id, name = e.name, type = e.type, latitude = e.latitude,
         longitude = e.longitude, min_age = e.min_age, max_age = e.max_age, genders = e.genders,
         specialisms = e.specialisms, placement_types = e.placement_types
    FROM new_rows e
   WHERE im.establishment_id = e.id
     AND (im.provider_id, im.name, im.type, im.latitude, im.longitude, im.min_age, im.max_age,
          im.genders, im.specialisms, im.placement_types)
         IS DISTINCT FROM
         (e.provider_id, e.name, e.type, e.latitude, e.longitude, e.min_age, e.max_age,
          e.genders, e.specialisms, e.placement_types);
  RETURN NULL;
END
$$;

DO $$ BEGIN PERFORM refresh_invitable_members(array(SELECT id FROM memberships)); END $$;
