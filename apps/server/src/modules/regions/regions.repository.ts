import type { RegionLevel } from '@gridgov/contracts/regions';
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inSubtrees, likeLiteral } from './subtree.js';

export interface RegionRow {
  id: string;
  parent_id: string | null;
  level: RegionLevel;
  code: string;
  name: string;
  path: string;
  kind: 'urban' | 'rural' | null;
  sort_order: number;
  child_count: number;
}

export interface NewRegionRow {
  id: string;
  parentId: string;
  level: RegionLevel;
  code: string;
  name: string;
  path: string;
  kind: 'urban' | 'rural' | null;
  sortOrder: number;
}

export interface RegionPatch {
  name?: string;
  kind?: 'urban' | 'rural' | null;
  sortOrder?: number;
}

type RegionQuery = SelectQueryBuilder<DB & { r: DB['region'] }, 'r', object>;

/** A region with the number of its children, for tree nodes. */
function nodeColumns(qb: RegionQuery) {
  return qb.select([
    'r.id',
    'r.parent_id',
    sql<RegionLevel>`r.level`.as('level'),
    'r.code',
    'r.name',
    'r.path',
    'r.kind',
    'r.sort_order',
    sql<number>`(select count(*)::int from region c where c.parent_id = r.id)`.as('child_count'),
  ]);
}

/** All SQL of the region tree and its level names. Writes take an optional transaction. */
export function createRegionsRepository(db: Kysely<DB>) {
  const from = (trx: Kysely<DB>) => trx.selectFrom('region as r') as unknown as RegionQuery;

  return {
    transaction<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    levels(trx: Kysely<DB> = db) {
      return trx.selectFrom('region_level').select(['key', 'depth', 'name_zh', 'name_en', 'code_length']).orderBy('depth').execute();
    },

    renameLevel(key: RegionLevel, names: { nameZh: string; nameEn: string }, trx: Kysely<DB> = db) {
      return trx
        .updateTable('region_level')
        .set({ name_zh: names.nameZh, name_en: names.nameEn })
        .where('key', '=', key)
        .returning(['key', 'depth', 'name_zh', 'name_en', 'code_length'])
        .executeTakeFirst();
    },

    findById(id: string, trx: Kysely<DB> = db): Promise<RegionRow | undefined> {
      return nodeColumns(from(trx)).where('r.id', '=', id).executeTakeFirst() as Promise<RegionRow | undefined>;
    },

    findByIds(ids: readonly string[], trx: Kysely<DB> = db): Promise<RegionRow[]> {
      if (ids.length === 0) return Promise.resolve([]);
      return nodeColumns(from(trx))
        .where('r.id', 'in', [...ids])
        .orderBy('r.sort_order')
        .orderBy('r.code')
        .execute() as Promise<RegionRow[]>;
    },

    children(parentId: string): Promise<RegionRow[]> {
      return nodeColumns(from(db)).where('r.parent_id', '=', parentId).orderBy('r.sort_order').orderBy('r.code').execute() as Promise<RegionRow[]>;
    },

    /** Name fragment (ILIKE, served by the trigram index) or leading code digits, inside the given subtrees. */
    search(f: { q: string; rootPaths: readonly string[]; limit: number }): Promise<RegionRow[]> {
      const byCode = /^\d+$/.test(f.q);
      let q = nodeColumns(from(db)).where(inSubtrees('r.path', f.rootPaths));
      if (byCode) {
        q = q.where('r.code', 'like', `${f.q}%`).orderBy(sql`length(r.code)`).orderBy('r.code');
      } else {
        const needle = likeLiteral(f.q);
        q = q
          .where('r.name', 'ilike', `%${needle}%`)
          .orderBy(sql`case when r.name = ${f.q} then 0 when r.name ilike ${`${needle}%`} then 1 else 2 end`)
          .orderBy(sql`length(r.path)`)
          .orderBy('r.code');
      }
      return q.limit(f.limit).execute() as Promise<RegionRow[]>;
    },

    codeTaken(code: string, trx: Kysely<DB> = db) {
      return trx
        .selectFrom('region')
        .select('id')
        .where('code', '=', code)
        .executeTakeFirst()
        .then((r) => !!r);
    },

    async nextSortOrder(parentId: string, trx: Kysely<DB> = db): Promise<number> {
      const r = await trx
        .selectFrom('region')
        .select(sql<number>`coalesce(max(sort_order) + 1, 0)::int`.as('n'))
        .where('parent_id', '=', parentId)
        .executeTakeFirstOrThrow();
      return Math.min(r.n, 100000);
    },

    async insert(r: NewRegionRow, trx: Kysely<DB> = db): Promise<void> {
      await trx
        .insertInto('region')
        .values({ id: r.id, parent_id: r.parentId, level: r.level, code: r.code, name: r.name, path: r.path, kind: r.kind, sort_order: r.sortOrder })
        .execute();
    },

    async update(id: string, p: RegionPatch, trx: Kysely<DB> = db): Promise<void> {
      await trx
        .updateTable('region')
        .set({
          ...(p.name !== undefined ? { name: p.name } : {}),
          ...(p.kind !== undefined ? { kind: p.kind } : {}),
          ...(p.sortOrder !== undefined ? { sort_order: p.sortOrder } : {}),
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .execute();
    },

    /** What still refers to a region: children, org units, user scopes, API tokens. */
    async dependents(id: string, trx: Kysely<DB> = db) {
      const r = await trx
        .selectNoFrom([
          sql<number>`(select count(*)::int from region where parent_id = ${id})`.as('children'),
          sql<number>`(select count(*)::int from org_unit where region_id = ${id})`.as('orgUnits'),
          sql<number>`(select count(*)::int from user_scope where region_id = ${id})`.as('userScopes'),
          sql<number>`(select count(*)::int from api_token where ${id}::uuid = any(region_ids) and revoked_at is null)`.as('apiTokens'),
        ])
        .executeTakeFirstOrThrow();
      return r;
    },

    async delete(id: string, trx: Kysely<DB> = db): Promise<void> {
      await trx.deleteFrom('region').where('id', '=', id).execute();
    },

    orgUnitCount(regionId: string) {
      return db
        .selectFrom('org_unit')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('region_id', '=', regionId)
        .executeTakeFirstOrThrow()
        .then((r) => r.n);
    },
  };
}
export type RegionsRepository = ReturnType<typeof createRegionsRepository>;

/** The PostgreSQL error code and constraint of a failed statement (both engines report them alike). */
export function pgErrorOf(err: unknown): { code: string; constraint: string } | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as { code?: unknown; constraint?: unknown; detail?: unknown };
  if (typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return null;
  const constraint = typeof e.constraint === 'string' ? e.constraint : typeof e.detail === 'string' ? e.detail : '';
  return { code: e.code, constraint };
}
