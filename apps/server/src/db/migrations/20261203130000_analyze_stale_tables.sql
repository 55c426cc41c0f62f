-- Planner statistics for the embedded engine. PGlite runs no autovacuum daemon, and ANALYZE is for a table's owner,
-- not the application role: a PGlite database never had statistics, so the planner guessed every row count (a name
-- search among 1.3 M persons read every namesake's heap row and sorted them, 150–230 ms, instead of walking the
-- name index to the page, 20–40 ms). This function lets the application analyze the tables whose size moved by more
-- than a tenth (8 pages at least) since their last ANALYZE or VACUUM, or that were never analyzed: all of public's
-- own tables, or only those named. PostgreSQL's autovacuum does the same on its own; calling it there is harmless.
-- Tables of extensions (PostGIS's spatial_ref_sys) are left to their owner.
CREATE FUNCTION analyze_stale_tables(only_tables text[] DEFAULT NULL) RETURNS text[]
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  t regclass;
  done text[] := '{}';
BEGIN
  FOR t IN
    SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r'
      AND (only_tables IS NULL OR c.relname = ANY (only_tables))
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
      AND pg_relation_size(c.oid) > 0
      AND (c.reltuples < 0
           OR abs(pg_relation_size(c.oid) / current_setting('block_size')::bigint - c.relpages) > 8 + c.relpages / 10)
    ORDER BY c.relname
  LOOP
    EXECUTE format('ANALYZE %s', t);
    done := done || t::text;
  END LOOP;
  RETURN done;
END
$$;
