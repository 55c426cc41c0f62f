import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inSubtrees } from '../regions/subtree.js';

export interface RoutingRuleRow {
  id: string;
  category_id: string | null;
  category_code: string | null;
  category_name: string | null;
  region_id: string;
  region_name: string;
  region_level: string;
  region_path: string;
  lead_org_unit_id: string;
  lead_name: string;
  co_org_unit_ids: string[];
  priority: number;
  active: boolean;
  created_at: Date;
  created_by: string | null;
}

/** A routing rule that may apply to a region: its region's path tells how deep it sits. */
export interface CandidateRule {
  id: string;
  category_id: string | null;
  region_path: string;
  lead_org_unit_id: string;
  co_org_unit_ids: string[];
  priority: number;
  created_at: Date;
}

/** uuid[] comes back as an array from pg and sometimes as '{a,b}' text from PGlite raw queries. */
function uuidArray(v: unknown): string[] {
  if (Array.isArray(v)) return v as string[];
  if (typeof v === 'string')
    return v
      .replace(/^\{|\}$/g, '')
      .split(',')
      .filter(Boolean);
  return [];
}

/** All SQL of routing rules and of routing resolution. Every function takes an optional transaction. */
export function createRoutingRepository(db: Kysely<DB>) {
  const base = (trx: Kysely<DB>) =>
    trx
      .selectFrom('routing_rule as rr')
      .innerJoin('region as g', 'g.id', 'rr.region_id')
      .innerJoin('org_unit as o', 'o.id', 'rr.lead_org_unit_id')
      .leftJoin('event_category as c', 'c.id', 'rr.category_id')
      .leftJoin('app_user as u', 'u.id', 'rr.created_by')
      .select([
        'rr.id',
        'rr.category_id',
        'c.code as category_code',
        'c.name as category_name',
        'rr.region_id',
        'g.name as region_name',
        'g.level as region_level',
        'g.path as region_path',
        'rr.lead_org_unit_id',
        'o.name as lead_name',
        'rr.co_org_unit_ids',
        'rr.priority',
        'rr.active',
        'rr.created_at',
        'u.display_name as created_by',
      ]);
  const fix = (r: Omit<RoutingRuleRow, 'co_org_unit_ids'> & { co_org_unit_ids: unknown }): RoutingRuleRow => ({
    ...r,
    co_org_unit_ids: uuidArray(r.co_org_unit_ids),
  });

  return {
    db,

    /** Rules whose region lies in one of the subtrees, most specific first. */
    async list(f: { paths: readonly string[]; includeInactive: boolean; categoryId?: string }, trx: Kysely<DB> = db): Promise<RoutingRuleRow[]> {
      let q = base(trx).where(inSubtrees('g.path', f.paths));
      if (!f.includeInactive) q = q.where('rr.active', '=', true);
      if (f.categoryId) q = q.where('rr.category_id', '=', f.categoryId);
      const rows = await q
        .orderBy('rr.active', 'desc')
        .orderBy(sql`length(g.path)`)
        .orderBy('g.code')
        .orderBy(sql`rr.category_id is null`)
        .orderBy('c.code')
        .orderBy('rr.priority', 'desc')
        .orderBy('rr.created_at')
        .execute();
      return rows.map(fix);
    },

    async findById(id: string, trx: Kysely<DB> = db): Promise<RoutingRuleRow | undefined> {
      const r = await base(trx).where('rr.id', '=', id).executeTakeFirst();
      return r && fix(r);
    },

    async insert(
      v: { categoryId: string | null; regionId: string; leadOrgUnitId: string; coOrgUnitIds: string[]; priority: number; createdBy: string | null },
      trx: Kysely<DB> = db,
    ): Promise<string> {
      const r = await sql<{ id: string }>`
        insert into routing_rule (category_id, region_id, lead_org_unit_id, co_org_unit_ids, priority, created_by)
        values (${v.categoryId}::uuid, ${v.regionId}::uuid, ${v.leadOrgUnitId}::uuid, ${`{${v.coOrgUnitIds.join(',')}}`}::uuid[], ${v.priority},
                ${v.createdBy}::uuid)
        returning id`.execute(trx);
      return (r.rows[0] as { id: string }).id;
    },

    async setActive(id: string, active: boolean, trx: Kysely<DB> = db): Promise<void> {
      await trx.updateTable('routing_rule').set({ active }).where('id', '=', id).execute();
    },

    region(id: string, trx: Kysely<DB> = db) {
      return trx.selectFrom('region').select(['id', 'name', 'path', 'level']).where('id', '=', id).executeTakeFirst();
    },

    /** Regions by id (the ancestors of a region: their level and depth). */
    regions(ids: readonly string[], trx: Kysely<DB> = db) {
      if (ids.length === 0) return Promise.resolve([]);
      return trx.selectFrom('region').select(['id', 'level', 'path']).where('id', 'in', ids).execute();
    },

    orgUnits(ids: readonly string[], trx: Kysely<DB> = db) {
      if (ids.length === 0) return Promise.resolve([]);
      return trx
        .selectFrom('org_unit as o')
        .innerJoin('region as r', 'r.id', 'o.region_id')
        .select(['o.id', 'o.name', 'o.kind', 'o.region_id', 'r.path as region_path'])
        .where('o.id', 'in', ids)
        .execute();
    },

    category(id: string, trx: Kysely<DB> = db) {
      return trx.selectFrom('event_category').select(['id', 'kind', 'current_version', 'active']).where('id', '=', id).executeTakeFirst();
    },

    /** Active rules at the region or an ancestor, for the category or for any category. */
    async candidates(categoryId: string, regionIds: readonly string[], trx: Kysely<DB> = db): Promise<CandidateRule[]> {
      if (regionIds.length === 0) return [];
      const rows = await trx
        .selectFrom('routing_rule as rr')
        .innerJoin('region as g', 'g.id', 'rr.region_id')
        .select(['rr.id', 'rr.category_id', 'g.path as region_path', 'rr.lead_org_unit_id', 'rr.co_org_unit_ids', 'rr.priority', 'rr.created_at'])
        .where('rr.active', '=', true)
        .where('rr.region_id', 'in', regionIds)
        .where((eb) => eb.or([eb('rr.category_id', '=', categoryId), eb('rr.category_id', 'is', null)]))
        .execute();
      return rows.map((r) => ({ ...r, co_org_unit_ids: uuidArray(r.co_org_unit_ids) }));
    },

    /** The department and handling level of a category's rules (a given version, or the current one). */
    async categoryRules(categoryId: string, version: number | undefined, trx: Kysely<DB> = db) {
      const q = trx
        .selectFrom('event_category as c')
        .innerJoin('event_category_version as v', 'v.category_id', 'c.id')
        .select(['v.version', 'v.dept_code', 'v.level'])
        .where('c.id', '=', categoryId);
      return (version === undefined ? q.whereRef('v.version', '=', 'c.current_version') : q.where('v.version', '=', version)).executeTakeFirst();
    },

    /** Units of these kinds at the given regions (the ancestors of a case's region). */
    unitsAt(regionIds: readonly string[], f: { kinds: readonly ('center' | 'station' | 'department')[]; deptCode?: string }, trx: Kysely<DB> = db) {
      if (regionIds.length === 0) return Promise.resolve([]);
      let q = trx
        .selectFrom('org_unit as o')
        .innerJoin('region as r', 'r.id', 'o.region_id')
        .select(['o.id', 'o.name', 'o.kind', 'o.region_id', 'r.path as region_path'])
        .where('o.region_id', 'in', regionIds)
        .where('o.kind', 'in', f.kinds);
      if (f.deptCode !== undefined) q = q.where('o.dept_code', '=', f.deptCode);
      return q.orderBy('o.name').execute();
    },
  };
}
export type RoutingRepository = ReturnType<typeof createRoutingRepository>;
