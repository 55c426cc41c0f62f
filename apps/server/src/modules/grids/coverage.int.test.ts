import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegion, regionByCode } from '../../../test/factories.js';
import { areaM2, rect, setBoundary } from '../../../test/grid-factories.js';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { runCoverage } from './coverage.repository.js';

// A 2 × 1 cell community (华山街道) tiled by two grids, away from the demo district's map area.
const X = 118.6;
const Y = 36.6;
const U = 0.001;
const at = (x: number, y: number): [number, number] => [X + x * U, Y + y * U];
const polygon = (...pts: [number, number][]) => ({ type: 'Polygon' as const, coordinates: [[...pts, pts[0] as [number, number]]] });

describe('coverage check', () => {
  let t: TestApp;
  let admin: TestSession;
  let c: { id: string; path: string };
  const g: Record<string, string> = {};

  const coverage = (s: TestSession, regionId: string) => t.as(s, { method: 'GET', url: `/api/coverage?regionId=${regionId}` });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin');
    const street = await regionByCode(t.database.db, '370118003000');
    c = await createRegion(t.database.db, { parent: street, level: 'community', code: '370118003050', name: '覆盖测试社区' });
    const b = await t.as(admin, { method: 'PUT', url: `/api/regions/${c.id}/boundary`, payload: { geometry: rect(X, Y, 2 * U, U) } });
    expect(b.statusCode).toBe(200);
    for (const [key, i] of [
      ['a', 0],
      ['b', 1],
    ] as const) {
      const res = await t.as(admin, {
        method: 'POST',
        url: '/api/grids',
        payload: { communityId: c.id, name: `覆盖网格${key}`, gridType: '01', geometry: rect(X + i * U, Y, U, U) },
      });
      expect(res.statusCode).toBe(201);
      g[key] = res.json().id;
    }
  });
  afterAll(() => t.close());

  it('reports no gaps and no overlaps for a community its grids tile exactly', async () => {
    const res = await coverage(admin, c.id);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ regionId: c.id, checkedCommunities: 1, checkedGrids: 2, overlaps: 0, gaps: 0, outside: 0, issues: [] });
    expect(res.json().tookMs).toBeGreaterThanOrEqual(0);
  });

  it('reports no gaps and no overlaps for the demo district (every community with a boundary, its grids tiling it)', async () => {
    const district = await regionByCode(t.database.db, '370118');
    const res = await coverage(admin, district.id);
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.checkedCommunities).toBeGreaterThanOrEqual(1);
    expect(r.checkedGrids).toBeGreaterThanOrEqual(2);
    expect({ overlaps: r.overlaps, gaps: r.gaps, outside: r.outside }).toEqual({ overlaps: 0, gaps: 0, outside: 0 });
  });

  it('finds the overlap and the gap a moved vertex makes, each within 1 m² of the hand-computed area', async () => {
    // Grid a's north-east corner (1, 1) moves to (1.2, 0.8): it bulges into b below the new edge, and leaves
    // a sliver of its own cell uncovered above it. The new edge (1.2, 0.8)–(0, 1) crosses x = 1 at y = 1 − 0.2/1.2.
    const yCross = 1 - 0.2 / 1.2;
    const moved = polygon(at(0, 0), at(1, 0), at(1.2, 0.8), at(0, 1));
    const refused = await t.as(admin, { method: 'PUT', url: `/api/grids/${g.a}/boundary`, payload: { geometry: moved } });
    expect(refused.statusCode).toBe(409);
    const put = await t.as(admin, { method: 'PUT', url: `/api/grids/${g.a}/boundary`, payload: { geometry: moved, draft: true } });
    expect(put.statusCode).toBe(200);

    const overlapArea = await areaM2(t.database.db, polygon(at(1, 0), at(1.2, 0.8), at(1, yCross)));
    const gapArea = await areaM2(t.database.db, polygon(at(0, 1), at(1, yCross), at(1, 1)));
    // By hand on the local plane: ½ · 0.2 cell · (1 − 0.2/1.2) cell, a cell being 0.001° of longitude × latitude at 36.6°N.
    const cellW = 0.001 * ((Math.PI * 6378137) / 180) * Math.cos((36.6 * Math.PI) / 180);
    const cellH = 0.001 * 110_950;
    const byHand = 0.5 * 0.2 * cellW * yCross * cellH;
    expect(Math.abs(overlapArea - byHand) / byHand).toBeLessThan(0.01);
    expect(Math.abs(gapArea - byHand) / byHand).toBeLessThan(0.01);

    const res = await coverage(admin, c.id);
    const r = res.json();
    expect(r).toMatchObject({ checkedGrids: 2, overlaps: 1, gaps: 1, outside: 0 });
    const overlap = r.issues.find((i: { kind: string }) => i.kind === 'overlap');
    const gap = r.issues.find((i: { kind: string }) => i.kind === 'gap');
    expect(Math.abs(overlap.areaM2 - overlapArea)).toBeLessThan(1);
    expect(Math.abs(gap.areaM2 - gapArea)).toBeLessThan(1);
    expect([...overlap.gridIds].sort()).toEqual([g.a, g.b].sort());
    expect(overlap.gridCodes).toHaveLength(2);
    expect(overlap).toMatchObject({ communityId: c.id, communityName: '覆盖测试社区' });
    expect(gap.gridIds).toEqual([]);
    expect(overlap.geometry.type).toBe('MultiPolygon');
    expect(gap.geometry.type).toBe('MultiPolygon');
    // The reported pieces are where they should be: the gap's area equals its intersection with the expected triangle.
    const inter = await sql<{ a: number }>`
      select ST_Area(ST_Intersection(ST_GeomFromGeoJSON(${JSON.stringify(gap.geometry)}::text),
                                     ST_GeomFromGeoJSON(${JSON.stringify(polygon(at(0, 1), at(1, yCross), at(1, 1)))}::text))::geography) as a`.execute(
      t.database.db,
    );
    expect(Math.abs(Number(inter.rows[0]?.a) - gapArea)).toBeLessThan(1);

    // The street and the district report the same findings.
    const street = await regionByCode(t.database.db, '370118003000');
    const up = (await coverage(admin, street.id)).json();
    console.info(
      JSON.stringify({ ...up, issues: up.issues.map((i: { kind: string; areaM2: number; communityName: string }) => [i.kind, i.areaM2, i.communityName]) }),
    );
    expect(up.overlaps).toBe(1);
    expect(up.gaps).toBe(1);
  });

  it('reports grids reaching beyond a shrunk community boundary', async () => {
    const res = await t.as(admin, { method: 'PUT', url: `/api/regions/${c.id}/boundary`, payload: { geometry: rect(X, Y, 1.5 * U, U) } });
    expect(res.statusCode).toBe(200);
    const beyond = await areaM2(t.database.db, rect(X + 1.5 * U, Y, 0.5 * U, U));
    expect(res.json().gridsOutside).toHaveLength(1);
    expect(res.json().gridsOutside[0].id).toBe(g.b);
    expect(Math.abs(res.json().gridsOutside[0].outsideAreaM2 - beyond)).toBeLessThan(1);
    const r = (await coverage(admin, c.id)).json();
    const outside = r.issues.filter((i: { kind: string }) => i.kind === 'outside');
    expect(outside).toHaveLength(1);
    expect(outside[0].gridIds).toEqual([g.b]);
    expect(Math.abs(outside[0].areaM2 - beyond)).toBeLessThan(1);
    await t.as(admin, { method: 'PUT', url: `/api/regions/${c.id}/boundary`, payload: { geometry: rect(X, Y, 2 * U, U) } });
  });

  it('checks only within the view scope, and only communities, streets and districts', async () => {
    const quancheng = await t.login('jd_quancheng');
    const hidden = await coverage(quancheng, c.id);
    expect(hidden.statusCode).toBe(404);
    const gridId = await coverage(admin, g.a as string);
    expect(gridId.statusCode).toBe(404);
    const worker = await t.login('wgy_baotuquan');
    const own = await coverage(worker, (await regionByCode(t.database.db, '370118001001')).id);
    expect(own.statusCode).toBe(200);
    const resident = await coverage(await t.login('jumin'), c.id);
    expect(resident.statusCode).toBe(403);
    const bad = await t.as(admin, { method: 'GET', url: '/api/coverage' });
    expect(bad.statusCode).toBe(400);
  });

  // Correctness at district scale; the time it takes is measured by `npm run bench` (bench/grids.bench.ts),
  // not asserted here, where a loaded CI machine would make it flaky.
  it('checks a 2,000-grid district and finds it clean (20 communities of 10 × 10 grids)', async () => {
    const db = t.database.db;
    const district = await createRegion(db, { level: 'district', code: '370120', name: '基准区' });
    const street = await createRegion(db, { parent: district, level: 'street', code: '370120001000', name: '基准街道' });
    const d = 0.0005;
    for (let k = 0; k < 20; k++) {
      const code = `370120001${String(k + 1).padStart(3, '0')}`;
      const comm = await createRegion(db, { parent: street, level: 'community', code, name: `基准社区${k + 1}` });
      const x0 = 119 + (k % 5) * 10 * d;
      const y0 = 36 + Math.floor(k / 5) * 10 * d;
      await setBoundary(db, comm.id, rect(x0, y0, 10 * d, 10 * d));
      await sql`
        with ins as (
          insert into grid (community_id, code, name, grid_type, seq, valid_from)
          select ${comm.id}::uuid, ${`${code.slice(0, 9)}00${code.slice(9)}`} || lpad(s::text, 3, '0') || '01', '基准网格' || s, '01', s, current_date - 1
          from generate_series(1, 100) s
          returning id, seq
        )
        insert into grid_boundary (grid_id, geom, valid_from)
        select id, ST_Multi(ST_MakeEnvelope(${x0}::float8 + ((seq - 1) % 10) * ${d}::float8, ${y0}::float8 + ((seq - 1) / 10) * ${d}::float8,
                                            ${x0}::float8 + ((seq - 1) % 10 + 1) * ${d}::float8, ${y0}::float8 + ((seq - 1) / 10 + 1) * ${d}::float8, 4326)),
               current_date - 1
        from ins`.execute(db);
    }
    const r = await runCoverage(db, district.path);
    expect(r.checkedGrids).toBe(2000);
    expect(r.checkedCommunities).toBe(20);
    expect(r.issues).toEqual([]);
  });
});
