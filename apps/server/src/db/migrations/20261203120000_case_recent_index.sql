-- The queue's 全部 tab (every status, newest first): with no status to lead an index the street's cases were read
-- and sorted (a parallel seq scan, 2.7 s at 5 M cases). Walking this index backward stops at the page (0.1 ms).
CREATE INDEX event_case_recent_idx ON event_case (reported_at DESC, id DESC);
-- Open cases of a subtree newest first (the 'open' tab and its SLA/community filters for a station or a street): the
-- open_recent walk skipped every other community's open cases (a station's open + SLA tab 780 ms at 5 M cases → 145).
CREATE INDEX event_case_open_path_idx ON event_case (region_path text_pattern_ops, reported_at DESC)
  WHERE status IN ('reported','accepted','filed','returned','reviewing','dispatched','handling','feedback','verified');
