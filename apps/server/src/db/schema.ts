import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Kysely table types; keep in step with migrations/*.sql. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type TimestampNullable = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<Record<string, unknown>, string | Record<string, unknown> | undefined, string | Record<string, unknown>>;

export interface SchemaMigrationTable {
  version: string;
  name: string;
  applied_at: Generated<Date>;
}

export interface RegionLevelTable {
  key: string;
  depth: number;
  name_zh: string;
  name_en: string;
  code_length: number;
}

export interface RegionTable {
  id: Generated<string>;
  parent_id: string | null;
  level: string;
  code: string;
  name: string;
  path: string;
  sort_order: Generated<number>;
  kind: 'urban' | 'rural' | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface OrgUnitTable {
  id: Generated<string>;
  region_id: string;
  kind: 'center' | 'station' | 'department';
  name: string;
  dept_code: string | null;
  phone: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AppUserTable {
  id: Generated<string>;
  username: string;
  mobile: string | null;
  display_name: string;
  role: string;
  org_unit_id: string | null;
  password_hash: string;
  must_change_password: Generated<boolean>;
  password_changed_at: Generated<Date>;
  disabled: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: TimestampNullable;
  last_login_at: TimestampNullable;
  locale: Generated<'zh-CN' | 'en'>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface UserScopeTable {
  user_id: string;
  kind: 'capture' | 'view';
  region_id: string;
}

export interface UserSessionTable {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Timestamp;
  revoked_at: TimestampNullable;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: Generated<string>;
  name: string;
  prefix: string;
  token_hash: string;
  permissions: string[];
  region_ids: string[];
  created_by: string;
  created_at: Generated<Date>;
  expires_at: TimestampNullable;
  revoked_at: TimestampNullable;
  last_used_at: TimestampNullable;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  action: string;
  outcome: 'ok' | 'denied' | 'failed';
  target_type: string | null;
  target_id: string | null;
  region_id: string | null;
  region_path: string | null;
  ip: string | null;
  request_id: string | null;
  details: Json;
}

export interface DB {
  schema_migrations: SchemaMigrationTable;
  region_level: RegionLevelTable;
  region: RegionTable;
  org_unit: OrgUnitTable;
  app_user: AppUserTable;
  user_scope: UserScopeTable;
  user_session: UserSessionTable;
  api_token: ApiTokenTable;
  audit_log: AuditLogTable;
}

export type Region = Selectable<RegionTable>;
export type NewRegion = Insertable<RegionTable>;
export type OrgUnit = Selectable<OrgUnitTable>;
export type AppUser = Selectable<AppUserTable>;
export type AppUserUpdate = Updateable<AppUserTable>;
export type UserSession = Selectable<UserSessionTable>;
export type ApiToken = Selectable<ApiTokenTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
