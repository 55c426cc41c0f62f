import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { TestApp } from '../../../test/test-app.js';
import type { DB } from '../../db/schema.js';
import { tokenHash } from '../auth/session-token.js';
import { newApiToken } from '../tokens/token-secret.js';

/** Smallest files each sniffer branch accepts (headers plus padding), and one it refuses. */
export const files = {
  jpeg: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(200, 1), Buffer.from([0xff, 0xd9])]),
  png: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 2)]),
  webp: Buffer.concat([Buffer.from('RIFF'), Buffer.from([100, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(100, 3)]),
  mp3: Buffer.concat([Buffer.from('ID3'), Buffer.from([3, 0, 0, 0, 0, 0, 0]), Buffer.alloc(100, 4)]),
  amr: Buffer.concat([Buffer.from('#!AMR\n'), Buffer.alloc(100, 5)]),
  m4a: Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypM4A '), Buffer.alloc(100, 6)]),
  mp4: Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom'), Buffer.alloc(100, 7)]),
  exe: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 8)]),
};

/** A multipart/form-data body with one file (declared as image/jpeg whatever it is: the server sniffs), optionally its purpose. */
export function upload(name: string, data: Uint8Array, purpose?: string): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----gridgov${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    // The purpose field comes before the file part, as the console sends it.
    Buffer.from(purpose ? `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\n${purpose}\r\n` : ''),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/jpeg\r\n\r\n`),
    Buffer.from(data),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** An API token for a user (as if they had issued it), without the token endpoint's role check. */
export async function issueToken(
  t: Pick<TestApp, 'database' | 'dataDir'>,
  username: string,
  regionIds: string[],
  permissions = ['case.report'],
): Promise<string> {
  const secret = (JSON.parse(readFileSync(path.join(t.dataDir, 'secrets.json'), 'utf8')) as { sessionSecret: string }).sessionSecret;
  const db = t.database.db;
  const user = await db.selectFrom('app_user').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  const { token, prefix } = newApiToken();
  await db
    .insertInto('api_token')
    .values({ name: `test ${prefix}`, prefix, token_hash: tokenHash(token, secret), permissions, region_ids: regionIds, created_by: user.id })
    .execute();
  return token;
}

/** A point inside a current grid of the community (its station), and that grid's id. */
export async function pointInGrid(db: Kysely<DB>, communityCode: string): Promise<{ lng: number; lat: number; gridId: string }> {
  const r = await sql<{ id: string; lng: number; lat: number }>`
    SELECT g.id, ST_X(ST_PointOnSurface(b.geom))::float8 AS lng, ST_Y(ST_PointOnSurface(b.geom))::float8 AS lat
    FROM grid g JOIN region c ON c.id = g.community_id JOIN grid_boundary b ON b.grid_id = g.id AND b.valid_to IS NULL
    WHERE c.code = ${communityCode} AND g.valid_to IS NULL AND g.level = 'grid' ORDER BY g.code LIMIT 1`.execute(db);
  const row = r.rows[0];
  if (!row) throw new Error(`no grid in ${communityCode}`);
  return { lng: Number(row.lng), lat: Number(row.lat), gridId: row.id };
}

/** A point inside the first grid a user serves (grid_staff), and that grid's id. */
export async function pointInOwnGrid(db: Kysely<DB>, username: string): Promise<{ lng: number; lat: number; gridId: string }> {
  const r = await sql<{ id: string; lng: number; lat: number }>`
    SELECT g.id, ST_X(ST_PointOnSurface(b.geom))::float8 AS lng, ST_Y(ST_PointOnSurface(b.geom))::float8 AS lat
    FROM grid_staff s JOIN app_user u ON u.id = s.user_id JOIN grid g ON g.id = s.grid_id
    JOIN grid_boundary b ON b.grid_id = g.id AND b.valid_to IS NULL
    WHERE u.username = ${username} AND g.valid_to IS NULL ORDER BY g.code LIMIT 1`.execute(db);
  const row = r.rows[0];
  if (!row) throw new Error(`${username} serves no grid`);
  return { lng: Number(row.lng), lat: Number(row.lat), gridId: row.id };
}

/** A point of the district that lies in no current grid, or null when the grids cover the district. */
export async function pointInNoGrid(db: Kysely<DB>, districtCode = '370118'): Promise<{ lng: number; lat: number } | null> {
  const r = await sql<{ lng: number | null; lat: number | null }>`
    WITH u AS (SELECT ST_Union(b.geom, 1e-9) AS g FROM grid g JOIN grid_boundary b ON b.grid_id = g.id AND b.valid_to IS NULL WHERE g.valid_to IS NULL),
         d AS (SELECT ST_Difference(r.boundary, u.g, 1e-9) AS g FROM region r, u WHERE r.code = ${districtCode})
    SELECT ST_X(ST_PointOnSurface(g))::float8 AS lng, ST_Y(ST_PointOnSurface(g))::float8 AS lat FROM d WHERE NOT ST_IsEmpty(g)`.execute(db);
  const row = r.rows[0];
  return row && row.lng !== null && row.lat !== null ? { lng: Number(row.lng), lat: Number(row.lat) } : null;
}

export const caseCount = async (db: Kysely<DB>) => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM event_case`.execute(db)).rows[0]?.n ?? 0);
