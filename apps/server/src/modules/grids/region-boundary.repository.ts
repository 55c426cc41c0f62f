import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inSubtrees } from '../regions/subtree.js';
import { GRID_SIZE, SILENT_FAILURE } from './geometry.repository.js';
import { validOn } from './grids.repository.js';

export interface RegionFeatureRow {
  id: string;
  code: string;
  name: string;
  level: 'district' | 'street' | 'community';
  geojson: string;
  lng: number;
  lat: number;
}

/** Community/village boundaries and the outlines the map draws from them (streets and districts as unions). */
export function createRegionBoundaryRepository(db: Kysely<DB>) {
  return {
    transaction<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    async areaM2(regionId: string, trx: Kysely<DB> = db): Promise<number | null> {
      const r = await sql<{ a: number | null }>`select ST_Area(boundary::geography) as a from region where id = ${regionId}::uuid`.execute(trx);
      const a = r.rows[0]?.a;
      return a === null || a === undefined ? null : Number(a);
    },

    async setBoundary(regionId: string, geojson: string, trx: Kysely<DB> = db): Promise<void> {
      await sql`
        update region set boundary = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${geojson}::text), 4326)), updated_at = now()
        where id = ${regionId}::uuid`.execute(trx);
    },

    async boundary(regionId: string, trx: Kysely<DB> = db) {
      const r = await sql<{ area: number; geojson: string; label: string }>`
        select ST_Area(boundary::geography) as area, ST_AsGeoJSON(boundary, 9) as geojson, ST_AsGeoJSON(ST_PointOnSurface(boundary), 7) as label
        from region where id = ${regionId}::uuid and boundary is not null`.execute(trx);
      return r.rows[0];
    },

    /** Grids of the community valid on `on` that reach more than 0.5 m² beyond its boundary. */
    async gridsOutside(regionId: string, on: string, trx: Kysely<DB> = db) {
      const r = await sql<{ grids: { id: string; code: string; name: string; outside: number }[] | string }>`
        select coalesce((
          select json_agg(json_build_object('id', x.id, 'code', x.code, 'name', x.name, 'outside', x.outside) order by x.outside desc, x.code)
          from (
            select g.id, g.code, g.name, ST_Area(ST_Difference(b.geom, c.boundary, ${GRID_SIZE}::float8)::geography) as outside
            from region c
            join grid g on g.community_id = c.id and g.level = 'grid' and ${validOn('g', on)}
            join grid_boundary b on b.grid_id = g.id and ${validOn('b', on)}
            where c.id = ${regionId}::uuid and not ST_CoveredBy(b.geom, c.boundary)
          ) x where x.outside > 0.5
        ), '[]'::json) as grids`.execute(trx);
      const row = r.rows[0];
      if (!row) throw new Error(SILENT_FAILURE);
      const list = typeof row.grids === 'string' ? (JSON.parse(row.grids) as { id: string; code: string; name: string; outside: number }[]) : row.grids;
      return list.map((g) => ({ id: g.id, code: g.code, name: g.name, outsideAreaM2: Math.round(Number(g.outside) * 100) / 100 }));
    },

    /**
     * Outlines for the map inside the box and the view scope: communities with a boundary, and the
     * streets and districts above them as the union of their communities' boundaries (computed here:
     * a district has tens of communities). Districts first, then streets, then communities.
     */
    async features(f: { bbox: [number, number, number, number]; paths: readonly string[]; limit: number }): Promise<RegionFeatureRow[]> {
      const [x1, y1, x2, y2] = f.bbox;
      const r = await sql<RegionFeatureRow>`
        with comm as (
          select c.id, c.code, c.name, c.level, c.path, c.boundary as geom
          from region c
          where c.level = 'community' and c.boundary is not null
            and c.boundary && ST_MakeEnvelope(${x1}::float8, ${y1}::float8, ${x2}::float8, ${y2}::float8, 4326)
            and ${inSubtrees('c.path', f.paths)}
          order by c.code
          limit ${f.limit + 1}
        ),
        upper as (
          select r.id, r.code, r.name, r.level, r.path,
                 coalesce(r.boundary, (select ST_Union(cc.boundary, ${GRID_SIZE}::float8) from region cc
                  where cc.level = 'community' and cc.boundary is not null and left(cc.path, length(r.path)) = r.path)) as geom
          from region r
          where r.level in ('district', 'street') and ${inSubtrees('r.path', f.paths)}
            and exists (select 1 from comm where left(comm.path, length(r.path)) = r.path)
        ),
        areas as (
          select id, code, name, level, ST_Multi(ST_CollectionExtract(geom, 3)) as geom from upper where geom is not null
          union all
          select id, code, name, level, geom from comm
        )
        select id, code, name, level, ST_AsGeoJSON(geom, 7) as geojson,
               ST_X(ST_PointOnSurface(geom)) as lng, ST_Y(ST_PointOnSurface(geom)) as lat
        from areas
        where not ST_IsEmpty(geom)
        order by case level when 'district' then 0 when 'street' then 1 else 2 end, code`.execute(db);
      return r.rows;
    },
  };
}
export type RegionBoundaryRepository = ReturnType<typeof createRegionBoundaryRepository>;
