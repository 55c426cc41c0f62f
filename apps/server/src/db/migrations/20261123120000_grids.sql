-- Grid system: grids under communities/villages (with micro-grids and building units below them),
-- versioned boundaries, adjustments, staffing, size norms, deployment settings.
-- Geometry is stored in WGS84 / CGCS2000 (EPSG:4326; the two agree to well under a metre).

-- Community/village boundaries: the coverage check compares a community's grids against it;
-- street and district boundaries are the union of their children unless drawn.
ALTER TABLE region ADD COLUMN boundary geometry(MultiPolygon, 4326);
CREATE INDEX region_boundary_gix ON region USING gist (boundary);

-- Deployment-wide settings (grid code template …), one JSON value per key.
CREATE TABLE app_setting (
  key         text PRIMARY KEY,
  value       jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  uuid REFERENCES app_user(id)
);
INSERT INTO app_setting (key, value) VALUES ('grid.code_template', '"shandong19"');

CREATE TABLE grid (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Every grid belongs to a community or village (DB6101/T 3185: never directly to a street).
  community_id    uuid NOT NULL REFERENCES region(id),
  parent_grid_id  uuid REFERENCES grid(id),
  level           text NOT NULL DEFAULT 'grid' CHECK (level IN ('grid','micro','building')),
  code            text NOT NULL UNIQUE,
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  -- 01 urban community, 02 rural, 03 dedicated (GB/T 34300 / Shandong attribute segment).
  grid_type       text NOT NULL CHECK (grid_type IN ('01','02','03')),
  dedicated_kind  text CHECK (dedicated_kind IN ('park','market','school','hospital','building','enterprise','other')),
  -- 片区 segment of the Shandong code ('00' when none) and the sequence within the community.
  area_code       text NOT NULL DEFAULT '00' CHECK (area_code ~ '^[0-9]{2}$'),
  seq             integer NOT NULL CHECK (seq BETWEEN 1 AND 999),
  landmarks       text[] NOT NULL DEFAULT '{}',
  -- 网格服务站: {address, phone, hours, lng, lat}
  station         jsonb,
  -- Division criteria (A17): population density, area, difficulty, service radius, boundaries …
  criteria        jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Baseline used by the >20 % population-change trigger (A18) and the size norms (A5).
  baseline_households integer,
  baseline_population integer,
  baseline_at     date,
  valid_from      date NOT NULL DEFAULT current_date,
  valid_to        date,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (grid_type <> '03' OR dedicated_kind IS NOT NULL),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX grid_community_idx ON grid (community_id) WHERE valid_to IS NULL;
CREATE INDEX grid_parent_idx ON grid (parent_grid_id);
CREATE INDEX grid_name_trgm_idx ON grid USING gin (name gin_trgm_ops);

-- Versioned boundaries: a grid's shape on a date is the row whose [valid_from, valid_to) holds it.
-- Past statistics keep using the shape that was valid then.
CREATE TABLE grid_boundary (
  id             bigserial PRIMARY KEY,
  grid_id        uuid NOT NULL REFERENCES grid(id),
  geom           geometry(MultiPolygon, 4326) NOT NULL,
  valid_from     date NOT NULL,
  valid_to       date,
  adjustment_id  uuid,
  created_at     timestamptz NOT NULL DEFAULT now(),
  created_by     uuid REFERENCES app_user(id),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX grid_boundary_gix ON grid_boundary USING gist (geom);
CREATE INDEX grid_boundary_grid_idx ON grid_boundary (grid_id, valid_from DESC);
CREATE UNIQUE INDEX grid_boundary_current_uq ON grid_boundary (grid_id) WHERE valid_to IS NULL;

-- Split / merge / redraw applications: 社区申报 → 中心审核 → 公示 → 生效 (A18–A20).
CREATE TABLE grid_adjustment (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  community_id   uuid NOT NULL REFERENCES region(id),
  kind           text NOT NULL CHECK (kind IN ('create','split','merge','redraw')),
  status         text NOT NULL CHECK (status IN ('draft','submitted','returned','approved','notice','effective','withdrawn')),
  reason         text NOT NULL,
  -- Grids the application retires or reshapes, and the proposed grids with their polygons (GeoJSON).
  source_grid_ids uuid[] NOT NULL DEFAULT '{}',
  proposal       jsonb NOT NULL,
  notice_days    integer NOT NULL DEFAULT 7 CHECK (notice_days BETWEEN 0 AND 90),
  notice_from    date,
  effective_date date,
  -- Why a trigger proposed it (population change, new key place), when automatic.
  trigger        jsonb,
  review_note    text,
  -- What moved when it took effect: counts and ids per record type.
  report         jsonb,
  created_by     uuid REFERENCES app_user(id),
  reviewed_by    uuid REFERENCES app_user(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX grid_adjustment_status_idx ON grid_adjustment (status, effective_date);
CREATE INDEX grid_adjustment_community_idx ON grid_adjustment (community_id);

-- Who serves a grid (one person may serve several grids).
CREATE TABLE grid_staff (
  grid_id     uuid NOT NULL REFERENCES grid(id),
  user_id     uuid NOT NULL REFERENCES app_user(id),
  duty        text NOT NULL CHECK (duty IN ('leader','full_time','part_time','liaison','building_head')),
  since       date NOT NULL DEFAULT current_date,
  PRIMARY KEY (grid_id, user_id, duty)
);
CREATE INDEX grid_staff_user_idx ON grid_staff (user_id);

-- Size norms per jurisdiction (the nearest region up the tree with a row applies; defaults from
-- GB/T 34300 live in code). Households/people per grid, and workers per 1,000 residents.
CREATE TABLE grid_size_norm (
  region_id        uuid PRIMARY KEY REFERENCES region(id),
  urban_min_households integer, urban_max_households integer,
  urban_min_people integer, urban_max_people integer,
  rural_min_households integer, rural_max_households integer,
  min_workers_per_grid integer,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Versioned code: a change to one of these tables makes every process reload its spatial index.
CREATE TABLE grid_index_version (
  id       smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  version  bigint NOT NULL DEFAULT 0
);
INSERT INTO grid_index_version VALUES (1, 0);

DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gridgov_app') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON app_setting, grid, grid_boundary, grid_adjustment, grid_staff, grid_size_norm, grid_index_version TO gridgov_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO gridgov_app;
  END IF;
END $$;
