import type { AreaGeometry } from '@gridgov/contracts/geojson';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { IndexedGrid } from './grid-index.js';

/** A grid with its community and street, as the lookup answers. */
export interface LocatedGridRow {
  id: string;
  code: string;
  name: string;
  grid_type: '01' | '02' | '03';
  dedicated_kind: string | null;
  community_id: string;
  community_name: string;
  community_path: string;
  street_id: string | null;
  street_name: string | null;
  landmarks: string[];
  station: Record<string, unknown> | null;
}

export interface StaffRow {
  display_name: string;
  duty: 'leader' | 'full_time' | 'part_time' | 'liaison' | 'building_head';
}

export interface AddressMatchRow {
  grid_id: string;
  score: number;
  kind: 'landmark' | 'grid' | 'station' | 'community';
  text: string;
}

/** `alias` (grid or grid_boundary) is valid on the date: valid_from ≤ on < valid_to. */
const validOn = (alias: string, on: string) =>
  sql`(${sql.ref(`${alias}.valid_from`)} <= ${on}::date and (${sql.ref(`${alias}.valid_to`)} is null or ${sql.ref(`${alias}.valid_to`)} > ${on}::date))`;

const point = (lng: number, lat: number) => sql`ST_SetSRID(ST_MakePoint(${lng}::float8, ${lat}::float8), 4326)`;

