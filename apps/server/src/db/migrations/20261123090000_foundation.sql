-- Foundation: extensions, the application role, region tree, org units, users and scopes,
-- sessions, API tokens, append-only audit log. Runs the same on PGlite and PostgreSQL ≥ 15.

CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The role the application works as (see db/client.ts). Created only when the migrating user may
-- create roles; otherwise the app keeps the owner's rights and the audit trigger alone protects.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gridgov_app') THEN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
      CREATE ROLE gridgov_app NOLOGIN;
    ELSE
      RAISE NOTICE 'gridgov_app role not created: % may not create roles', current_user;
    END IF;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gridgov_app')
     AND NOT pg_has_role(current_user, 'gridgov_app', 'MEMBER') THEN
    EXECUTE format('GRANT gridgov_app TO %I', current_user);
  END IF;
END $$;

-- Administrative levels: names and codes per deployment (街道 or 乡镇, 社区 or 村 …).
CREATE TABLE region_level (
  key          text PRIMARY KEY CHECK (key IN ('province','city','district','street','community')),
  depth        smallint NOT NULL UNIQUE,
  name_zh      text NOT NULL,
  name_en      text NOT NULL,
  code_length  smallint NOT NULL CHECK (code_length IN (6, 12))
);
INSERT INTO region_level (key, depth, name_zh, name_en, code_length) VALUES
  ('province', 0, '省', 'Province', 6),
  ('city', 1, '市', 'City', 6),
  ('district', 2, '区县', 'District/county', 6),
  ('street', 3, '街道/乡镇', 'Street/town', 12),
  ('community', 4, '社区/村', 'Community/village', 12);

CREATE TABLE region (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  parent_id   uuid REFERENCES region(id),
  level       text NOT NULL REFERENCES region_level(key),
  code        text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{6}([0-9]{6})?$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  -- Materialised path of ids, '/<root>/<child>/…/<self>/': subtree = path LIKE prefix || '%'.
  path        text NOT NULL UNIQUE,
  sort_order  integer NOT NULL DEFAULT 0,
  -- Community/village classification (居委会 or 村委会); not inferred from the code range.
  kind        text CHECK (kind IN ('urban','rural')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX region_parent_idx ON region (parent_id, sort_order);
CREATE INDEX region_path_idx ON region (path text_pattern_ops);
CREATE INDEX region_name_trgm_idx ON region USING gin (name gin_trgm_ops);

-- 网格化服务管理中心 / 工作站 at a region, and 职能部门 serving a region.
CREATE TABLE org_unit (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_id   uuid NOT NULL REFERENCES region(id),
  kind        text NOT NULL CHECK (kind IN ('center','station','department')),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  -- Departments: a short code the routing rules will use (城管 cg, 住建 zj …).
  dept_code   text,
  phone       text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (region_id, name)
);
CREATE INDEX org_unit_region_idx ON org_unit (region_id);

CREATE TABLE app_user (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username              text NOT NULL CHECK (username ~ '^[A-Za-z0-9_.-]{3,32}$'),
  mobile                text CHECK (mobile ~ '^1[3-9][0-9]{9}$'),
  display_name          text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 32),
  role                  text NOT NULL CHECK (role IN ('system_admin','district_center','street_center','community_station','grid_leader','grid_worker','dept_handler','resident')),
  org_unit_id           uuid REFERENCES org_unit(id),
  password_hash         text NOT NULL,
  must_change_password  boolean NOT NULL DEFAULT false,
  password_changed_at   timestamptz NOT NULL DEFAULT now(),
  disabled              boolean NOT NULL DEFAULT false,
  failed_logins         integer NOT NULL DEFAULT 0,
  locked_until          timestamptz,
  last_login_at         timestamptz,
  locale                text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN','en')),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX app_user_username_uq ON app_user (lower(username));
CREATE UNIQUE INDEX app_user_mobile_uq ON app_user (mobile) WHERE mobile IS NOT NULL;
CREATE INDEX app_user_org_idx ON app_user (org_unit_id);

-- DHIS2-style scopes: capture = where the user may write, view = what the user may read.
-- Each row names the root of a region subtree.
CREATE TABLE user_scope (
  user_id    uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  kind       text NOT NULL CHECK (kind IN ('capture','view')),
  region_id  uuid NOT NULL REFERENCES region(id),
  PRIMARY KEY (user_id, kind, region_id)
);
CREATE INDEX user_scope_region_idx ON user_scope (region_id);

-- Server-side sessions; the cookie carries a random token, the table only its SHA-256.
CREATE TABLE user_session (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash    text NOT NULL UNIQUE,
  user_id       uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  ip            text,
  user_agent    text
);
CREATE INDEX user_session_user_idx ON user_session (user_id);

-- Hashed API tokens for machine clients (12345 hotline, IoT, upper-level platforms).
CREATE TABLE api_token (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  prefix        text NOT NULL,
  token_hash    text NOT NULL UNIQUE,
  permissions   text[] NOT NULL,
  -- The token acts within these region subtrees (read and write).
  region_ids    uuid[] NOT NULL,
  created_by    uuid NOT NULL REFERENCES app_user(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz,
  revoked_at    timestamptz,
  last_used_at  timestamptz
);

-- Append-only audit log.
CREATE TABLE audit_log (
  id            bigserial PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  actor_id      uuid,
  actor_name    text,
  actor_role    text,
  action        text NOT NULL,
  outcome       text NOT NULL CHECK (outcome IN ('ok','denied','failed')),
  target_type   text,
  target_id     text,
  -- The region the event concerns, so supervisors can search their own subtree.
  region_id     uuid,
  region_path   text,
  ip            text,
  request_id    text,
  details       jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC);
CREATE INDEX audit_log_region_idx ON audit_log (region_path text_pattern_ops);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Grants for the application role: everything it needs, and on the audit log only read + append.
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gridgov_app') THEN
    GRANT USAGE ON SCHEMA public TO gridgov_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO gridgov_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO gridgov_app;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gridgov_app;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO gridgov_app;
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM gridgov_app;
    REVOKE ALL ON schema_migrations FROM gridgov_app;
    GRANT SELECT ON schema_migrations TO gridgov_app;
  END IF;
END $$;
