import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { likeLiteral } from '../regions/subtree.js';
import { validOn } from './grids.repository.js';

type Duty = 'leader' | 'full_time' | 'part_time' | 'liaison' | 'building_head';

export interface StaffCandidate {
  id: string;
  username: string;
  display_name: string;
  role: string;
  disabled: boolean;
  /** One of the user's capture roots contains the community. */
  covers: boolean;
}

export interface RosterGrid {
  id: string;
  code: string;
  name: string;
  grid_type: '01' | '02' | '03';
  community_id: string;
  community_code: string;
  community_name: string;
  households: number | null;
  population: number | null;
  area: number | null;
  station: { address?: string; phone?: string } | null;
}

export interface RosterStaff {
  grid_id: string;
  user_id: string;
  duty: Duty;
  display_name: string;
}

/** Who serves which grid, and the roster of a region's grids for staffing ratios and the xlsx export. */
export function createStaffRepository(db: Kysely<DB>) {
  return {
    transaction<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    async candidates(userIds: readonly string[], communityPath: string, trx: Kysely<DB> = db): Promise<StaffCandidate[]> {
      if (userIds.length === 0) return [];
      const r = await sql<StaffCandidate>`
        select u.id, u.username, u.display_name, u.role, u.disabled,
               exists (select 1 from user_scope s join region r on r.id = s.region_id
                       where s.user_id = u.id and s.kind = 'capture' and left(${communityPath}::text, length(r.path)) = r.path) as covers
        from app_user u
        where u.id in (${sql.join(userIds.map((id) => sql`${id}::uuid`))})`.execute(trx);
      return r.rows;
    },

    async current(gridId: string, trx: Kysely<DB> = db) {
      return trx.selectFrom('grid_staff').select(['user_id', 'duty', 'since']).where('grid_id', '=', gridId).execute();
    },

    async replace(gridId: string, rows: { userId: string; duty: Duty; since: string }[], trx: Kysely<DB> = db): Promise<void> {
      await trx.deleteFrom('grid_staff').where('grid_id', '=', gridId).execute();
      if (rows.length === 0) return;
      await trx
        .insertInto('grid_staff')
        .values(rows.map((r) => ({ grid_id: gridId, user_id: r.userId, duty: r.duty, since: r.since })))
        .execute();
    },

    /** Whole grids (level 'grid') valid on `on` under the region path, by community and code, with their staff. */
    async roster(regionPath: string, on: string): Promise<{ grids: RosterGrid[]; staff: RosterStaff[] }> {
      const prefix = `${likeLiteral(regionPath)}%`;
      const grids = await sql<RosterGrid>`
        select g.id, g.code, g.name, g.grid_type, g.community_id, c.code as community_code, c.name as community_name,
               g.baseline_households as households, g.baseline_population as population,
               ST_Area(b.geom::geography) as area, g.station
        from grid g
        join region c on c.id = g.community_id
        left join grid_boundary b on b.grid_id = g.id and ${validOn('b', on)}
        where c.path like ${prefix} and g.level = 'grid' and ${validOn('g', on)}
        order by c.code, g.code`.execute(db);
      const staff = await sql<RosterStaff>`
        select s.grid_id, s.user_id, s.duty, u.display_name
        from grid_staff s
        join app_user u on u.id = s.user_id
        join grid g on g.id = s.grid_id
        join region c on c.id = g.community_id
        where c.path like ${prefix} and g.level = 'grid' and ${validOn('g', on)}
        order by s.grid_id, u.display_name`.execute(db);
      return { grids: grids.rows.map((g) => ({ ...g, area: g.area === null ? null : Number(g.area) })), staff: staff.rows };
    },
  };
}
export type StaffRepository = ReturnType<typeof createStaffRepository>;
