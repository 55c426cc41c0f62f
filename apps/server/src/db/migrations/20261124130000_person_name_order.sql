-- Name search pages through a surname in name order ("王%", first 20): a C-collated btree on (name, id) serves
-- both the LIKE prefix and the ORDER BY, so the first page is read straight from the index instead of
-- fetching and sorting every namesake (13,000 王 among 1.3 M people). It replaces the text_pattern_ops index,
-- which could serve the prefix but not the order.
DROP INDEX person_name_prefix_idx;
CREATE INDEX person_name_prefix_idx ON person ((name COLLATE "C"), id);

-- The grid index was partial (WHERE status = 'active'); the planner then used it as a cheap-looking way to
-- apply `status = 'active'` to every search, reading all 1.3 M entries (40 ms) before any name condition.
-- Nearly every person is active, so a plain index on the grid serves the grid lists as well.
DROP INDEX person_grid_idx;
CREATE INDEX person_grid_idx ON person (grid_id);
