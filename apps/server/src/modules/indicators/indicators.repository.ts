import type { IndicatorCountKey, IndicatorGroupBy } from '@gridgov/contracts/indicators';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { fromJson } from '../../db/json.js';
import type { DB } from '../../db/schema.js';
import { idsOnPath, inSubtrees } from '../regions/subtree.js';

/** One group's sums as the database returns them (bigint counts may come back as strings). */
export type IndicatorSums = Record<IndicatorCountKey, number> & { handleSeconds: number; handleCases: number };
export interface IndicatorGroupRow {
  id: string | null;
  code: string | null;
  name: string | null;
  sums: IndicatorSums;
}

export interface IndicatorFilter {
  /** [from, to) instants. */
  from: Date;
  to: Date;
  /** Region subtrees the cases must lie in (region_path prefixes); every case must be in one. */
  paths: readonly string[];
  /** Narrow to cases whose region lies under this path. */
  regionPath?: string;
  /** Grid staff: only these grids. */
  gridIds?: readonly string[] | null;
  /** Departments: only cases whose lead unit is this one. */
  leadOrgUnitId?: string | null;
}

const notVoid = sql.raw(`e.status NOT IN ('cancelled','merged','rejected')`);
/**
 * Each count as a FILTER clause over event_case (see contracts/indicators.ts for the definitions). Every one reads
 * only columns of the case row, so the aggregate is one pass over the period's cases.
 */
const measures: Record<IndicatorCountKey, RawBuilder<unknown>> = {
  reported: sql`count(*)`,
  accepted: sql`count(*) FILTER (WHERE e.accepted_at IS NOT NULL)`,
  filed: sql`count(*) FILTER (WHERE e.filed_at IS NOT NULL)`,
  shouldDispatch: sql`count(*) FILTER (WHERE e.filed_at IS NOT NULL AND (e.dispatched_at IS NOT NULL OR ${notVoid}))`,
  dispatched: sql`count(*) FILTER (WHERE e.dispatched_at IS NOT NULL)`,
  shouldHandle: sql`count(*) FILTER (WHERE e.dispatched_at IS NOT NULL AND ${notVoid})`,
  handled: sql`count(*) FILTER (WHERE e.handled_at IS NOT NULL AND e.dispatched_at IS NOT NULL AND ${notVoid})`,
  onTimeHandled: sql`count(*) FILTER (WHERE e.on_time_handle AND e.dispatched_at IS NOT NULL AND ${notVoid})`,
  shouldClose: sql`count(*) FILTER (WHERE (e.filed_at IS NOT NULL OR e.self_disposed) AND ${notVoid})`,
  closed: sql`count(*) FILTER (WHERE e.closed_at IS NOT NULL AND (e.filed_at IS NOT NULL OR e.self_disposed) AND ${notVoid})`,
  onTimeClosed: sql`count(*) FILTER (WHERE e.on_time_close AND e.closed_at IS NOT NULL AND (e.filed_at IS NOT NULL OR e.self_disposed) AND ${notVoid})`,
  rework: sql`count(*) FILTER (WHERE e.rework_count > 0 AND ${notVoid})`,
  extended: sql`count(*) FILTER (WHERE e.extension_count > 0 AND ${notVoid})`,
  suspended: sql`count(*) FILTER (WHERE e.suspend_count > 0 AND e.closed_at IS NULL AND (e.filed_at IS NOT NULL OR e.self_disposed) AND ${notVoid})`,
  selfDisposed: sql`count(*) FILTER (WHERE e.self_disposed AND ${notVoid})`,
  rated: sql`count(*) FILTER (WHERE e.satisfaction IS NOT NULL)`,
  satisfied: sql`count(*) FILTER (WHERE e.satisfaction = 'satisfied')`,
  basic: sql`count(*) FILTER (WHERE e.satisfaction = 'basic')`,
  dissatisfied: sql`count(*) FILTER (WHERE e.satisfaction = 'dissatisfied')`,
  cancelled: sql`count(*) FILTER (WHERE e.status = 'cancelled')`,
};
const measureKeys = Object.keys(measures) as IndicatorCountKey[];
const handled = sql.raw(`e.handled_at IS NOT NULL AND e.dispatched_at IS NOT NULL AND e.status NOT IN ('cancelled','merged','rejected')`);

/** How a group is named once the sums are in: region rows for the region levels, else the key's own table. */
const regionLevels: Partial<Record<IndicatorGroupBy, string>> = { community: 'community', street: 'street', district: 'district' };

