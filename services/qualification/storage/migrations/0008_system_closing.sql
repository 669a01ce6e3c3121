-- A purchasing system closes by itself at the end of its period of validity and the extensions
-- exercised (docs/rules.md section 3). `ends_on` is the last valid day, a copy of the record's
-- validity.current_end kept by the repository in the statement that writes `doc`; the closing
-- timer's schedule is the partial index: the LIVE systems, by the day they end. Participants'
-- body types and lots stay in `doc` (authorities[].body_type, authorities[].lot_codes): nothing
-- queries them but the record's own rules.
ALTER TABLE purchasing_systems ADD COLUMN ends_on date;

UPDATE purchasing_systems
   SET ends_on = make_date((doc #>> '{validity,current_end,year}')::int,
                           (doc #>> '{validity,current_end,month}')::int,
                           (doc #>> '{validity,current_end,day}')::int)
 WHERE doc #>> '{validity,current_end,year}' IS NOT NULL;

CREATE INDEX purchasing_systems_live_by_end ON purchasing_systems (ends_on, id)
  WHERE state = 'LIVE' AND ends_on IS NOT NULL;
