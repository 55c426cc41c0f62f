import { type Kysely, sql } from 'kysely';
import type { DB } from '../src/db/schema.js';

/** Test geometry and grid rows (the grid module's own tests create grids through the API). */

export type Ring = [number, number][];

/** A closed axis-aligned rectangle [x, y] – [x + w, y + h] as a GeoJSON Polygon. */
export function rect(x: number, y: number, w: number, h: number): { type: 'Polygon'; coordinates: Ring[] } {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [x, y],
        [x + w, y],
        [x + w, y + h],
        [x, y + h],
        [x, y],
      ],
    ],
  };
}

/** Sets a community's boundary directly (no audit): fixtures only. */
export async function setBoundary(db: Kysely<DB>, regionId: string, geometry: object): Promise<void> {
  await sql`update region set boundary = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}::text), 4326)) where id = ${regionId}::uuid`.execute(
    db,
  );
}

/** Inserts a current grid with its boundary valid from `validFrom` (default today in the database's zone). */
export async function insertGrid(
  db: Kysely<DB>,
  g: { communityId: string; code: string; name: string; seq: number; geometry: object; gridType?: '01' | '02' | '03'; validFrom?: string },
): Promise<string> {
  const row = await sql<{ id: string }>`
    insert into grid (community_id, code, name, grid_type, dedicated_kind, seq, valid_from)
    values (${g.communityId}::uuid, ${g.code}, ${g.name}, ${g.gridType ?? '01'}, ${g.gridType === '03' ? 'school' : null}, ${g.seq}::int,
            coalesce(${g.validFrom ?? null}::date, current_date - 1))
    returning id`.execute(db);
  const id = (row.rows[0] as { id: string }).id;
  await sql`
    insert into grid_boundary (grid_id, geom, valid_from)
    values (${id}::uuid, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(g.geometry)}::text), 4326)), coalesce(${g.validFrom ?? null}::date, current_date - 1))`.execute(
    db,
  );
  return id;
}

/** Area (m², on the spheroid) of a GeoJSON geometry, computed by the database under test. */
export async function areaM2(db: Kysely<DB>, geometry: object): Promise<number> {
  const r = await sql<{ a: number }>`select ST_Area(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}::text), 4326)::geography) as a`.execute(db);
  return Number(r.rows[0]?.a);
}