export function createIndicatorsRepository(db: Kysely<DB>) {
  return {
    db,

    /**
     * The whole report in one aggregate statement: the period's cases in scope are summed per grid × region path (or per
     * department / category) in one pass with FILTER clauses, then the few resulting groups are rolled up to the
     * wanted level (a grid's community as it was when the case was reported: grid rows keep their community).
     */
    async aggregate(groupBy: IndicatorGroupBy, f: IndicatorFilter, trx: Kysely<DB> = db): Promise<IndicatorGroupRow[]> {
      // Scope and region filter as the ids of the regions under those paths (a small lookup before the aggregate), so
      // the period's cases of a subtree come straight from the (region_id, reported_at) covering index, one range
      // per region, without the table; the planner also sizes the aggregate right from the id list.
      const ids = await sql<{ id: string }>`SELECT r.id FROM region r WHERE ${inSubtrees('r.path', f.paths)}
        ${f.regionPath ? sql`AND ${inSubtrees('r.path', [f.regionPath])}` : sql``}`.execute(trx);
      const where = sql.join(
        [
          sql`e.reported_at >= ${f.from}`,
          sql`e.reported_at < ${f.to}`,
          sql`e.region_id = ANY(${ids.rows.map((r) => r.id)}::uuid[])`,
          ...(f.gridIds ? [f.gridIds.length ? sql`e.grid_id IN (${sql.join(f.gridIds.map((g) => sql`${g}::uuid`))})` : sql`false`] : []),
          ...(f.leadOrgUnitId !== undefined ? [f.leadOrgUnitId ? sql`e.lead_org_unit_id = ${f.leadOrgUnitId}::uuid` : sql`false`] : []),
        ],
        sql` AND `,
      );
      const sums = sql.join(
        [
          ...measureKeys.map((k) => sql`${measures[k]} AS ${sql.ref(k)}`),
          sql`coalesce(sum(extract(epoch FROM e.handled_at - e.dispatched_at)) FILTER (WHERE ${handled}), 0) AS "handleSeconds"`,
          sql`count(*) FILTER (WHERE ${handled}) AS "handleCases"`,
        ],
        sql`, `,
      );
      const resum = sql.join(
        [...measureKeys, 'handleSeconds', 'handleCases'].map((k) => sql`sum(b.${sql.ref(k)}) AS ${sql.ref(k)}`),
        sql`, `,
      );
      const level = regionLevels[groupBy];
      let q: RawBuilder<Record<string, unknown>>;
      if (level) {
        q = sql`
          WITH b AS (
            SELECT e.grid_id, e.region_id, ${sums} FROM event_case e WHERE ${where} GROUP BY e.grid_id, e.region_id
          ), p AS (
            SELECT b.*, coalesce(gc.path, er.path) AS place FROM b
            JOIN region er ON er.id = b.region_id
            LEFT JOIN grid g ON g.id = b.grid_id LEFT JOIN region gc ON gc.id = g.community_id
          )
          SELECT a.id, a.code, a.name, ${resum}
          FROM p b LEFT JOIN region a ON a.level = ${level} AND left(b.place, length(a.path)) = a.path
          GROUP BY a.id, a.code, a.name
          ORDER BY a.code NULLS LAST`;
      } else {
        const [key, join, code, name] =
          groupBy === 'grid'
            ? ['e.grid_id', sql`LEFT JOIN grid x ON x.id = b.k`, sql`x.code`, sql`x.name`]
            : groupBy === 'department'
              ? ['e.lead_org_unit_id', sql`LEFT JOIN org_unit x ON x.id = b.k`, sql`x.dept_code`, sql`x.name`]
              : ['e.category_id', sql`LEFT JOIN event_category x ON x.id = b.k`, sql`x.code`, sql`x.name`];
        q = sql`
          WITH b AS (SELECT ${sql.raw(key)} AS k, ${sums} FROM event_case e WHERE ${where} GROUP BY ${sql.raw(key)})
          SELECT b.*, b.k AS id, ${code} AS code, ${name} AS name FROM b ${join}
          ORDER BY ${code} NULLS LAST, b.k`;
      }
      const r = await q.execute(trx);
      return r.rows.map((row) => ({
        id: (row.id as string | null) ?? null,
        code: (row.code as string | null) ?? null,
        name: (row.name as string | null) ?? null,
        sums: Object.fromEntries([...measureKeys, 'handleSeconds', 'handleCases'].map((k) => [k, Number(row[k] ?? 0)])) as IndicatorSums,
      }));
    },

    async region(id: string, trx: Kysely<DB> = db) {
      return trx.selectFrom('region').select(['id', 'name', 'path']).where('id', '=', id).executeTakeFirst();
    },

    /**
     * The denominators that apply at a region path: the nearest region up the path with its own setting
     * ('indicators.denominators@<region id>'), else the deployment default ('indicators.denominators').
     */
    async denominatorsAt(path: string | null, trx: Kysely<DB> = db): Promise<{ value: unknown; regionId: string | null; regionName: string | null } | null> {
      const ids = path ? idsOnPath(path) : [];
      const keys = ['indicators.denominators', ...ids.map((id) => `indicators.denominators@${id}`)];
      const rows = await trx.selectFrom('app_setting').select(['key', 'value']).where('key', 'in', keys).execute();
      const byKey = new Map(rows.map((r) => [r.key, r.value]));
      for (const id of [...ids].reverse()) {
        const v = byKey.get(`indicators.denominators@${id}`);
        if (v !== undefined) {
          const region = await this.region(id, trx);
          return { value: fromJson(v as never), regionId: id, regionName: region?.name ?? null };
        }
      }
      const d = byKey.get('indicators.denominators');
      return d === undefined ? null : { value: fromJson(d as never), regionId: null, regionName: null };
    },

    async putDenominators(regionId: string | null, value: unknown, userId: string | null, trx: Kysely<DB> = db) {
      const key = regionId ? `indicators.denominators@${regionId}` : 'indicators.denominators';
      await sql`INSERT INTO app_setting (key, value, updated_at, updated_by) VALUES (${key}, ${JSON.stringify(value)}::jsonb, now(), ${userId}::uuid)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now(), updated_by = excluded.updated_by`.execute(trx);
    },
  };
}
export type IndicatorsRepository = ReturnType<typeof createIndicatorsRepository>;