/** All SQL of the grid lookup. Reads only: the grid writes belong to the grids module. */
export function createGridLookupRepository(db: Kysely<DB>) {
  return {
    /** The one tiny query each process runs (at most once a second) to see whether grids changed. */
    async indexVersion(): Promise<number> {
      const row = await db.selectFrom('grid_index_version').select('version').where('id', '=', 1).executeTakeFirst();
      return Number(row?.version ?? 0);
    },

    /**
     * The grids valid on `on` with their boundaries, and the version they correspond to, read in one
     * repeatable-read snapshot so a concurrent write cannot slip between the two.
     */
    loadIndex(on: string): Promise<{ version: number; grids: IndexedGrid[] }> {
      return db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx) => {
          const v = await trx.selectFrom('grid_index_version').select('version').where('id', '=', 1).executeTakeFirst();
          const rows = await sql<{ id: string; geojson: string }>`
            select g.id, ST_AsGeoJSON(b.geom, 15) as geojson
            from grid g join grid_boundary b on b.grid_id = g.id
            where g.level = 'grid' and ${validOn('g', on)} and ${validOn('b', on)}
            order by g.code`.execute(trx);
          return {
            version: Number(v?.version ?? 0),
            grids: rows.rows.map((r) => ({ id: r.id, geometry: JSON.parse(r.geojson) as AreaGeometry })),
          };
        });
    },

    /**
     * The grid whose boundary valid on `on` holds the point (history: "which grid was this point in on
     * 2026-03-01?"). A point on a shared edge goes to the grid holding it in its interior, else the
     * lower code.
     */
    async gridAt(lng: number, lat: number, on: string): Promise<string | null> {
      const r = await sql<{ id: string }>`
        select g.id from grid_boundary b join grid g on g.id = b.grid_id
        where g.level = 'grid' and ${validOn('b', on)} and ST_Intersects(b.geom, ${point(lng, lat)})
        order by ST_Contains(b.geom, ${point(lng, lat)}) desc, g.code
        limit 1`.execute(db);
      return r.rows[0]?.id ?? null;
    },

    async located(gridId: string): Promise<LocatedGridRow | undefined> {
      const r = await sql<LocatedGridRow>`
        select g.id, g.code, g.name, g.grid_type, g.dedicated_kind, g.landmarks, g.station,
               c.id as community_id, c.name as community_name, c.path as community_path,
               s.id as street_id, s.name as street_name
        from grid g join region c on c.id = g.community_id left join region s on s.id = c.parent_id
        where g.id = ${gridId}`.execute(db);
      return r.rows[0];
    },

    /** Who serves the grid, leader first; disabled accounts are left out. */
    async staffOf(gridId: string): Promise<StaffRow[]> {
      const r = await sql<StaffRow>`
        select u.display_name, s.duty
        from grid_staff s join app_user u on u.id = s.user_id
        where s.grid_id = ${gridId} and not u.disabled
        order by array_position(array['leader','full_time','part_time','liaison','building_head']::text[], s.duty), u.display_name`.execute(db);
      return r.rows;
    },

    /** The smallest division whose drawn boundary holds the point (for "inside 明湖区, but in no grid"). */
    async regionAt(lng: number, lat: number): Promise<{ name: string; level: string } | undefined> {
      const r = await sql<{ name: string; level: string }>`
        select name, level from region
        where boundary is not null and ST_Intersects(boundary, ${point(lng, lat)})
        order by length(path) desc limit 1`.execute(db);
      return r.rows[0];
    },

    /**
     * The grid an address most likely lies in: the address text against each current grid's landmarks,
     * name, station address and community name.
     *  - A landmark or grid name written out in the address scores 1 (longer ones win).
     *  - Otherwise the address without the division names in it (明湖区, 泉城街道, 趵突泉社区 …) is
     *    compared: a grid name containing it scores 0.9; landmarks by pg_trgm word similarity either way
     *    round; the station address by similarity with the whole address.
     *  - A community name in the address adds 0.1 to its grids, so "百花洲社区黑虎泉北路" prefers that
     *    community's part of the road; the community alone scores 0.5 (it has several grids).
     * The best few are returned, best first.
     */
    async matchAddress(address: string, on: string, limit = 3): Promise<AddressMatchRow[]> {
      const q = address.toLowerCase();
      const divisions = await sql<{ name: string }>`
        select distinct lower(name) as name from region where strpos(${q}::text, lower(name)) > 0`.execute(db);
      let rest = q;
      for (const { name } of divisions.rows.sort((a, b) => b.name.length - a.name.length)) rest = rest.split(name).join(' ');
      rest = rest.replace(/\s+/g, ' ').trim();
      const r = await sql<AddressMatchRow>`
        with g as (
          select g.id, g.code, g.name, g.landmarks, g.station->>'address' as station_address, c.name as community_name
          from grid g join region c on c.id = g.community_id
          where g.level = 'grid' and ${validOn('g', on)}
        ),
        candidates as (
          select g.id, g.code, 'landmark' as kind, lm as text from g, unnest(g.landmarks) as lm
          union all select g.id, g.code, 'grid', g.name from g
          union all select g.id, g.code, 'station', g.station_address from g where g.station_address is not null
          union all select g.id, g.code, 'community', g.community_name from g
        ),
        scored as (
          select c.id, c.code, c.kind, c.text,
                 case
                   when c.kind in ('landmark', 'grid', 'community') and length(c.text) >= 2 and strpos(${q}::text, lower(c.text)) > 0
                     then 1 + length(c.text) / 1000.0
                   when c.kind = 'community' then 0
                   when c.kind = 'grid' then case when length(${rest}::text) >= 4 and strpos(lower(c.text), ${rest}::text) > 0 then 0.9 else 0 end
                   when c.kind = 'station' then similarity(lower(c.text), ${q}::text)
                   when length(${rest}::text) < 2 then 0
                   else greatest(word_similarity(lower(c.text), ${rest}::text), word_similarity(${rest}::text, lower(c.text)))
                 end as score
          from candidates c
        ),
        bonus as (select distinct id, 0.1 as b from scored where kind = 'community' and score >= 1),
        best as (
          -- The best evidence per grid, plus the community bonus.
          select distinct on (s.id) s.id, s.code, s.kind, s.text, s.score + coalesce(bonus.b, 0) as score
          from scored s left join bonus on bonus.id = s.id
          where s.kind <> 'community' and s.score > 0
          order by s.id, s.score desc, s.kind
        ),
        communities as (
          select distinct on (s.text) s.id, s.code, s.kind, s.text, 0.5 as score
          from scored s where s.kind = 'community' and s.score >= 1
          order by s.text, s.code
        )
        select id as grid_id, score::float8 as score, kind, text
        from (select * from best union all select * from communities) x
        order by score desc, code
        limit ${limit}`.execute(db);
      return r.rows.map((row) => ({ ...row, score: Number(row.score) }));
    },
  };
}

export type GridLookupRepository = ReturnType<typeof createGridLookupRepository>;
