-- The event closed loop (issue 4): catalogue, routing rules, cases, their append-only timeline,
-- attachments, pauses, SLA warnings, ratings, notifications and the hotline webhook outbox.
--
-- Catalogue: `event_category` is the tree (kind 'class' = 大类, 'item' = 小类); the rules of an item live in
-- `event_category_version`, one row per edit, so a case keeps the rules it was opened under
-- (event_case.category_version).
CREATE TABLE event_category (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  parent_id        uuid REFERENCES event_category(id),
  code             text NOT NULL UNIQUE CHECK (code ~ '^[0-9A-Za-z]{2,12}$'),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  kind             text NOT NULL CHECK (kind IN ('class','item')),
  sort_order       integer NOT NULL DEFAULT 0,
  active           boolean NOT NULL DEFAULT true,
  current_version  integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'class') = (parent_id IS NULL))
);
CREATE INDEX event_category_parent_idx ON event_category (parent_id);

CREATE TABLE event_category_version (
  category_id   uuid NOT NULL REFERENCES event_category(id),
  version       integer NOT NULL CHECK (version >= 1),
  -- Lead department by org_unit.dept_code (routing rules may override per region); null = handled by
  -- the community/street itself.
  dept_code     text,
  level         text NOT NULL CHECK (level IN ('grid','community','street','district')),
  -- {"accept":{"amount":2,"unit":"working_hours"},"dispatch":…,"handle":…,"verify":…}
  limits        jsonb NOT NULL,
  self_dispose  boolean NOT NULL DEFAULT false,
  admitted      boolean NOT NULL DEFAULT true,
  feedback      text NOT NULL DEFAULT '',
  closure       text NOT NULL DEFAULT '',
  keywords      jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    uuid REFERENCES app_user(id),
  PRIMARY KEY (category_id, version)
);

-- Routing (C12, C14): category × region subtree → lead department (+ cooperating departments for 联办).
-- The most specific rule wins: an exact category beats "any" (null), a deeper region beats a shallower
-- one, then higher priority.
CREATE TABLE routing_rule (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  category_id       uuid REFERENCES event_category(id),
  region_id         uuid NOT NULL REFERENCES region(id),
  lead_org_unit_id  uuid NOT NULL REFERENCES org_unit(id),
  co_org_unit_ids   uuid[] NOT NULL DEFAULT '{}',
  priority          integer NOT NULL DEFAULT 0,
  active            boolean NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL DEFAULT now(),
  created_by        uuid REFERENCES app_user(id)
);
CREATE INDEX routing_rule_category_idx ON routing_rule (category_id);

CREATE SEQUENCE event_case_no_seq;

