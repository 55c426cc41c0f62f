import { checkUscc } from '@gridgov/contracts/identifiers';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/test-app.js';
import { testPii } from '../../../test/test-key.js';

/** The demo district's places (seed/demo-places.ts) as the template database holds them. */
describe('demo places', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('has buildings and houses in every grid, organisations with valid credit codes, facilities in every state, key places', async () => {
    const db = t.database.db;
    const per = await sql<{ grid_type: string; houses: number; buildings: number }>`
      SELECT g.grid_type, (SELECT count(*)::int FROM house h WHERE h.grid_id = g.id) AS houses,
        (SELECT count(*)::int FROM building b WHERE b.grid_id = g.id) AS buildings
      FROM grid g WHERE g.valid_to IS NULL AND g.level = 'grid'`.execute(db);
    expect(per.rows.length).toBeGreaterThan(90);
    for (const g of per.rows) {
      expect(g.houses).toBeGreaterThan(0);
      if (g.grid_type === '01') expect(g.buildings).toBeGreaterThanOrEqual(2);
      if (g.grid_type === '02') expect(g.buildings).toBe(0);
    }
    const uses = await sql<{ use: string }>`SELECT DISTINCT use FROM house ORDER BY use`.execute(db);
    expect(uses.rows.map((u) => u.use)).toEqual(expect.arrayContaining(['commercial', 'rental', 'residential', 'vacant']));

    const orgs = await db.selectFrom('organisation').select(['uscc', 'kind', 'key_premises', 'key_premises_type', 'phone_enc', 'phone_masked']).execute();
    expect(orgs.length).toBe(60);
    for (const o of orgs) if (o.uscc) expect(checkUscc(o.uscc).ok).toBe(true);
    expect(orgs.filter((o) => o.key_premises).map((o) => o.key_premises_type)).toEqual(expect.arrayContaining(['internet_cafe', 'restaurant']));
    const withPhone = orgs.find((o) => o.phone_enc);
    expect(withPhone?.phone_masked).toMatch(/^1\d\d\*{4}\d{4}$/);
    const clear = testPii.decrypt(withPhone?.phone_enc as Uint8Array);
    expect(withPhone?.phone_masked?.slice(-4)).toBe(clear.slice(-4));

    const states = await sql<{ state: string; n: number }>`SELECT state, count(*)::int AS n FROM facility GROUP BY state ORDER BY state`.execute(db);
    expect(states.rows.map((s) => s.state)).toEqual(['damaged', 'intact', 'lost', 'occupied']);
    expect(states.rows.reduce((n, s) => n + s.n, 0)).toBe(100);
    const levels = await sql<{ warning_level: string }>`SELECT DISTINCT warning_level FROM key_place ORDER BY 1`.execute(db);
    expect(levels.rows.map((l) => l.warning_level)).toEqual(['blue', 'orange', 'red', 'yellow']);
  });

  it('places every located record inside its own grid', async () => {
    const outside = await sql<{ t: string; n: number }>`
      SELECT t, count(*)::int AS n FROM (
        SELECT 'building' AS t, x.grid_id, x.geom FROM building x UNION ALL SELECT 'house', x.grid_id, x.geom FROM house x
        UNION ALL SELECT 'organisation', x.grid_id, x.geom FROM organisation x UNION ALL SELECT 'facility', x.grid_id, x.geom FROM facility x
        UNION ALL SELECT 'key_place', x.grid_id, x.geom FROM key_place x
      ) r JOIN grid_boundary b ON b.grid_id = r.grid_id AND b.valid_to IS NULL
      WHERE r.geom IS NULL OR NOT ST_Covers(b.geom, r.geom) GROUP BY t`.execute(t.database.db);
    expect(outside.rows).toEqual([]);
  });
});
