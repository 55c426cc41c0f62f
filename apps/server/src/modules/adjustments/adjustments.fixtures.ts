import { generateGridCode } from '@gridgov/contracts/grid-code';
import type { Role } from '@gridgov/contracts/roles';
import { type Kysely, sql } from 'kysely';
import { createRegion, createUser, regionByCode } from '../../../test/factories.js';
import type { DB } from '../../db/schema.js';

/**
 * Test fixtures for grid adjustments and import: a community of its own under the demo street
 * 泉城街道 (so the demo's street and district centers cover it), far from the demo's polygons,
 * with a square boundary and grids tiling it. Coordinates are WGS84.
 */
export type Ring = [number, number][];
export const rect = (x1: number, y1: number, x2: number, y2: number): Ring => [
  [x1, y1],
  [x2, y1],
  [x2, y2],
  [x1, y2],
  [x1, y1],
];
export const polygon = (ring: Ring) => ({ type: 'Polygon' as const, coordinates: [ring] });

/** The community square: 118.50–118.52 E, 37.50–37.51 N (about 1.77 km × 1.11 km). */
export const X0 = 118.5;
export const X1 = 118.52;
export const Y0 = 37.5;
export const Y1 = 37.51;
export const XM = 118.51;
export const YM = 37.505;

export interface TestCommunity {
  id: string;
  path: string;
  code: string;
  /** West half and east half. */
  west: { id: string; code: string };
  east: { id: string; code: string };
  stationUser: { id: string; username: string };
}

export async function insertGrid(
  db: Kysely<DB>,
  g: { communityId: string; communityCode: string; seq: number; name: string; ring: Ring; validFrom?: string; gridType?: '01' | '02' | '03' },
): Promise<{ id: string; code: string }> {
  const gridType = g.gridType ?? '01';
  const code = generateGridCode('shandong19', { communityCode12: g.communityCode, seq: g.seq, gridType });
  if (!code.ok) throw new Error(`fixture grid code: ${code.reason.en}`);
  const validFrom = g.validFrom ?? '2026-01-01';
  const row = await db
    .insertInto('grid')
    .values({
      community_id: g.communityId,
      code: code.code,
      name: g.name,
      grid_type: gridType,
      dedicated_kind: gridType === '03' ? 'park' : null,
      seq: g.seq,
      valid_from: validFrom,
      criteria: JSON.stringify({}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`INSERT INTO grid_boundary (grid_id, geom, valid_from)
    VALUES (${row.id}, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(polygon(g.ring))}), 4326)), ${validFrom}::date)`.execute(db);
  return { id: row.id, code: code.code };
}

/** A community (12-digit `code` under 370118001) with the square boundary and no grids. */
export async function createBareCommunity(db: Kysely<DB>, opts: { code: string; name?: string }): Promise<{ id: string; path: string; code: string }> {
  const street = await regionByCode(db, '370118001000');
  const c = await createRegion(db, { parent: street, level: 'community', code: opts.code, name: opts.name ?? '试验社区' });
  await sql`UPDATE region SET kind = 'urban', boundary = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(polygon(rect(X0, Y0, X1, Y1)))}), 4326))
    WHERE id = ${c.id}`.execute(db);
  return c;
}

/** A community (12-digit `code` under 370118001) with the square boundary, two grids and a station user. */
export async function createTestCommunity(
  db: Kysely<DB>,
  opts: { code?: string; name?: string; username?: string; stationRole?: Role } = {},
): Promise<TestCommunity> {
  const code = opts.code ?? '370118001090';
  const c = await createBareCommunity(db, { code, name: opts.name });
  const west = await insertGrid(db, { communityId: c.id, communityCode: code, seq: 1, name: '西网格', ring: rect(X0, Y0, XM, Y1) });
  const east = await insertGrid(db, { communityId: c.id, communityCode: code, seq: 2, name: '东网格', ring: rect(XM, Y0, X1, Y1) });
  const username = opts.username ?? `sq_test_${code.slice(-3)}`;
  const user = await createUser(db, { username, role: opts.stationRole ?? 'community_station', scopeRegionIds: [c.id] });
  return { id: c.id, path: c.path, code, west, east, stationUser: { id: user.id, username } };
}

/** Codes of the community's grids whose boundary row covers the point on the date (what a point-in-time lookup answers). */
export async function gridAt(db: Kysely<DB>, communityId: string, lng: number, lat: number, on: string): Promise<string | null> {
  const r = await sql<{ code: string }>`SELECT g.code FROM grid_boundary b JOIN grid g ON g.id = b.grid_id
    WHERE g.community_id = ${communityId}
      AND b.valid_from <= ${on}::date AND (b.valid_to IS NULL OR b.valid_to > ${on}::date)
      AND ST_Covers(b.geom, ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326))
    ORDER BY g.code`.execute(db);
  return r.rows.map((x) => x.code).join(',') || null;
}
