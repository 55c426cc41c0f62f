/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) at `/open311/v2/`, JSON or XML by the file
 * extension. Field names are the spec's (snake_case); our Chinese lifecycle rides in `extended_attributes`.
 *
 * Decisions (documented in README "Open311"):
 * - Services are the catalogue's active items: service_code = item code, group = class name, metadata false
 *   (no extra attributes), type realtime.
 * - POST requests needs `api_key` = an API token of this installation (`ggt_…`) holding `case.report`; the case
 *   is created in the token's regions with channel `open311`. A cookie session is never accepted here (a
 *   form-encoded POST would bypass the CSRF check).
 * - GET requests is public: no reporter data ever; cases of the private categories below are left out of
 *   lists, and by id show only status and dates (no description, address, location or notes); coordinates
 *   are rounded to 4 decimals (≈ 10 m); phone and 身份证 numbers in public text are masked.
 * - status: open | closed, where closed = 已结案, 不予受理, 已作废, 已并案.
 */
import { z } from 'zod';
import { type CaseStatus, terminalStatuses } from './cases.js';

export const OPEN311_FORMATS = ['json', 'xml'] as const;
export const Open311Format = z.enum(OPEN311_FORMATS);
export type Open311Format = z.infer<typeof Open311Format>;

export type Open311Status = 'open' | 'closed';
/** Open311 knows open and closed only; every terminal state of ours is closed. */
export const open311StatusOf = (s: CaseStatus): Open311Status => (terminalStatuses.includes(s) ? 'closed' : 'open');

/**
 * Catalogue items whose cases the public Open311 read never lists and never locates: they are about a person
 * (assistance, care, disputes, family matters, labour disputes) or about public-order intelligence. Codes of the
 * default catalogue (seed/default-catalogue.ts); an item added later is public unless its code is listed here.
 */
export const open311PrivateCategoryCodes: readonly string[] = [
  '0101', // 低保与临时救助
  '0102', // 养老服务需求
  '0103', // 残疾人帮扶
  '0104', // 就业创业咨询
  '0105', // 医疗卫生服务
  '0110', // 邻里纠纷调解
  '0111', // 家庭矛盾调解
  '0112', // 劳资纠纷
  '0113', // 教育入学咨询
  '0114', // 证照代办
  '0115', // 独居老人关爱
  '0116', // 留守儿童关爱
  '0119', // 政策咨询
  '0120', // 其他民生诉求
  '0217', // 社会治安隐患
  '0218', // 矛盾激化苗头
];

/** Coordinates shown by the public read: 4 decimals ≈ 10 m. */
export const OPEN311_COORD_DECIMALS = 4;

// ─── inputs ──────────────────────────────────────────────────────────────────────────────────

export const Open311FormatParams = z.strictObject({ format: Open311Format });
export const Open311CodeParams = z.strictObject({ code: z.string().min(1).max(32), format: Open311Format });
export const Open311IdParams = z.strictObject({ id: z.string().min(1).max(64), format: Open311Format });

/** `jurisdiction_id` is accepted and ignored: one installation is one jurisdiction. */
export const Open311ServicesQuery = z.object({ jurisdiction_id: z.string().max(100).optional() });

const optText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));
/** Form-encoded bodies carry strings, JSON bodies may carry numbers. */
const coord = (min: number, max: number) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : typeof v === 'string' ? Number(v) : v), z.number().min(min).max(max).optional());

/** POST requests: the spec's fields (unknown ones, e.g. attribute[…], are ignored as the spec allows). */
export const Open311CreateRequest = z.object({
  api_key: z.string().max(200).optional(),
  jurisdiction_id: optText(100),
  service_code: z.string().trim().min(1).max(32),
  lat: coord(-90, 90),
  long: coord(-180, 180),
  address_string: optText(200),
  address_id: optText(100),
  email: optText(200),
  device_id: optText(100),
  account_id: optText(100),
  first_name: optText(50),
  last_name: optText(50),
  phone: optText(30),
  description: optText(4000),
  media_url: optText(1000),
});
export type Open311CreateRequest = z.infer<typeof Open311CreateRequest>;

const csv = z
  .string()
  .max(2000)
  .optional()
  .transform((v) =>
    v
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined,
  );
const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date()).optional();

/** GET requests: the spec's filters; without ids and dates, the last 90 days; at most 1000 (spec). */
export const Open311ListQuery = z.object({
  jurisdiction_id: z.string().max(100).optional(),
  service_request_id: csv,
  service_code: csv,
  start_date: isoDate,
  end_date: isoDate,
  status: csv.pipe(z.array(z.enum(['open', 'closed'])).optional()),
  /** Not in the spec (FixMyStreet has it): fewer than the spec's 1000. */
  max_requests: z.coerce.number().int().min(1).max(1000).optional(),
});
export type Open311ListQuery = z.infer<typeof Open311ListQuery>;
export const OPEN311_DEFAULT_DAYS = 90;
export const OPEN311_MAX_REQUESTS = 1000;

// ─── outputs ─────────────────────────────────────────────────────────────────────────────────

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

export interface Open311ServiceDefinition {
  service_code: string;
  attributes: never[];
}

export interface Open311CreatedRequest {
  service_request_id: string;
  service_notice: string;
  account_id: string | null;
}

/** One step of the Chinese lifecycle (timeline entry without actor or note). */
export interface Open311LifecycleStep {
  action: string;
  action_zh: string;
  status: string | null;
  status_zh: string | null;
  datetime: string;
}

export interface Open311ExtendedAttributes {
  /** Why media_url is not among the case's photos ("zh / en"); null when it was stored or none was given. */
  media_error: string | null;
  case_no: string;
  status_code: CaseStatus;
  status_zh: string;
  status_en: string;
  stage: string | null;
  stage_zh: string | null;
  channel: string;
  /** False: a private category — description, address, location and notes withheld. */
  public: boolean;
  lifecycle: Open311LifecycleStep[];
}

export interface Open311ServiceRequest {
  service_request_id: string;
  status: Open311Status;
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
  extended_attributes: Open311ExtendedAttributes;
}

export interface Open311Error {
  /** Our stable error code (contracts/errors.ts). */
  code: string;
  /** zh-CN text. */
  description: string;
}
