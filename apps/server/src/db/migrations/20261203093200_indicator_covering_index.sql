-- Indicators (GET /api/indicators): a street-month at 5,000,000 cases read ~16,000 pages through
-- event_case_reported_idx + the table (a month's rows of one street are spread among every street's rows).
-- A covering index on (region_id, reported_at) with every column the aggregate reads gives one index range per
-- region of the subtree and an index-only scan (bench/cases.bench.ts; EXPLAIN ANALYZE in RESULTS.md).
CREATE INDEX event_case_indicator_idx ON event_case (region_id, reported_at)
  INCLUDE (status, grid_id, category_id, lead_org_unit_id, accepted_at, filed_at, dispatched_at, handled_at, closed_at,
           on_time_handle, on_time_close, self_disposed, rework_count, extension_count, suspend_count, satisfaction);
DROP INDEX event_case_reported_idx;
