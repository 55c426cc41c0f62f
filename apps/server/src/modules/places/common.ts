import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/app-error.js';
import { canView, type Principal } from '../../http/principal.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { pgErrorOf } from '../regions/regions.repository.js';
import { likeLiteral } from '../regions/subtree.js';
import type { GridFilter } from '../registry-common/record-scope.js';
import type { GridPlace } from '../registry-common/record-scope.repository.js';

export const DEFAULT_FRESHNESS_DAYS = 180;
export const FRESHNESS_GOAL = 0.98;

/** The age after which a record counts as stale (app_setting 'registry.freshness_days'; 180 days when unset). */
export async function freshnessDays(db: Kysely<DB>): Promise<number> {
  const r = await db
    .selectFrom('app_setting')
    .select(sql<string | null>`value #>> '{}'`.as('v'))
    .where('key', '=', 'registry.freshness_days')
    .executeTakeFirst();
  const n = Number(r?.v);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_FRESHNESS_DAYS;
}

/** Columns every located registry row (aliased `x`) shares: its grid, community, point and freshness. */
export const locatedColumns = sql`
  g.id AS grid_id, g.code AS grid_code, g.name AS grid_name, c.id AS community_id, c.name AS community_name,
  ST_X(x.geom) AS lng, ST_Y(x.geom) AS lat, x.created_at, x.updated_at`;

export const freshnessColumns = (days: number) => sql`
  cu.display_name AS created_by_name, vu.display_name AS verified_by_name, x.verified_at,
  (x.verified_at IS NULL OR x.verified_at < now() - make_interval(days => ${days}::int)) AS stale`;

export const locatedJoins = sql`
  JOIN grid g ON g.id = x.grid_id
  JOIN region c ON c.id = g.community_id
  LEFT JOIN app_user cu ON cu.id = x.created_by`;
export const verifiedJoin = sql`LEFT JOIN app_user vu ON vu.id = x.verified_by`;

export interface LocatedRow {
  grid_id: string;
  grid_code: string;
  grid_name: string;
  community_id: string;
  community_name: string;
  lng: number | null;
  lat: number | null;
  created_at: Date | string;
  updated_at: Date | string;
  created_by_name?: string | null;
  verified_by_name?: string | null;
  verified_at?: Date | string | null;
  stale?: boolean;
}

export const iso = (v: Date | string | null | undefined): string | null => (v == null ? null : v instanceof Date ? v.toISOString() : new Date(v).toISOString());
export const num = (v: unknown): number | null => (v == null ? null : Number(v));

export const gridRefOf = (r: LocatedRow) => ({
  gridId: r.grid_id,
  gridCode: r.grid_code,
  gridName: r.grid_name,
  communityId: r.community_id,
  communityName: r.community_name,
});

export const freshnessOf = (r: LocatedRow) => ({
  createdBy: r.created_by_name ?? null,
  createdAt: iso(r.created_at) as string,
  updatedAt: iso(r.updated_at) as string,
  verifiedBy: r.verified_by_name ?? null,
  verifiedAt: iso(r.verified_at),
  stale: r.stale ?? true,
});

/** `AND x.grid_id = ANY(...)` for a list in the caller's scope (nothing when the filter is null). */
export function gridCondition(filter: GridFilter, column = 'x.grid_id'): RawBuilder<unknown> {
  if (filter === null) return sql``;
  return sql`AND ${sql.ref(column)} = ANY(${sql.val([...filter])}::uuid[])`;
}

export const containsText = (column: string, q: string | undefined) => (q ? sql`AND ${sql.ref(column)} ILIKE ${`%${likeLiteral(q)}%`}` : sql``);

export const pointSql = (point: [number, number] | null) => (point ? sql`ST_SetSRID(ST_MakePoint(${point[0]}::float8, ${point[1]}::float8), 4326)` : sql`NULL`);

/** A unique-constraint violation on `constraint` (the caller's own pre-check lost a race). */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = pgErrorOf(err);
  return !!e && e.code === '23505' && e.constraint.includes(constraint);
}

/** Normalised text of a standard address: full-width → half-width (NFKC), no spaces, lower case. */
export const normaliseAddress = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
export const addressKey = (communityId: string, address: string) => `${communityId}:${normaliseAddress(address)}`;

/** "12" → "12号", "12号" stays: the suffix is added once, whichever way the clerk typed it. */
export const withSuffix = (v: string | null | undefined, suffix: string) => {
  const t = v?.trim();
  if (!t) return '';
  return t.endsWith(suffix) ? t : `${t}${suffix}`;
};

/** Audit entry of a registry write, in the record's community. */
export async function auditRecord(
  audit: Pick<AuditRepository, 'append'>,
  trx: Kysely<DB>,
  actor: Principal,
  meta: RequestMeta,
  e: { action: string; targetType: string; targetId: string; place: GridPlace; details?: Record<string, unknown> },
): Promise<void> {
  await audit.append(
    {
      ...auditContext(actor, meta),
      action: e.action,
      outcome: 'ok',
      targetType: e.targetType,
      targetId: e.targetId,
      regionId: e.place.communityId,
      regionPath: e.place.regionPath,
      details: { gridCode: e.place.gridCode, ...e.details },
    },
    trx,
  );
}

export const fieldError = (code: 'VALIDATION_FAILED', path: string, message: string) => new AppError(code, { fields: [{ path, code: 'invalid', message }] });

/** Names of the body fields a patch sets (for the change history and the audit). */
export const changedFields = (body: Record<string, unknown>) => Object.keys(body).filter((k) => body[k] !== undefined);

/**
 * A list narrowed to a region or grid the caller cannot see is NOT_FOUND (as in the persons module),
 * rather than an empty page that would look like "nothing registered there".
 */
export async function checkListTargets(
  ctx: { db: Kysely<DB>; scope: { viewableGrid(p: Principal, gridId: string): Promise<unknown> } },
  p: Principal,
  q: { regionId?: string; gridId?: string },
): Promise<void> {
  if (q.gridId) await ctx.scope.viewableGrid(p, q.gridId);
  if (q.regionId) {
    const r = await ctx.db.selectFrom('region').select('path').where('id', '=', q.regionId).executeTakeFirst();
    if (!r || !canView(p, r.path)) throw new AppError('NOT_FOUND');
  }
}
