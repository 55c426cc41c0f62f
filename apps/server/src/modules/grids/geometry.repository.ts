import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { validOn } from './grids.repository.js';

/** The input geometry (a GeoJSON MultiPolygon in WGS84, already shape-checked by normaliseArea). */
const input = (geojson: string) => sql`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${geojson}::text), 4326))`;

/**
 * Overlay operations (ST_Intersection, ST_Difference, ST_Union) run with a fixed precision grid of
 * 1e-9 degrees (about 0.1 mm). Besides being robust, this matters on PGlite: without a grid size,
 * GEOS's floating-point overlay falls back on an internal exception for some exactly-shared edges, and
 * PGlite's WebAssembly build then ends the statement with no rows and no error (seen on PGlite 0.5.8
 * with PostGIS 3.6.2 for ST_Difference(community boundary, ST_Union(its grids)) of a demo community,
 * which PostgreSQL answers with POLYGON EMPTY). Queries here therefore also return exactly one row and
 * treat none as an error (SILENT_FAILURE) rather than as "nothing found".
 */
export const GRID_SIZE = 1e-9;
export const SILENT_FAILURE = 'spatial query returned no row (the database engine dropped the statement)';

/** How far (m) a grid may stray over its container's edge before it counts as outside: digitising noise. */
export const EDGE_TOLERANCE_M = 0.5;
/** Overlaps with a sibling below this area (m²) are shared-edge noise, not overlaps. */
export const OVERLAP_TOLERANCE_M2 = 1;

export interface Overlap {
  id: string;
  code: string;
  name: string;
  areaM2: number;
}

/** Spatial checks in PostGIS: validity, containment, overlaps with sibling grids, areas. */
export function createGeometryRepository(db: Kysely<DB>) {
  return {
    /** ST_IsValidDetail: null when valid, else the reason and where ([lng, lat]) the problem is. */
    async invalidity(geojson: string, trx: Kysely<DB> = db): Promise<{ reason: string; location: [number, number] | null } | null> {
      const r = await sql<{ valid: boolean; reason: string | null; x: number | null; y: number | null }>`
        select d.valid, d.reason, ST_X(d.location) as x, ST_Y(d.location) as y
        from ST_IsValidDetail(${input(geojson)}) as d`.execute(trx);
      const d = r.rows[0];
      if (!d) throw new Error(SILENT_FAILURE);
      if (d.valid) return null;
      return { reason: d.reason ?? 'invalid', location: d.x === null || d.y === null ? null : [d.x, d.y] };
    },

    async areaM2(geojson: string, trx: Kysely<DB> = db): Promise<number> {
      const r = await sql<{ a: number }>`select ST_Area(${input(geojson)}::geography) as a`.execute(trx);
      return Number(r.rows[0]?.a ?? 0);
    },

    /**
     * How much of the geometry (m²) lies outside the container: the community's boundary, or the parent
     * grid's boundary valid on `on` for a micro/building grid. 0 when it is covered by the container
     * grown by EDGE_TOLERANCE_M; null when the container has no boundary (nothing to check against).
     */
    async outsideM2(geojson: string, container: { communityId: string } | { parentGridId: string; on: string }, trx: Kysely<DB> = db): Promise<number | null> {
      const containerGeom =
        'communityId' in container
          ? sql`(select boundary from region where id = ${container.communityId}::uuid)`
          : sql`(select b.geom from grid_boundary b where b.grid_id = ${container.parentGridId}::uuid and ${validOn('b', container.on)})`;
      const r = await sql<{ has: boolean; covered: boolean | null; outside: number | null }>`
        with i as (select ${input(geojson)} as g), k as (select ${containerGeom} as geom)
        select k.geom is not null as has,
               ST_CoveredBy(i.g, ST_Buffer(k.geom::geography, ${EDGE_TOLERANCE_M}::float8)::geometry) as covered,
               case when ST_CoveredBy(i.g, k.geom) then 0
                    else ST_Area(ST_Difference(i.g, k.geom, ${GRID_SIZE}::float8)::geography) end as outside
        from i, k`.execute(trx);
      const row = r.rows[0];
      if (!row) throw new Error(SILENT_FAILURE);
      if (!row.has) return null;
      return row.covered ? 0 : Math.max(Number(row.outside ?? 0), 0);
    },

    /**
     * Sibling grids valid on `on` (same community and level, same parent grid for micro/building grids)
     * that the geometry overlaps by more than OVERLAP_TOLERANCE_M2, largest first.
     */
    async overlaps(
      geojson: string,
      s: { communityId: string; level: string; parentGridId: string | null; excludeGridId?: string; on: string },
      trx: Kysely<DB> = db,
    ): Promise<Overlap[]> {
      const r = await sql<{ overlaps: { id: string; code: string; name: string; area: number }[] | string }>`
        with i as (select ${input(geojson)} as g)
        select coalesce((
          select json_agg(json_build_object('id', x.id, 'code', x.code, 'name', x.name, 'area', x.area) order by x.area desc, x.code)
          from (
            select o.id, o.code, o.name, ST_Area(ST_Intersection(i.g, b.geom, ${GRID_SIZE}::float8)::geography) as area
            from i
            join grid_boundary b on b.geom && i.g and ${validOn('b', s.on)}
            join grid o on o.id = b.grid_id
            where o.community_id = ${s.communityId}::uuid and o.level = ${s.level} and ${validOn('o', s.on)}
              and o.parent_grid_id is not distinct from ${s.parentGridId}::uuid
              and o.id is distinct from ${s.excludeGridId ?? null}::uuid
              and ST_Intersects(i.g, b.geom) and ST_Relate(i.g, b.geom, 'T********')
          ) x where x.area > ${OVERLAP_TOLERANCE_M2}::float8
        ), '[]'::json) as overlaps`.execute(trx);
      const row = r.rows[0];
      if (!row) throw new Error(SILENT_FAILURE);
      const list = typeof row.overlaps === 'string' ? (JSON.parse(row.overlaps) as { id: string; code: string; name: string; area: number }[]) : row.overlaps;
      return list.map((o) => ({ id: o.id, code: o.code, name: o.name, areaM2: Number(o.area) }));
    },
  };
}
export type GeometryRepository = ReturnType<typeof createGeometryRepository>;
