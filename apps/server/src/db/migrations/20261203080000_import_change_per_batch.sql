-- The persons one import batch creates share one change-history row (entity 'person_import', entity_id the
-- import job, action 'import.created') instead of one row each: a million-person import wrote a million
-- record_change rows (about 270 MB with their two indexes, as much as a third of what the import wrote).
-- Each such person points at its creation row here; the person page shows it with the person's own rows
-- (persons.repository `changes`). No foreign key on purpose: the check would run once per imported person,
-- which is what this column saves; the row it points at is written in the same statement and never deleted.
ALTER TABLE person ADD COLUMN created_change bigint;
