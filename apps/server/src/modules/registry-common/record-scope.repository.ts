import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inSubtrees } from '../regions/subtree.js';

/** The grid a registry record hangs on, with its community and the community's region path (scope). */
export interface GridPlace {
  gridId: string;
  gridCode: string;
  gridName: string;
  communityId: string;
  communityName: string;
  regionPath: string;
  retired: boolean;
}

export function createRecordScopeRepository(db: Kysely<DB>) {
  return {
    async gridPlace(gridId: string, trx: Kysely<DB> = db): Promise<GridPlace | undefined> {
      const row = await trx
        .selectFrom('grid as g')
        .innerJoin('region as r', 'r.id', 'g.community_id')
        .select(['g.id', 'g.code', 'g.name', 'g.valid_to', 'r.id as community_id', 'r.name as community_name', 'r.path'])
        .where('g.id', '=', gridId)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        gridId: row.id,
        gridCode: row.code,
        gridName: row.name,
        communityId: row.community_id,
        communityName: row.community_name,
        regionPath: row.path,
        retired: row.valid_to !== null,
      };
    },

    /** Ids of grids (current and retired) whose community lies under one of `paths`. */
    async gridsUnder(paths: readonly string[], trx: Kysely<DB> = db): Promise<string[]> {
      if (paths.length === 0) return [];
      const rows = await trx
        .selectFrom('grid as g')
        .innerJoin('region as r', 'r.id', 'g.community_id')
        .select('g.id')
        .where(inSubtrees('r.path', paths))
        .execute();
      return rows.map((r) => r.id);
    },

    async regionPath(regionId: string, trx: Kysely<DB> = db): Promise<string | undefined> {
      const row = await trx.selectFrom('region').select('path').where('id', '=', regionId).executeTakeFirst();
      return row?.path;
    },

    /** True when the region has no parent: a scope rooted there covers every record. */
    async isTopRegion(path: string, trx: Kysely<DB> = db): Promise<boolean> {
      const row = await trx.selectFrom('region').select(sql<number>`count(*)::int`.as('n')).where('parent_id', 'is', null).executeTakeFirstOrThrow();
      return row.n === 1 && path.split('/').filter(Boolean).length === 1;
    },
  };
}
export type RecordScopeRepository = ReturnType<typeof createRecordScopeRepository>;