-- One row per case. Workflow state, the current stage's clock and the indicator flags are kept here
-- (derived from event_case_action, which is the record of truth; recomputed by the SLA code when the
-- calendar changes).
CREATE TABLE event_case (
  id                   uuid PRIMARY KEY DEFAULT uuid_time_ordered(),
  -- 案卷编号: region code of the district + date + sequence, e.g. 370118-20261203-000042.
  case_no              text NOT NULL UNIQUE,
  channel              text NOT NULL CHECK (channel IN ('grid_worker','resident','staff_proxy','hotline','device','open311')),
  -- Sub-channel of a proxy entry: phone, walk_in, opinion_box, other.
  channel_detail       text,
  -- The outside system's own id (12345 工单号, device alarm id, Open311 client id).
  external_id          text,
  -- Who may retry under one idempotency key: 'user:<id>' or 'token:<id>'.
  idem_scope           text,
  idempotency_key      text,
  category_id          uuid NOT NULL REFERENCES event_category(id),
  category_version     integer NOT NULL,
  title                text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
  description          text NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
  urgency              text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal','urgent','critical')),
  status               text NOT NULL CHECK (status IN ('reported','rejected','accepted','filed','dispatched','handling','returned','feedback','verified','closed','reviewing','cancelled','merged')),
  -- Where the case is handled: the grid's community, or the enclosing region when it lies in no grid.
  region_id            uuid NOT NULL REFERENCES region(id),
  region_path          text NOT NULL,
  grid_id              uuid REFERENCES grid(id),
  -- Inside the jurisdiction but in no grid: routed to the enclosing center and flagged.
  no_grid              boolean NOT NULL DEFAULT false,
  geom                 geometry(Point, 4326),
  address              text,
  people_involved      text,
  reporter_user_id     uuid REFERENCES app_user(id),
  reporter_name        text,
  reporter_phone_enc   bytea,
  reporter_phone_masked text,
  -- The staff member who entered the case (proxy entry, hotline token owner …).
  created_by           uuid REFERENCES app_user(id),
  -- Duplicates (C28): a linked report points at its parent; the earliest report of a cluster is 首报.
  parent_case_id       uuid REFERENCES event_case(id),
  first_report         boolean NOT NULL DEFAULT true,
  handling_level       text NOT NULL CHECK (handling_level IN ('grid','community','street','district')),
  lead_org_unit_id     uuid REFERENCES org_unit(id),
  co_org_unit_ids      uuid[] NOT NULL DEFAULT '{}',
  -- The current stage's clock (accept | file | dispatch | handle | verify | close), null when none runs.
  stage                text CHECK (stage IN ('accept','file','dispatch','handle','verify','close')),
  stage_started_at     timestamptz,
  stage_due_at         timestamptz,
  -- Extra time granted by approved 延期 for the current handle stage, in the stage's unit.
  stage_extension      jsonb,
  sla_level            text NOT NULL DEFAULT 'green' CHECK (sla_level IN ('green','yellow','red','paused','none')),
  suspended            boolean NOT NULL DEFAULT false,
  supervision          text NOT NULL DEFAULT 'none' CHECK (supervision IN ('none','normal','yellow','red')),
  reported_at          timestamptz NOT NULL,
  accepted_at          timestamptz,
  filed_at             timestamptz,
  dispatched_at        timestamptz,
  handled_at           timestamptz,
  verified_at          timestamptz,
  closed_at            timestamptz,
  -- Indicator flags (null = not yet decided).
  handle_due_at        timestamptz,
  on_time_handle       boolean,
  on_time_close        boolean,
  self_disposed        boolean NOT NULL DEFAULT false,
  rework_count         integer NOT NULL DEFAULT 0,
  return_count         integer NOT NULL DEFAULT 0,
  extension_count      integer NOT NULL DEFAULT 0,
  suspend_count        integer NOT NULL DEFAULT 0,
  satisfaction         text CHECK (satisfaction IN ('satisfied','basic','dissatisfied')),
  callback_done        boolean NOT NULL DEFAULT false,
  -- Optimistic concurrency: every action bumps it; a stale write is refused.
  version              integer NOT NULL DEFAULT 1,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX event_case_idem_uq ON event_case (idem_scope, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE UNIQUE INDEX event_case_external_uq ON event_case (channel, external_id) WHERE external_id IS NOT NULL;
-- Dispatcher queue: open cases of a subtree by stage, newest first.
CREATE INDEX event_case_queue_idx ON event_case (region_path text_pattern_ops, status, reported_at DESC);
CREATE INDEX event_case_status_idx ON event_case (status, reported_at DESC);
CREATE INDEX event_case_grid_idx ON event_case (grid_id, reported_at DESC);
CREATE INDEX event_case_lead_idx ON event_case (lead_org_unit_id, status) WHERE lead_org_unit_id IS NOT NULL;
CREATE INDEX event_case_reporter_idx ON event_case (reporter_user_id, reported_at DESC) WHERE reporter_user_id IS NOT NULL;
CREATE INDEX event_case_parent_idx ON event_case (parent_case_id) WHERE parent_case_id IS NOT NULL;
CREATE INDEX event_case_due_idx ON event_case (stage_due_at) WHERE stage_due_at IS NOT NULL;
CREATE INDEX event_case_geom_idx ON event_case USING gist (geom);

-- The timeline: one append-only row per action (actor, time, note, attachments, state change).
CREATE TABLE event_case_action (
  id            bigserial PRIMARY KEY,
  case_id       uuid NOT NULL REFERENCES event_case(id),
  seq           integer NOT NULL,
  action        text NOT NULL,
  from_status   text,
  to_status     text,
  actor_user_id uuid REFERENCES app_user(id),
  actor_name    text,
  actor_role    text,
  note          text,
  data          jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, seq)
);

CREATE OR REPLACE FUNCTION event_case_action_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'event_case_action is append-only';
END $$;
CREATE TRIGGER event_case_action_no_change BEFORE UPDATE OR DELETE ON event_case_action
  FOR EACH ROW EXECUTE FUNCTION event_case_action_append_only();

-- Photos, audio, video: stored on disk (DATA_DIR/uploads) or S3-compatible storage; this row is the index.
CREATE TABLE event_case_attachment (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id       uuid REFERENCES event_case(id),
  action_id     bigint REFERENCES event_case_action(id),
  -- report | before | after | verify | other
  purpose       text NOT NULL DEFAULT 'report',
  kind          text NOT NULL CHECK (kind IN ('photo','audio','video')),
  mime          text NOT NULL,
  size_bytes    integer NOT NULL,
  sha256        text NOT NULL,
  storage_key   text NOT NULL,
  original_name text,
  uploaded_by   uuid REFERENCES app_user(id),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_case_attachment_case_idx ON event_case_attachment (case_id);

-- Paused stretches of the clock (缓办, 待补充材料): the SLA code subtracts them. to_at null = still paused.
CREATE TABLE event_case_pause (
  id          bigserial PRIMARY KEY,
  case_id     uuid NOT NULL REFERENCES event_case(id),
  kind        text NOT NULL CHECK (kind IN ('suspend','material')),
  from_at     timestamptz NOT NULL,
  to_at       timestamptz,
  reason      text NOT NULL,
  review_date date
);
CREATE INDEX event_case_pause_case_idx ON event_case_pause (case_id);

-- One row per warning level reached per stage run: the unique key makes the overdue scanner safe when
-- several processes scan one database (only the insert that wins notifies).
CREATE TABLE event_case_sla_event (
  case_id     uuid NOT NULL REFERENCES event_case(id),
  stage       text NOT NULL,
  stage_started_at timestamptz NOT NULL,
  level       text NOT NULL CHECK (level IN ('yellow','red')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, stage, stage_started_at, level)
);

CREATE TABLE event_case_rating (
  id            bigserial PRIMARY KEY,
  case_id       uuid NOT NULL REFERENCES event_case(id),
  rater_user_id uuid REFERENCES app_user(id),
  -- resident = the reporter rated; callback = recorded by staff from the callback (回访).
  source        text NOT NULL CHECK (source IN ('resident','callback')),
  rating        text NOT NULL CHECK (rating IN ('satisfied','basic','dissatisfied')),
  comment       text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX event_case_rating_uq ON event_case_rating (case_id, rater_user_id) WHERE rater_user_id IS NOT NULL;

-- In-app notifications (催办, 督办, SLA warnings, progress to reporters).
CREATE TABLE notification (
  id           bigserial PRIMARY KEY,
  user_id      uuid REFERENCES app_user(id),
  org_unit_id  uuid REFERENCES org_unit(id),
  case_id      uuid REFERENCES event_case(id),
  kind         text NOT NULL,
  title        text NOT NULL,
  body         text NOT NULL DEFAULT '',
  created_at   timestamptz NOT NULL DEFAULT now(),
  read_at      timestamptz,
  CHECK (user_id IS NOT NULL OR org_unit_id IS NOT NULL)
);
CREATE INDEX notification_user_idx ON notification (user_id, created_at DESC) WHERE user_id IS NOT NULL;
CREATE INDEX notification_org_idx ON notification (org_unit_id, created_at DESC) WHERE org_unit_id IS NOT NULL;

-- Status push-back to the 12345 hotline (and other integrations): an outbox delivered with retries.
CREATE TABLE webhook_outbox (
  id            bigserial PRIMARY KEY,
  case_id       uuid NOT NULL REFERENCES event_case(id),
  target        text NOT NULL,
  payload       jsonb NOT NULL,
  attempts      integer NOT NULL DEFAULT 0,
  next_at       timestamptz NOT NULL DEFAULT now(),
  delivered_at  timestamptz,
  last_error    text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_outbox_due_idx ON webhook_outbox (next_at) WHERE delivered_at IS NULL;

DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gridgov_app') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO gridgov_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO gridgov_app;
    -- The timeline is append-only (the trigger refuses changes on both engines as well).
    REVOKE UPDATE, DELETE, TRUNCATE ON event_case_action FROM gridgov_app;
  END IF;
END $$;
