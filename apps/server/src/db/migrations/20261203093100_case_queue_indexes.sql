-- Dispatcher queue (GET /api/cases?view=queue…) at a million cases (bench/cases.bench.ts, EXPLAIN ANALYZE):
-- a status tab of a street scanned every index entry of the street (region_path first, status filtered inside the
-- index: 2,478 buffers for 366 rows at 200,000 cases); with status first the scan reads only the tab's rows.
CREATE INDEX event_case_status_path_idx ON event_case (status, region_path text_pattern_ops, reported_at DESC);
-- The open cases newest first (the 'open' tab and the SLA filters): a backward walk that stops at the page.
CREATE INDEX event_case_open_recent_idx ON event_case (reported_at DESC, id DESC)
  WHERE status IN ('reported','accepted','filed','returned','reviewing','dispatched','handling','feedback','verified');
