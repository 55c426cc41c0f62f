import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

export interface FixtureGrid {
  id: string;
  code: string;
  seq: number;
  /** The grid's service station: a point inside the grid. */
  lng: number;
  lat: number;
}

/** Current demo grids of a community (by its 12-digit code), in code order, each with a point inside it. */
export async function gridsOf(db: Kysely<DB>, communityCode: string): Promise<FixtureGrid[]> {
  const r = await sql<{ id: string; code: string; seq: number; lng: number; lat: number }>`
    SELECT g.id, g.code, g.seq, ST_X(ST_PointOnSurface(b.geom)) AS lng, ST_Y(ST_PointOnSurface(b.geom)) AS lat
    FROM grid g JOIN region c ON c.id = g.community_id JOIN grid_boundary b ON b.grid_id = g.id AND b.valid_to IS NULL
    WHERE c.code = ${communityCode} AND g.valid_to IS NULL AND g.level = 'grid' ORDER BY g.code`.execute(db);
  return r.rows.map((g) => ({ ...g, lng: Number(g.lng), lat: Number(g.lat) }));
}

/** A registered person living in a house (persons-module tables written directly: fixtures only). */
export async function insertResident(
  db: Kysely<DB>,
  p: {
    name: string;
    gridId: string;
    houseId: string | null;
    relation?: 'owner' | 'tenant' | 'resident';
    populationType?: 'registered' | 'floating' | 'overseas';
  },
): Promise<string> {
  const row = await db
    .insertInto('person')
    .values({ name: p.name, doc_type: 'other', population_type: p.populationType ?? 'registered', grid_id: p.gridId, house_id: p.houseId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('residence')
    .values({ person_id: row.id, house_id: p.houseId, grid_id: p.gridId, relation: p.relation ?? 'resident', since: '2025-03-01' })
    .execute();
  return row.id;
}
