-- Basic-information registry (人、地、物、事、组织, GB/T 31000): buildings and houses (一标三实),
-- persons, households, residence history, organisations, facilities (部件), key places, special-group
-- registers with sensitivity levels, break-the-glass grants, change history, import jobs.
--
-- Identifying numbers (身份证号, phone) are never stored in clear: `*_enc` holds AES-256-GCM ciphertext
-- (version byte ‖ 12-byte nonce ‖ ciphertext ‖ 16-byte tag), `*_bidx` a keyed HMAC-SHA256 blind index for
-- exact search and uniqueness, `*_masked` the masked form every screen shows (3701**********123X).
-- Every record carries its grid (NOT NULL) and, where known, a point; grid adjustments re-attribute by point.

CREATE TABLE building (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  grid_id      uuid NOT NULL REFERENCES grid(id),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  road         text,
  number       text,
  -- Standard address of the building (community + road + number + name), unique within the community.
  address      text NOT NULL,
  address_key  text NOT NULL UNIQUE,
  floors       integer,
  units        integer,
  geom         geometry(Point, 4326),
  created_by   uuid REFERENCES app_user(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX building_grid_idx ON building (grid_id);
CREATE INDEX building_geom_gix ON building USING gist (geom);

CREATE TABLE house (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  building_id  uuid REFERENCES building(id),
  grid_id      uuid NOT NULL REFERENCES grid(id),
  -- Full standard address: community, road, number, building, unit, room.
  address      text NOT NULL,
  -- Normalised address (community id + address without spaces): the upsert key of imports.
  address_key  text NOT NULL UNIQUE,
  unit         text,
  floor        integer,
  room         text,
  use          text NOT NULL CHECK (use IN ('residential','rental','commercial','mixed','vacant','other')),
  area_m2      numeric(10,2),
  note         text,
  geom         geometry(Point, 4326),
  verified_at  timestamptz,
  verified_by  uuid REFERENCES app_user(id),
  created_by   uuid REFERENCES app_user(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX house_grid_idx ON house (grid_id);
CREATE INDEX house_building_idx ON house (building_id);
CREATE INDEX house_geom_gix ON house USING gist (geom);
CREATE INDEX house_address_trgm_idx ON house USING gin (address gin_trgm_ops);

CREATE TABLE person (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  doc_type         text NOT NULL DEFAULT 'id_card' CHECK (doc_type IN ('id_card','passport','hk_macao','taiwan','foreign_pr','other')),
  id_number_enc    bytea,
  -- One person, one record: unique across the whole database (HMAC of doc type + number).
  id_number_bidx   bytea UNIQUE,
  id_number_masked text,
  sex              text NOT NULL DEFAULT 'unknown' CHECK (sex IN ('male','female','unknown')),
  birth_date       date,
  ethnicity        text,
  native_place     text,
  hukou_place      text,
  hukou_address    text,
  current_address  text,
  phone_enc        bytea,
  phone_bidx       bytea,
  phone_masked     text,
  marital          text,
  political        text,
  education        text,
  religion         text,
  occupation       text,
  workplace        text,
  population_type  text NOT NULL CHECK (population_type IN ('registered','floating','overseas')),
  grid_id          uuid NOT NULL REFERENCES grid(id),
  house_id         uuid REFERENCES house(id),
  geom             geometry(Point, 4326),
  tags             text[] NOT NULL DEFAULT '{}',
  note             text,
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active','moved_out','deceased','merged')),
  -- A merged duplicate keeps its row as a pointer to the surviving record (audit trail).
  merged_into      uuid REFERENCES person(id),
  verified_at      timestamptz,
  verified_by      uuid REFERENCES app_user(id),
  created_by       uuid REFERENCES app_user(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'merged' OR merged_into IS NOT NULL)
);
CREATE INDEX person_grid_idx ON person (grid_id) WHERE status = 'active';
CREATE INDEX person_house_idx ON person (house_id);
CREATE INDEX person_phone_bidx_idx ON person (phone_bidx);
CREATE INDEX person_name_trgm_idx ON person USING gin (name gin_trgm_ops);
CREATE INDEX person_name_prefix_idx ON person (name text_pattern_ops);
CREATE INDEX person_tags_idx ON person USING gin (tags);
CREATE INDEX person_geom_gix ON person USING gist (geom);

-- Who lives in / owns / rents which house, from when to when; moves between grids stay as history.
CREATE TABLE residence (
  id          bigserial PRIMARY KEY,
  person_id   uuid NOT NULL REFERENCES person(id),
  house_id    uuid REFERENCES house(id),
  grid_id     uuid NOT NULL REFERENCES grid(id),
  relation    text NOT NULL DEFAULT 'resident' CHECK (relation IN ('owner','tenant','resident')),
  since       date,
  until       date,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (until IS NULL OR since IS NULL OR until >= since)
);
CREATE INDEX residence_person_idx ON residence (person_id);
CREATE INDEX residence_house_idx ON residence (house_id) WHERE until IS NULL;

CREATE TABLE household (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number      text,
  house_id    uuid REFERENCES house(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE household_member (
  household_id uuid NOT NULL REFERENCES household(id) ON DELETE CASCADE,
  -- A person belongs to one household at a time.
  person_id    uuid NOT NULL UNIQUE REFERENCES person(id),
  relation     text NOT NULL CHECK (relation IN ('head','spouse','son','daughter','parent','grandparent','grandchild','sibling','other_relative','non_relative')),
  PRIMARY KEY (household_id, person_id)
);
CREATE UNIQUE INDEX household_one_head ON household_member (household_id) WHERE relation = 'head';

CREATE TABLE organisation (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind               text NOT NULL CHECK (kind IN ('enterprise','individual','social','party','institution')),
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
  -- 统一社会信用代码 is public (on the business licence): stored in clear, unique.
  uscc               text UNIQUE,
  legal_rep_name     text,
  phone_enc          bytea,
  phone_bidx         bytea,
  phone_masked       text,
  address            text,
  house_id           uuid REFERENCES house(id),
  employees          integer,
  key_premises       boolean NOT NULL DEFAULT false,
  key_premises_type  text,
  attention          text CHECK (attention IN ('normal','medium','serious')),
  has_party_org      boolean,
  note               text,
  grid_id            uuid NOT NULL REFERENCES grid(id),
  geom               geometry(Point, 4326),
  verified_at        timestamptz,
  verified_by        uuid REFERENCES app_user(id),
  created_by         uuid REFERENCES app_user(id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organisation_grid_idx ON organisation (grid_id);
CREATE INDEX organisation_name_trgm_idx ON organisation USING gin (name gin_trgm_ops);
CREATE INDEX organisation_geom_gix ON organisation USING gist (geom);

CREATE TABLE facility (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind         text NOT NULL CHECK (kind IN ('fire_hydrant','extinguisher','manhole','street_light','elevator','camera','fitness','road','other')),
  name         text NOT NULL,
  code         text UNIQUE,
  state        text NOT NULL DEFAULT 'intact' CHECK (state IN ('intact','damaged','lost','occupied')),
  address      text,
  owner        text,
  note         text,
  grid_id      uuid NOT NULL REFERENCES grid(id),
  geom         geometry(Point, 4326),
  verified_at  timestamptz,
  verified_by  uuid REFERENCES app_user(id),
  created_by   uuid REFERENCES app_user(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX facility_grid_idx ON facility (grid_id);
CREATE INDEX facility_geom_gix ON facility USING gist (geom);

CREATE TABLE key_place (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind             text NOT NULL CHECK (kind IN ('fire_hazard','conflict_area','crowded','hazardous_chemicals','construction','waters','other')),
  name             text NOT NULL,
  warning_level    text NOT NULL CHECK (warning_level IN ('blue','yellow','orange','red')),
  address          text,
  description      text,
  responsible      text,
  organisation_id  uuid REFERENCES organisation(id),
  grid_id          uuid NOT NULL REFERENCES grid(id),
  geom             geometry(Point, 4326),
  verified_at      timestamptz,
  verified_by      uuid REFERENCES app_user(id),
  created_by       uuid REFERENCES app_user(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX key_place_grid_idx ON key_place (grid_id);
CREATE INDEX key_place_geom_gix ON key_place USING gist (geom);

-- Special-group registers (B7, B8). `sensitivity` is copied from the register type when written, so the
-- visibility filter is one indexed comparison.
CREATE TABLE special_entry (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id    uuid NOT NULL REFERENCES person(id),
  type_code    text NOT NULL,
  sensitivity  smallint NOT NULL CHECK (sensitivity BETWEEN 1 AND 3),
  level        text NOT NULL,
  fields       jsonb NOT NULL DEFAULT '{}'::jsonb,
  since        date,
  until        date,
  note         text,
  ended_at     timestamptz,
  created_by   uuid REFERENCES app_user(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX special_entry_person_idx ON special_entry (person_id);
CREATE INDEX special_entry_type_idx ON special_entry (type_code) WHERE ended_at IS NULL;
CREATE UNIQUE INDEX special_entry_one_open ON special_entry (person_id, type_code) WHERE ended_at IS NULL;

-- Break-the-glass: a time-limited grant on one person's sensitive entries, with a reason, reviewed later.
CREATE TABLE break_glass_grant (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id         uuid NOT NULL REFERENCES app_user(id),
  person_id       uuid NOT NULL REFERENCES person(id),
  reason          text NOT NULL,
  granted_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  entries_seen    integer NOT NULL DEFAULT 0,
  review_outcome  text CHECK (review_outcome IN ('justified','unjustified')),
  review_note     text,
  reviewed_by     uuid REFERENCES app_user(id),
  reviewed_at     timestamptz,
  -- Region of the person when granted, so a supervisor reviews the grants of their own subtree.
  region_path     text NOT NULL
);
CREATE INDEX break_glass_user_idx ON break_glass_grant (user_id, person_id, expires_at);
CREATE INDEX break_glass_pending_idx ON break_glass_grant (region_path text_pattern_ops) WHERE reviewed_at IS NULL;

-- Change history of registry records (the person page's 变更记录). Field names only: identifying
-- numbers appear as "changed", never with a value.
CREATE TABLE record_change (
  id          bigserial PRIMARY KEY,
  entity      text NOT NULL,
  entity_id   uuid NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_id    uuid,
  actor_name  text,
  action      text NOT NULL,
  fields      text[] NOT NULL DEFAULT '{}',
  note        text
);
CREATE INDEX record_change_entity_idx ON record_change (entity, entity_id, at DESC);

-- Import jobs and their rejected rows. Rejected row values may hold identifying numbers, so they are
-- stored encrypted (values_enc) like every other identifying number.
CREATE TABLE import_job (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind         text NOT NULL CHECK (kind IN ('persons','houses','organisations','facilities')),
  mode         text NOT NULL CHECK (mode IN ('all_or_nothing','keep_valid')),
  file_name    text NOT NULL,
  format       text,
  encoding     text,
  status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','succeeded','failed','rejected')),
  rows_read    integer NOT NULL DEFAULT 0,
  inserted     integer NOT NULL DEFAULT 0,
  updated      integer NOT NULL DEFAULT 0,
  unchanged    integer NOT NULL DEFAULT 0,
  rejected     integer NOT NULL DEFAULT 0,
  error        jsonb,
  started_by   uuid REFERENCES app_user(id),
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);
CREATE INDEX import_job_user_idx ON import_job (started_by, started_at DESC);
CREATE TABLE import_rejection (
  job_id       uuid NOT NULL REFERENCES import_job(id) ON DELETE CASCADE,
  row_no       integer NOT NULL,
  column_name  text,
  reason       text NOT NULL,
  values_enc   bytea,
  PRIMARY KEY (job_id, row_no, reason)
);

-- Automatic adjustment triggers (A18): population change > 20 % against the grid's baseline, a new key place.
CREATE TABLE adjustment_trigger (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  grid_id        uuid NOT NULL REFERENCES grid(id),
  kind           text NOT NULL CHECK (kind IN ('population_change','new_key_place')),
  details        jsonb NOT NULL DEFAULT '{}'::jsonb,
  detected_at    timestamptz NOT NULL DEFAULT now(),
  dismissed_at   timestamptz,
  dismissed_by   uuid REFERENCES app_user(id),
  adjustment_id  uuid REFERENCES grid_adjustment(id)
);
-- One open trigger per grid and kind (a key-place trigger per key place).
CREATE UNIQUE INDEX adjustment_trigger_open ON adjustment_trigger (grid_id, kind, (coalesce(details->>'keyPlaceId', ''))) WHERE dismissed_at IS NULL AND adjustment_id IS NULL;

INSERT INTO app_setting (key, value) VALUES ('registry.freshness_days', '180') ON CONFLICT (key) DO NOTHING;

DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gridgov_app') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO gridgov_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO gridgov_app;
  END IF;
END $$;
