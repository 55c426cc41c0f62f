-- SLA scanner, notifications and indicators (issue 4 §5, §9).

-- The overdue scanner reads the open cases whose stage clock runs (not suspended) every minute: a partial index
-- keeps that set small however many closed cases pile up, in id order for keyset batches.
CREATE INDEX event_case_sla_scan_idx ON event_case (id)
  WHERE status IN ('reported','accepted','filed','returned','reviewing','dispatched','handling','feedback','verified');

-- Indicators: a period of report dates, then the caller's subtree (region_path prefix) checked inside the index.
CREATE INDEX event_case_reported_idx ON event_case (reported_at, region_path text_pattern_ops);

-- Notifications: unread ones of a user / an org unit (the badge count and the unread-first list).
CREATE INDEX notification_user_unread_idx ON notification (user_id, created_at DESC) WHERE read_at IS NULL AND user_id IS NOT NULL;
CREATE INDEX notification_org_unread_idx ON notification (org_unit_id, created_at DESC) WHERE read_at IS NULL AND org_unit_id IS NOT NULL;
CREATE INDEX notification_case_idx ON notification (case_id) WHERE case_id IS NOT NULL;

-- Indicator denominators (domain-reference.md §2.5): the deployment default; a jurisdiction's own setting is the
-- key 'indicators.denominators@<region id>' (the nearest one up the region tree applies).
INSERT INTO app_setting (key, value)
VALUES ('indicators.denominators', '{"rework":"shouldClose","close":"shouldClose","extension":"shouldHandle","satisfaction":"satisfiedAndBasic"}')
ON CONFLICT (key) DO NOTHING;
