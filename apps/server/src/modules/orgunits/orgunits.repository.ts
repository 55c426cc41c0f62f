import type { OrgUnitKind, RegionLevel } from '@gridgov/contracts/regions';
import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inSubtrees } from '../regions/subtree.js';

export interface OrgUnitRow {
  id: string;
  region_id: string;
  region_name: string;
  region_level: RegionLevel;
  region_path: string;
  kind: OrgUnitKind;
  name: string;
  dept_code: string | null;
  phone: string | null;
}

/**
 * Which org units a list holds: any unit at `regionIds` or inside `subtreePaths`, plus departments
 * at `departmentRegionIds` (departments serve the regions below them too).
 */
export interface OrgUnitFilter {
  regionIds: readonly string[];
  subtreePaths: readonly string[];
  departmentRegionIds: readonly string[];
  kind?: OrgUnitKind;
  limit: number;
  offset: number;
}

export interface OrgUnitPatch {
  name?: string;
  deptCode?: string | null;
  phone?: string | null;
}

/** All SQL of org units (centers, stations, departments). Writes take an optional transaction. */
export function createOrgUnitsRepository(db: Kysely<DB>) {
  const base = (trx: Kysely<DB>) =>
    trx
      .selectFrom('org_unit as o')
      .innerJoin('region as r', 'r.id', 'o.region_id')
      .select([
        'o.id',
        'o.region_id',
        'r.name as region_name',
        sql<RegionLevel>`r.level`.as('region_level'),
        'r.path as region_path',
        'o.kind',
        'o.name',
        'o.dept_code',
        'o.phone',
      ]);

  return {
    transaction<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    region(id: string) {
      return db
        .selectFrom('region')
        .select(['id', 'name', 'path', sql<RegionLevel>`level`.as('level')])
        .where('id', '=', id)
        .executeTakeFirst();
    },

    findById(id: string, trx: Kysely<DB> = db): Promise<OrgUnitRow | undefined> {
      return base(trx).where('o.id', '=', id).executeTakeFirst();
    },

    async list(f: OrgUnitFilter): Promise<{ rows: OrgUnitRow[]; total: number }> {
      const where = (): Expression<SqlBool> => {
        const any: Expression<SqlBool>[] = [];
        if (f.regionIds.length) any.push(sql<SqlBool>`o.region_id in (${sql.join(f.regionIds)})`);
        if (f.subtreePaths.length) any.push(inSubtrees('r.path', f.subtreePaths));
        if (f.departmentRegionIds.length) any.push(sql<SqlBool>`(o.kind = 'department' and o.region_id in (${sql.join(f.departmentRegionIds)}))`);
        if (any.length === 0) return sql<SqlBool>`false`;
        const anyOf = sql<SqlBool>`(${sql.join(any, sql` or `)})`;
        return f.kind ? sql<SqlBool>`(${anyOf} and o.kind = ${f.kind})` : anyOf;
      };
      const [rows, count] = await Promise.all([
        base(db)
          .where(where())
          .orderBy(sql`case o.kind when 'center' then 0 when 'station' then 1 else 2 end`)
          .orderBy(sql`length(r.path)`)
          .orderBy('r.sort_order')
          .orderBy('r.code')
          .orderBy('o.name')
          .limit(f.limit)
          .offset(f.offset)
          .execute(),
        db
          .selectFrom('org_unit as o')
          .innerJoin('region as r', 'r.id', 'o.region_id')
          .select(sql<number>`count(*)::int`.as('n'))
          .where(where())
          .executeTakeFirstOrThrow(),
      ]);
      return { rows, total: count.n };
    },

    async nameTaken(regionId: string, name: string, exceptId?: string, trx: Kysely<DB> = db): Promise<boolean> {
      let q = trx.selectFrom('org_unit').select('id').where('region_id', '=', regionId).where('name', '=', name);
      if (exceptId) q = q.where('id', '!=', exceptId);
      return !!(await q.executeTakeFirst());
    },

    async insert(
      u: { regionId: string; kind: OrgUnitKind; name: string; deptCode: string | null; phone: string | null },
      trx: Kysely<DB> = db,
    ): Promise<string> {
      const r = await trx
        .insertInto('org_unit')
        .values({ region_id: u.regionId, kind: u.kind, name: u.name, dept_code: u.deptCode, phone: u.phone })
        .returning('id')
        .executeTakeFirstOrThrow();
      return r.id;
    },

    async update(id: string, p: OrgUnitPatch, trx: Kysely<DB> = db): Promise<void> {
      await trx
        .updateTable('org_unit')
        .set({
          ...(p.name !== undefined ? { name: p.name } : {}),
          ...(p.deptCode !== undefined ? { dept_code: p.deptCode } : {}),
          ...(p.phone !== undefined ? { phone: p.phone } : {}),
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .execute();
    },
  };
}
export type OrgUnitsRepository = ReturnType<typeof createOrgUnitsRepository>;
