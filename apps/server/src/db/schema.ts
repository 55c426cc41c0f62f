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
  /** Community/village boundary (MultiPolygon, EPSG:4326); null until drawn. */
  boundary: ColumnType<string | null, string | null | undefined, string | null>;
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

/** PostGIS geometry travels as text (EWKB hex) unless selected through ST_AsGeoJSON. */
type Geometry = ColumnType<string, string, string>;

export interface AppSettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Generated<Date>;
  updated_by: string | null;
}

export interface GridTable {
  id: Generated<string>;
  community_id: string;
  parent_grid_id: string | null;
  level: Generated<'grid' | 'micro' | 'building'>;
  code: string;
  name: string;
  grid_type: '01' | '02' | '03';
  dedicated_kind: string | null;
  area_code: Generated<string>;
  seq: number;
  landmarks: Generated<string[]>;
  station: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  criteria: Json;
  baseline_households: number | null;
  baseline_population: number | null;
  baseline_at: string | null;
  valid_from: ColumnType<string, string | undefined, string>;
  valid_to: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface GridBoundaryTable {
  id: Generated<number>;
  grid_id: string;
  geom: Geometry;
  valid_from: string;
  valid_to: string | null;
  adjustment_id: string | null;
  created_at: Generated<Date>;
  created_by: string | null;
}

export interface GridAdjustmentTable {
  id: Generated<string>;
  community_id: string;
  kind: 'create' | 'split' | 'merge' | 'redraw';
  status: 'draft' | 'submitted' | 'returned' | 'approved' | 'notice' | 'effective' | 'withdrawn';
  reason: string;
  source_grid_ids: Generated<string[]>;
  proposal: ColumnType<unknown, string, string>;
  notice_days: Generated<number>;
  notice_from: string | null;
  effective_date: string | null;
  trigger: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  review_note: string | null;
  report: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  created_by: string | null;
  reviewed_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface GridStaffTable {
  grid_id: string;
  user_id: string;
  duty: 'leader' | 'full_time' | 'part_time' | 'liaison' | 'building_head';
  since: ColumnType<string, string | undefined, string>;
}

export interface GridSizeNormTable {
  region_id: string;
  urban_min_households: number | null;
  urban_max_households: number | null;
  urban_min_people: number | null;
  urban_max_people: number | null;
  rural_min_households: number | null;
  rural_max_households: number | null;
  min_workers_per_grid: number | null;
  updated_at: Generated<Date>;
}

export interface GridIndexVersionTable {
  id: Generated<number>;
  version: number;
}

// ─── Registry (migrations/20261124090000_registry.sql) ─────────────────────────────────────────
/** bytea: Buffer from pg, Uint8Array from PGlite. */
type BytesNullable = ColumnType<Uint8Array | null, Uint8Array | Buffer | null | undefined, Uint8Array | Buffer | null>;
type DateNullable = ColumnType<string | null, string | null | undefined, string | null>;

interface Verified {
  verified_at: TimestampNullable;
  verified_by: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface BuildingTable {
  id: Generated<string>;
  grid_id: string;
  name: string;
  road: string | null;
  number: string | null;
  address: string;
  address_key: string;
  floors: number | null;
  units: number | null;
  geom: Geometry | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface HouseTable extends Verified {
  id: Generated<string>;
  building_id: string | null;
  grid_id: string;
  address: string;
  address_key: string;
  unit: string | null;
  floor: number | null;
  room: string | null;
  use: 'residential' | 'rental' | 'commercial' | 'mixed' | 'vacant' | 'other';
  area_m2: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  note: string | null;
  geom: Geometry | null;
}

export interface PersonTable extends Verified {
  id: Generated<string>;
  name: string;
  doc_type: Generated<'id_card' | 'passport' | 'hk_macao' | 'taiwan' | 'foreign_pr' | 'other'>;
  id_number_enc: BytesNullable;
  id_number_bidx: BytesNullable;
  id_number_masked: string | null;
  sex: Generated<'male' | 'female' | 'unknown'>;
  birth_date: DateNullable;
  ethnicity: string | null;
  native_place: string | null;
  hukou_place: string | null;
  hukou_address: string | null;
  current_address: string | null;
  phone_enc: BytesNullable;
  phone_bidx: BytesNullable;
  phone_masked: string | null;
  marital: string | null;
  political: string | null;
  education: string | null;
  religion: string | null;
  occupation: string | null;
  workplace: string | null;
  population_type: 'registered' | 'floating' | 'overseas';
  grid_id: string;
  house_id: string | null;
  geom: Geometry | null;
  tags: Generated<string[]>;
  note: string | null;
  status: Generated<'active' | 'moved_out' | 'deceased' | 'merged'>;
  merged_into: string | null;
  /** The shared record_change row of the import batch that created this person (20261203080000_import_change_per_batch.sql). */
  created_change: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface ResidenceTable {
  id: Generated<number>;
  person_id: string;
  house_id: string | null;
  grid_id: string;
  relation: Generated<'owner' | 'tenant' | 'resident'>;
  since: DateNullable;
  until: DateNullable;
  created_at: Generated<Date>;
}

export interface HouseholdTable {
  id: Generated<string>;
  number: string | null;
  house_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface HouseholdMemberTable {
  household_id: string;
  person_id: string;
  relation: string;
}

export interface OrganisationTable extends Verified {
  id: Generated<string>;
  kind: 'enterprise' | 'individual' | 'social' | 'party' | 'institution';
  name: string;
  uscc: string | null;
  legal_rep_name: string | null;
  phone_enc: BytesNullable;
  phone_bidx: BytesNullable;
  phone_masked: string | null;
  address: string | null;
  house_id: string | null;
  employees: number | null;
  key_premises: Generated<boolean>;
  key_premises_type: string | null;
  attention: 'normal' | 'medium' | 'serious' | null;
  has_party_org: boolean | null;
  note: string | null;
  grid_id: string;
  geom: Geometry | null;
}

export interface FacilityTable extends Verified {
  id: Generated<string>;
  kind: string;
  name: string;
  code: string | null;
  state: Generated<'intact' | 'damaged' | 'lost' | 'occupied'>;
  address: string | null;
  owner: string | null;
  note: string | null;
  grid_id: string;
  geom: Geometry | null;
}

export interface KeyPlaceTable extends Verified {
  id: Generated<string>;
  kind: string;
  name: string;
  warning_level: 'blue' | 'yellow' | 'orange' | 'red';
  address: string | null;
  description: string | null;
  responsible: string | null;
  organisation_id: string | null;
  grid_id: string;
  geom: Geometry | null;
}

export interface SpecialEntryTable {
  id: Generated<string>;
  person_id: string;
  type_code: string;
  sensitivity: number;
  level: string;
  fields: Json;
  since: DateNullable;
  until: DateNullable;
  note: string | null;
  ended_at: TimestampNullable;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface BreakGlassGrantTable {
  id: Generated<string>;
  user_id: string;
  person_id: string;
  reason: string;
  granted_at: Generated<Date>;
  expires_at: Timestamp;
  entries_seen: Generated<number>;
  review_outcome: 'justified' | 'unjustified' | null;
  review_note: string | null;
  reviewed_by: string | null;
  reviewed_at: TimestampNullable;
  region_path: string;
}

export interface RecordChangeTable {
  id: Generated<number>;
  entity: string;
  entity_id: string;
  at: Generated<Date>;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  fields: Generated<string[]>;
  note: string | null;
}

export interface ImportJobTable {
  id: Generated<string>;
  kind: 'persons' | 'houses' | 'organisations' | 'facilities';
  mode: 'all_or_nothing' | 'keep_valid';
  file_name: string;
  format: string | null;
  encoding: string | null;
  status: Generated<'queued' | 'running' | 'succeeded' | 'failed' | 'rejected'>;
  rows_read: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  rejected: Generated<number>;
  error: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  started_by: string | null;
  started_at: Generated<Date>;
  finished_at: TimestampNullable;
}

export interface ImportRejectionTable {
  job_id: string;
  row_no: number;
  column_name: string | null;
  reason: string;
  values_enc: BytesNullable;
}

export interface AdjustmentTriggerTable {
  id: Generated<string>;
  grid_id: string;
  kind: 'population_change' | 'new_key_place';
  details: Json;
  detected_at: Generated<Date>;
  dismissed_at: TimestampNullable;
  dismissed_by: string | null;
  adjustment_id: string | null;
}

export interface HolidayScheduleTable {
  year: number;
  source: string;
  off_days: ColumnType<string[], string, string>;
  work_days: ColumnType<string[], string, string>;
  updated_at: Generated<Date>;
  updated_by: string | null;
}

export interface OfficeHoursTable {
  region_id: string;
  periods: ColumnType<[string, string][], string, string>;
  updated_at: Generated<Date>;
  updated_by: string | null;
}

// ─── Event closed loop (migrations/20261203090000_cases.sql) ──────────────────────────────────
type JsonNullable = ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;

export interface EventCategoryTable {
  id: Generated<string>;
  parent_id: string | null;
  code: string;
  name: string;
  kind: 'class' | 'item';
  sort_order: Generated<number>;
  active: Generated<boolean>;
  current_version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface EventCategoryVersionTable {
  category_id: string;
  version: number;
  dept_code: string | null;
  level: 'grid' | 'community' | 'street' | 'district';
  limits: Json;
  self_dispose: Generated<boolean>;
  admitted: Generated<boolean>;
  feedback: Generated<string>;
  closure: Generated<string>;
  keywords: ColumnType<string[], string | undefined, string>;
  created_at: Generated<Date>;
  created_by: string | null;
}

export interface RoutingRuleTable {
  id: Generated<string>;
  category_id: string | null;
  region_id: string;
  lead_org_unit_id: string;
  co_org_unit_ids: Generated<string[]>;
  priority: Generated<number>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  created_by: string | null;
}

export interface EventCaseTable {
  id: Generated<string>;
  case_no: string;
  channel: 'grid_worker' | 'resident' | 'staff_proxy' | 'hotline' | 'device' | 'open311';
  channel_detail: string | null;
  external_id: string | null;
  idem_scope: string | null;
  idempotency_key: string | null;
  /** sha-256 of the normalised report body (migrations/20261203092000_intake.sql). */
  idem_hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the problem happened, as reported (20261203092000_intake.sql). */
  occurred_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  category_id: string;
  category_version: number;
  title: string;
  description: string;
  urgency: Generated<'normal' | 'urgent' | 'critical'>;
  status: string;
  region_id: string;
  region_path: string;
  grid_id: string | null;
  no_grid: Generated<boolean>;
  geom: ColumnType<string | null, string | null | undefined, string | null>;
  address: string | null;
  people_involved: string | null;
  reporter_user_id: string | null;
  reporter_name: string | null;
  reporter_phone_enc: BytesNullable;
  reporter_phone_masked: string | null;
  created_by: string | null;
  parent_case_id: string | null;
  first_report: Generated<boolean>;
  handling_level: 'grid' | 'community' | 'street' | 'district';
  lead_org_unit_id: string | null;
  co_org_unit_ids: Generated<string[]>;
  stage: string | null;
  stage_started_at: TimestampNullable;
  stage_due_at: TimestampNullable;
  stage_extension: JsonNullable;
  sla_level: Generated<'green' | 'yellow' | 'red' | 'paused' | 'none'>;
  suspended: Generated<boolean>;
  supervision: Generated<'none' | 'normal' | 'yellow' | 'red'>;
  reported_at: Timestamp;
  accepted_at: TimestampNullable;
  filed_at: TimestampNullable;
  dispatched_at: TimestampNullable;
  handled_at: TimestampNullable;
  verified_at: TimestampNullable;
  closed_at: TimestampNullable;
  handle_due_at: TimestampNullable;
  on_time_handle: boolean | null;
  on_time_close: boolean | null;
  self_disposed: Generated<boolean>;
  rework_count: Generated<number>;
  return_count: Generated<number>;
  extension_count: Generated<number>;
  suspend_count: Generated<number>;
  satisfaction: 'satisfied' | 'basic' | 'dissatisfied' | null;
  callback_done: Generated<boolean>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface EventCaseActionTable {
  id: Generated<number>;
  case_id: string;
  seq: number;
  action: string;
  from_status: string | null;
  to_status: string | null;
  actor_user_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  note: string | null;
  data: Json;
  created_at: Generated<Date>;
}

export interface EventCaseAttachmentTable {
  id: Generated<string>;
  case_id: string | null;
  action_id: number | null;
  purpose: Generated<string>;
  kind: 'photo' | 'audio' | 'video';
  mime: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  /** The blob store holding the bytes (modules/intake/blob-store.ts). */
  storage: Generated<'disk' | 's3'>;
  original_name: string | null;
  uploaded_by: string | null;
  created_at: Generated<Date>;
}

export interface EventCasePauseTable {
  id: Generated<number>;
  case_id: string;
  kind: 'suspend' | 'material';
  from_at: Timestamp;
  to_at: TimestampNullable;
  reason: string;
  review_date: DateNullable;
}

export interface EventCaseSlaEventTable {
  case_id: string;
  stage: string;
  stage_started_at: Timestamp;
  level: 'yellow' | 'red';
  created_at: Generated<Date>;
}

export interface EventCaseRatingTable {
  id: Generated<number>;
  case_id: string;
  rater_user_id: string | null;
  source: 'resident' | 'callback';
  rating: 'satisfied' | 'basic' | 'dissatisfied';
  comment: string | null;
  created_at: Generated<Date>;
}

export interface NotificationTable {
  id: Generated<number>;
  user_id: string | null;
  org_unit_id: string | null;
  case_id: string | null;
  kind: string;
  title: string;
  body: Generated<string>;
  created_at: Generated<Date>;
  read_at: TimestampNullable;
}

export interface WebhookOutboxTable {
  id: Generated<number>;
  case_id: string;
  target: string;
  payload: Json;
  attempts: Generated<number>;
  next_at: Generated<Date>;
  delivered_at: TimestampNullable;
  last_error: string | null;
  created_at: Generated<Date>;
  /** Given up after the last retry (20261203092000_intake.sql). */
  failed_at: TimestampNullable;
  kind: Generated<string>;
}

/** Open311 client fields of a case submitted through /open311/v2 (migrations/20261203094000_open311.sql). */
export interface Open311RequestTable {
  case_id: string;
  token_id: string;
  jurisdiction_id: string | null;
  device_id: string | null;
  account_id: string | null;
  address_id: string | null;
  email_enc: Buffer | null;
  email_masked: string | null;
  media_url: string | null;
  /** Why media_url could not be stored as the case's photo (null when stored or not given). */
  media_error: string | null;
  created_at: Generated<Date>;
}

export interface DB {
  app_setting: AppSettingTable;
  grid: GridTable;
  grid_boundary: GridBoundaryTable;
  grid_adjustment: GridAdjustmentTable;
  grid_staff: GridStaffTable;
  grid_size_norm: GridSizeNormTable;
  grid_index_version: GridIndexVersionTable;
  schema_migrations: SchemaMigrationTable;
  region_level: RegionLevelTable;
  region: RegionTable;
  org_unit: OrgUnitTable;
  app_user: AppUserTable;
  user_scope: UserScopeTable;
  user_session: UserSessionTable;
  api_token: ApiTokenTable;
  audit_log: AuditLogTable;
  building: BuildingTable;
  house: HouseTable;
  person: PersonTable;
  residence: ResidenceTable;
  household: HouseholdTable;
  household_member: HouseholdMemberTable;
  organisation: OrganisationTable;
  facility: FacilityTable;
  key_place: KeyPlaceTable;
  special_entry: SpecialEntryTable;
  break_glass_grant: BreakGlassGrantTable;
  record_change: RecordChangeTable;
  import_job: ImportJobTable;
  import_rejection: ImportRejectionTable;
  adjustment_trigger: AdjustmentTriggerTable;
  holiday_schedule: HolidayScheduleTable;
  office_hours: OfficeHoursTable;
  event_category: EventCategoryTable;
  event_category_version: EventCategoryVersionTable;
  routing_rule: RoutingRuleTable;
  event_case: EventCaseTable;
  event_case_action: EventCaseActionTable;
  event_case_attachment: EventCaseAttachmentTable;
  event_case_pause: EventCasePauseTable;
  event_case_sla_event: EventCaseSlaEventTable;
  event_case_rating: EventCaseRatingTable;
  notification: NotificationTable;
  webhook_outbox: WebhookOutboxTable;
  open311_request: Open311RequestTable;
}

export type Region = Selectable<RegionTable>;
export type NewRegion = Insertable<RegionTable>;
export type OrgUnit = Selectable<OrgUnitTable>;
export type AppUser = Selectable<AppUserTable>;
export type AppUserUpdate = Updateable<AppUserTable>;
export type UserSession = Selectable<UserSessionTable>;
export type ApiToken = Selectable<ApiTokenTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
