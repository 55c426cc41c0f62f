-- A person import lets new names collect in the trigram index's pending list (gin_pending_list_limit raised for its
-- batches: merging into the index costs less per entry in larger runs) and flushes the list when it ends, so a
-- name search after the import does not scan a long unsorted list. gin_clean_pending_list is for the index's
-- owner only; this function lets the application role flush this one index and nothing else.
CREATE FUNCTION person_name_index_flush() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT gin_clean_pending_list('person_name_trgm_idx'::regclass)
$$;
