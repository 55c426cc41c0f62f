import type { SizeNormValues } from '@gridgov/contracts/grids';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

export interface SizeNormRow {
  region_id: string;
  region_name: string;
  region_path: string;
  urban_min_households: number | null;
  urban_max_households: number | null;
  urban_min_people: number | null;
  urban_max_people: number | null;
  rural_min_households: number | null;
  rural_max_households: number | null;
  min_workers_per_grid: number | null;
}

/** Size norms per jurisdiction: one row per region that sets its own. */
export function createSizeNormsRepository(db: Kysely<DB>) {
  return {
    transaction<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    /** The rows of the regions on a path (the region and its ancestors), nearest first. */
    async onPath(path: string, trx: Kysely<DB> = db): Promise<SizeNormRow[]> {
      const r = await sql<SizeNormRow>`
        select n.region_id, r.name as region_name, r.path as region_path,
               n.urban_min_households, n.urban_max_households, n.urban_min_people, n.urban_max_people,
               n.rural_min_households, n.rural_max_households, n.min_workers_per_grid
        from grid_size_norm n join region r on r.id = n.region_id
        where left(${path}::text, length(r.path)) = r.path
        order by length(r.path) desc`.execute(trx);
      return r.rows;
    },

    async put(regionId: string, v: SizeNormValues, trx: Kysely<DB> = db): Promise<void> {
      await sql`
        insert into grid_size_norm (region_id, urban_min_households, urban_max_households, urban_min_people, urban_max_people,
                                    rural_min_households, rural_max_households, min_workers_per_grid, updated_at)
        values (${regionId}::uuid, ${v.urbanMinHouseholds}::int, ${v.urbanMaxHouseholds}::int, ${v.urbanMinPeople}::int, ${v.urbanMaxPeople}::int,
                ${v.ruralMinHouseholds}::int, ${v.ruralMaxHouseholds}::int, ${v.minWorkersPerGrid}::int, now())
        on conflict (region_id) do update set
          urban_min_households = excluded.urban_min_households, urban_max_households = excluded.urban_max_households,
          urban_min_people = excluded.urban_min_people, urban_max_people = excluded.urban_max_people,
          rural_min_households = excluded.rural_min_households, rural_max_households = excluded.rural_max_households,
          min_workers_per_grid = excluded.min_workers_per_grid, updated_at = now()`.execute(trx);
    },
  };
}
export type SizeNormsRepository = ReturnType<typeof createSizeNormsRepository>;
