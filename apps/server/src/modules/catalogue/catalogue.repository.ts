import type { HandlingLevel } from '@gridgov/contracts/cases';
import type { CategoryRules, StageLimits } from '@gridgov/contracts/catalogue';
import { type Kysely, sql } from 'kysely';
import { fromJson } from '../../db/json.js';
import type { DB } from '../../db/schema.js';

export interface CategoryRow {
  id: string;
  parent_id: string | null;
  code: string;
  name: string;
  kind: 'class' | 'item';
  sort_order: number;
  active: boolean;
  current_version: number;
}

export interface VersionRow {
  category_id: string;
  version: number;
  dept_code: string | null;
  dept_name: string | null;
  level: HandlingLevel;
  limits: StageLimits;
  self_dispose: boolean;
  admitted: boolean;
  feedback: string;
  closure: string;
  keywords: string[];
  created_at: Date;
  created_by: string | null;
}

/** The name of a department with the code: the shallowest one when several regions use the same code. */
const deptName = sql<string | null>`(select o.name from org_unit o join region r on r.id = o.region_id
  where o.kind = 'department' and o.dept_code = v.dept_code order by length(r.path), o.name limit 1)`;

/** All SQL of the event catalogue (classes, items and their versioned rules). Writes take a transaction. */
export function createCatalogueRepository(db: Kysely<DB>) {
  const versions = (trx: Kysely<DB>) =>
    trx
      .selectFrom('event_category_version as v')
      .leftJoin('app_user as u', 'u.id', 'v.created_by')
      .select([
        'v.category_id',
        'v.version',
        'v.dept_code',
        deptName.as('dept_name'),
        'v.level',
        'v.limits',
        'v.self_dispose',
        'v.admitted',
        'v.feedback',
        'v.closure',
        'v.keywords',
        'v.created_at',
        'u.display_name as created_by',
      ]);
  const toVersion = (r: Omit<VersionRow, 'limits' | 'keywords'> & { limits: unknown; keywords: unknown }): VersionRow => ({
    ...r,
    limits: fromJson<StageLimits>(r.limits),
    keywords: fromJson<string[]>(r.keywords),
  });
  const categories = (trx: Kysely<DB>) =>
    trx.selectFrom('event_category').select(['id', 'parent_id', 'code', 'name', 'kind', 'sort_order', 'active', 'current_version']);

  return {
    db,

    /** Every class and item (active ones only unless asked), in display order. */
    categories(includeInactive: boolean, trx: Kysely<DB> = db): Promise<CategoryRow[]> {
      let q = categories(trx);
      if (!includeInactive) q = q.where('active', '=', true);
      return q.orderBy('sort_order').orderBy('code').execute();
    },

    /** The current version's rules of every item. */
    async currentVersions(trx: Kysely<DB> = db): Promise<VersionRow[]> {
      const rows = await versions(trx)
        .innerJoin('event_category as c', (j) => j.onRef('c.id', '=', 'v.category_id').onRef('c.current_version', '=', 'v.version'))
        .execute();
      return rows.map(toVersion);
    },

    findCategory(id: string, trx: Kysely<DB> = db): Promise<CategoryRow | undefined> {
      return categories(trx).where('id', '=', id).executeTakeFirst();
    },

    /** One version of an item's rules (the current one unless given). */
    async version(categoryId: string, version: number, trx: Kysely<DB> = db): Promise<VersionRow | undefined> {
      const r = await versions(trx).where('v.category_id', '=', categoryId).where('v.version', '=', version).executeTakeFirst();
      return r && toVersion(r);
    },

    /** Every version of an item's rules, newest first. */
    async history(categoryId: string, trx: Kysely<DB> = db): Promise<VersionRow[]> {
      const rows = await versions(trx).where('v.category_id', '=', categoryId).orderBy('v.version', 'desc').execute();
      return rows.map(toVersion);
    },

    async codeTaken(code: string, trx: Kysely<DB> = db): Promise<boolean> {
      return !!(await trx.selectFrom('event_category').select('id').where(sql`lower(code)`, '=', code.toLowerCase()).executeTakeFirst());
    },

    async deptCodeExists(code: string, trx: Kysely<DB> = db): Promise<boolean> {
      return !!(await trx.selectFrom('org_unit').select('id').where('dept_code', '=', code).executeTakeFirst());
    },

    async nextSortOrder(parentId: string | null, trx: Kysely<DB> = db): Promise<number> {
      const r = await trx
        .selectFrom('event_category')
        .select(sql<number>`coalesce(max(sort_order) + 1, 0)::int`.as('n'))
        .where((eb) => (parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', parentId)))
        .executeTakeFirstOrThrow();
      return r.n;
    },

    async insertCategory(
      c: { parentId: string | null; code: string; name: string; kind: 'class' | 'item'; sortOrder: number },
      trx: Kysely<DB> = db,
    ): Promise<string> {
      const r = await trx
        .insertInto('event_category')
        .values({ parent_id: c.parentId, code: c.code, name: c.name, kind: c.kind, sort_order: c.sortOrder, current_version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      return r.id;
    },

    async insertVersion(categoryId: string, version: number, rules: CategoryRules, userId: string | null, trx: Kysely<DB> = db): Promise<void> {
      await trx
        .insertInto('event_category_version')
        .values({
          category_id: categoryId,
          version,
          dept_code: rules.deptCode,
          level: rules.level,
          limits: JSON.stringify(rules.limits),
          self_dispose: rules.selfDispose,
          admitted: rules.admitted,
          feedback: rules.feedback,
          closure: rules.closure,
          keywords: JSON.stringify(rules.keywords),
          created_by: userId,
        })
        .execute();
    },

    /** Moves an item to `version` and renames it, only if it is still at `from` (false: someone else edited it). */
    async bumpVersion(id: string, from: number, version: number, name: string, trx: Kysely<DB> = db): Promise<boolean> {
      const r = await trx
        .updateTable('event_category')
        .set({ current_version: version, name, updated_at: sql`now()` })
        .where('id', '=', id)
        .where('current_version', '=', from)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async setActive(id: string, active: boolean, trx: Kysely<DB> = db): Promise<void> {
      await trx.updateTable('event_category').set({ active, updated_at: sql`now()` }).where('id', '=', id).execute();
    },
  };
}
export type CatalogueRepository = ReturnType<typeof createCatalogueRepository>;
