-- The queue's 全部 tab (every status, newest first): with no status to lead an index the street's cases were read
-- and sorted (a parallel seq scan, 2.7 s at 5 M cases). Walking this index backward stops at the page (0.1 ms).
CREATE INDEX event_case_recent_idx ON event_case (reported_at DESC, id DESC);
