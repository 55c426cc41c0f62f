import gcoord from 'gcoord';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegion, createUser, regionByCode } from '../../../test/factories.js';
import { areaM2, rect } from '../../../test/grid-factories.js';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { todayInChina } from './today.js';

// Fixture communities far from the demo district's map area: 测试甲 (泉城街道) and 测试柳 (柳荫街道).
const X = 118.5;
const Y = 36.6;
const U = 0.001; // one cell: about 89 m × 111 m here

describe('grids', () => {
  let t: TestApp;
  let admin: TestSession;
  let quancheng: TestSession;
  let liuyin: TestSession;
  let worker: TestSession;
  let jia: { id: string; path: string; code: string };
  let liu: { id: string; path: string; code: string };
  const grid: Record<string, { id: string; code: string }> = {};

  const count = async (table: 'grid' | 'grid_boundary') =>
    Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.database.db)).rows[0]?.n);
  const indexVersion = async () => Number((await sql<{ v: number }>`select version as v from grid_index_version`.execute(t.database.db)).rows[0]?.v);
  const create = (s: TestSession, payload: Record<string, unknown>) => t.as(s, { method: 'POST', url: '/api/grids', payload });
  const cell = (i: number, j: number, w = 1, h = 1) => rect(X + i * U, Y + j * U, w * U, h * U);

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    const quanchengStreet = await regionByCode(db, '370118001000');
    const liuyinStreet = await regionByCode(db, '370118002000');
    jia = await createRegion(db, { parent: quanchengStreet, level: 'community', code: '370118001050', name: '测试甲社区' });
    liu = await createRegion(db, { parent: liuyinStreet, level: 'community', code: '370118002050', name: '测试柳社区' });
    admin = await t.login('admin');
    quancheng = await t.login('jd_quancheng');
    liuyin = await t.login('jd_liuyin');
    worker = await t.login('wgy_baotuquan');
  });
  afterAll(() => t.close());

  describe('code template setting', () => {
    it('is readable by staff, changed only by a system administrator, audited', async () => {
      const res = await t.as(worker, { method: 'GET', url: '/api/settings/grid-code-template' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ template: 'shandong19', length: 19, nameZh: '山东省 19 位网格编码' });
      expect(res.json().segments.map((s: { key: string }) => s.key)).toEqual(['county', 'town', 'area', 'community', 'grid', 'type']);
      expect(res.json().available).toHaveLength(3);

      const denied = await t.as(quancheng, { method: 'PUT', url: '/api/settings/grid-code-template', payload: { template: 'beijing15' } });
      expect(denied.statusCode).toBe(403);
      const bad = await t.as(admin, { method: 'PUT', url: '/api/settings/grid-code-template', payload: { template: 'shandong20' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');

      const put = await t.as(admin, { method: 'PUT', url: '/api/settings/grid-code-template', payload: { template: 'beijing15' } });
      expect(put.statusCode).toBe(200);
      expect(put.json()).toMatchObject({ template: 'beijing15', length: 15 });
      const audit = await t.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'setting.changed')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(audit.details).toMatchObject({ key: 'grid.code_template', from: 'shandong19', to: 'beijing15' });
      await t.as(admin, { method: 'PUT', url: '/api/settings/grid-code-template', payload: { template: 'shandong19' } });
    });
  });

  describe('community boundary', () => {
    it('a street center draws its community’s boundary; it is validated like a grid and audited', async () => {
      const res = await t.as(quancheng, { method: 'PUT', url: `/api/regions/${jia.id}/boundary`, payload: { geometry: cell(0, 0, 3, 2) } });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.regionId).toBe(jia.id);
      expect(body.geometry.type).toBe('MultiPolygon');
      expect(Math.abs(body.areaM2 - (await areaM2(t.database.db, cell(0, 0, 3, 2))))).toBeLessThan(0.01);
      expect(body.label.type).toBe('Point');
      expect(body.gridsOutside).toEqual([]);
      const audit = await t.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'region.boundary_changed')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(audit).toMatchObject({ actor_name: 'jd_quancheng', region_id: jia.id });

      const liuRes = await t.as(liuyin, { method: 'PUT', url: `/api/regions/${liu.id}/boundary`, payload: { geometry: rect(X + 0.01, Y, 2 * U, U) } });
      expect(liuRes.statusCode).toBe(200);
    });

    it('refuses another street’s community (404), a street (400), a bow-tie and an unclosed ring', async () => {
      const other = await t.as(quancheng, { method: 'PUT', url: `/api/regions/${liu.id}/boundary`, payload: { geometry: cell(0, 0) } });
      expect(other.statusCode).toBe(404);
      const street = await regionByCode(t.database.db, '370118001000');
      const notCommunity = await t.as(quancheng, { method: 'PUT', url: `/api/regions/${street.id}/boundary`, payload: { geometry: cell(0, 0) } });
      expect(notCommunity.statusCode).toBe(400);
      expect(notCommunity.json().error.fields[0]).toMatchObject({ path: 'id', code: 'not_community' });
      const bow = await t.as(quancheng, {
        method: 'PUT',
        url: `/api/regions/${jia.id}/boundary`,
        payload: {
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [X, Y],
                [X + U, Y + U],
                [X + U, Y],
                [X, Y + U],
                [X, Y],
              ],
            ],
          },
        },
      });
      expect(bow.statusCode).toBe(400);
      expect(bow.json().error.code).toBe('GEOMETRY_INVALID');
      const sq = await t.as(worker, { method: 'PUT', url: `/api/regions/${jia.id}/boundary`, payload: { geometry: cell(0, 0) } });
      expect(sq.statusCode).toBe(403);
    });
  });

  describe('creating', () => {
    it('generates the Shandong code, stores the boundary, bumps the index version and audits', async () => {
      const before = await indexVersion();
      const res = await create(quancheng, { communityId: jia.id, name: '测试甲第一网格', gridType: '01', geometry: cell(0, 0), landmarks: ['泉城广场'] });
      expect(res.statusCode).toBe(201);
      const g = res.json();
      expect(g.code).toBe('3701180010005000101');
      expect(g).toMatchObject({
        seq: 1,
        areaCode: '00',
        level: 'grid',
        communityId: jia.id,
        communityName: '测试甲社区',
        validTo: null,
        landmarks: ['泉城广场'],
      });
      expect(g.validFrom).toBe(todayInChina());
      expect(g.geometry.type).toBe('MultiPolygon');
      expect(g.geometry.coordinates[0][0][0]).toEqual([X, Y]);
      expect(Math.abs(g.areaM2 - (await areaM2(t.database.db, cell(0, 0))))).toBeLessThan(0.01);
      expect(g.staff).toEqual([]);
      expect(g.flags.map((f: { code: string }) => f.code)).toEqual(['GRID_UNDERSTAFFED']);
      expect(await indexVersion()).toBe(before + 1);
      const audit = await t.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'grid.created')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(audit).toMatchObject({ actor_name: 'jd_quancheng', target_id: g.id, region_id: jia.id, region_path: jia.path });
      expect(audit.details).toMatchObject({ code: g.code, template: 'shandong19', draft: false });
      grid.a1 = g;
    });

    it('takes a given code after validating it, and its 片区 and sequence from it', async () => {
      const res = await create(quancheng, { communityId: jia.id, name: '测试甲第二网格', gridType: '01', code: '3701180010205000701', geometry: cell(1, 0) });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ code: '3701180010205000701', seq: 7, areaCode: '02' });
      grid.a2 = res.json();
      // The next generated number follows the highest used.
      const next = await create(quancheng, { communityId: jia.id, name: '测试甲第三网格', gridType: '03', dedicatedKind: 'school', geometry: cell(2, 0) });
      expect(next.statusCode).toBe(201);
      expect(next.json()).toMatchObject({ code: '3701180010005000803', seq: 8, gridType: '03', dedicatedKind: 'school' });
      grid.a3 = next.json();
    });

    it('refuses malformed codes with the position and reason, and a taken code, writing nothing', async () => {
      const grids = await count('grid');
      const cases: [string, number, RegExp][] = [
        ["3701180010005' OR '1'='1", 14, /第 14 位不是数字/],
        ['37011800100050001', 18, /只有 17 位/],
        ['3701180010005100901', 14, /社区（村）代码应为 050/],
        ['3701180020005000901', 9, /乡镇（街道）代码应为 001/],
        ['3701180010005000902', 18, /网格属性段应为 01/],
        ['3701180010005000001', 15, /不能为 000/],
        ['9901180010005000901', 1, /不是省级行政区划代码/],
      ];
      for (const [code, position, reason] of cases) {
        const res = await create(quancheng, { communityId: jia.id, name: '坏编码网格', gridType: '01', code, geometry: cell(0, 1) });
        expect(res.statusCode, code).toBe(400);
        const e = res.json().error;
        expect(e.code).toBe('GRID_CODE_INVALID');
        expect(e.fields[0].path).toBe('code');
        expect(e.fields[0].message).toMatch(reason);
        expect(e.details.position, code).toBe(position);
        expect(e.details.reason.en.length).toBeGreaterThan(5);
      }
      const taken = await create(quancheng, { communityId: jia.id, name: '重复编码网格', gridType: '01', code: grid.a1?.code, geometry: cell(0, 1) });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().error).toMatchObject({ code: 'GRID_CODE_TAKEN', fields: [{ path: 'code', code: 'taken' }] });
      const seqMismatch = await create(quancheng, {
        communityId: jia.id,
        name: '顺序不符网格',
        gridType: '01',
        seq: 9,
        code: '3701180010005001001',
        geometry: cell(0, 1),
      });
      expect(seqMismatch.json().error).toMatchObject({ code: 'GRID_CODE_INVALID', details: { position: 15 } });
      expect(await count('grid')).toBe(grids);
    });

    it('refuses bad geometry with the reason and where, writing nothing', async () => {
      const grids = await count('grid');
      const boundaries = await count('grid_boundary');
      const base = { communityId: jia.id, name: '坏边界网格', gridType: '01' };

      const unclosed = await create(quancheng, {
        ...base,
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [X, Y + U],
              [X + U, Y + U],
              [X + U, Y + 2 * U],
              [X, Y + 2 * U],
            ],
          ],
        },
      });
      expect(unclosed.statusCode).toBe(400);
      expect(unclosed.json().error).toMatchObject({
        code: 'GEOMETRY_INVALID',
        fields: [{ path: 'geometry.coordinates.0', code: 'ring_not_closed' }],
        details: { reason: 'ring not closed' },
      });

      const bow = await create(quancheng, {
        ...base,
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [X, Y + U],
              [X + U, Y + 2 * U],
              [X + U, Y + U],
              [X, Y + 2 * U],
              [X, Y + U],
            ],
          ],
        },
      });
      expect(bow.statusCode).toBe(400);
      const be = bow.json().error;
      expect(be.code).toBe('GEOMETRY_INVALID');
      expect(be.details.reason).toBe('Self-intersection');
      expect(be.details.reasonZh).toBe('边界自相交');
      expect(be.details.location[0]).toBeCloseTo(X + U / 2, 9);
      expect(be.details.location[1]).toBeCloseTo(Y + 1.5 * U, 9);
      expect(be.fields[0]).toMatchObject({ path: 'geometry', code: 'invalid_geometry' });

      // Half a cell beyond the community's north edge.
      const outside = await create(quancheng, { ...base, geometry: rect(X, Y + 1.5 * U, U, U) });
      expect(outside.statusCode).toBe(400);
      const oe = outside.json().error;
      expect(oe.code).toBe('GRID_OUTSIDE_COMMUNITY');
      expect(Math.abs(oe.details.outsideAreaM2 - (await areaM2(t.database.db, rect(X, Y + 2 * U, U, 0.5 * U))))).toBeLessThan(1);

      // Overlaps 测试甲第一网格 by half a cell.
      const overlap = await create(quancheng, { ...base, geometry: rect(X, Y + 0.5 * U, U, U) });
      expect(overlap.statusCode).toBe(409);
      const ov = overlap.json().error;
      expect(ov.code).toBe('GRID_OVERLAP');
      expect(ov.details.overlaps).toHaveLength(1);
      expect(ov.details.overlaps[0].code).toBe(grid.a1?.code);
      expect(Math.abs(ov.details.overlaps[0].areaM2 - (await areaM2(t.database.db, rect(X, Y + 0.5 * U, U, 0.5 * U))))).toBeLessThan(1);

      for (const geometry of [
        { type: 'Polygon', coordinates: [] },
        { type: 'Polygon', coordinates: [[]] },
        { type: 'MultiPolygon', coordinates: [] },
        { type: 'Point', coordinates: [X, Y] },
        {
          type: 'Polygon',
          coordinates: [
            [
              [X, Y],
              [X + U, Y],
              [X, Y],
            ],
          ],
        },
        {
          type: 'Polygon',
          coordinates: [
            [
              [X, Y],
              [200, Y],
              [X, Y + U],
              [X, Y],
            ],
          ],
        },
      ]) {
        const res = await create(quancheng, { ...base, geometry });
        expect(res.statusCode, JSON.stringify(geometry)).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
        expect(res.json().error.fields[0].path).toMatch(/^geometry/);
      }
      const line = await create(quancheng, {
        ...base,
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [X, Y],
              [X + U, Y],
              [X + 2 * U, Y],
              [X, Y],
            ],
          ],
        },
      });
      expect(line.json().error).toMatchObject({ code: 'GEOMETRY_INVALID', fields: [{ path: 'geometry.coordinates.0', code: 'ring_without_area' }] });

      for (const coordSystem of ['EPSG:3857', 'gcj02', "WGS84' --"]) {
        const res = await create(quancheng, { ...base, coordSystem, geometry: cell(0, 1) });
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
        expect(res.json().error.fields[0].path).toBe('coordSystem');
      }
      expect(await count('grid')).toBe(grids);
      expect(await count('grid_boundary')).toBe(boundaries);
    });

    it('saves an overlapping grid when asked to as a draft', async () => {
      const res = await create(quancheng, { communityId: jia.id, name: '草稿网格', gridType: '01', geometry: rect(X, Y + 0.5 * U, U, U), draft: true });
      expect(res.statusCode).toBe(201);
      const audit = await t.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'grid.created')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(audit.details).toMatchObject({ draft: true, overlaps: [{ code: grid.a1?.code }] });
      grid.draft = res.json();
    });

    it('converts GCJ-02 input to WGS84 (the stored vertex differs from the input by the gcoord offset)', async () => {
      const wgs = cell(0, 1);
      const gcj = gcoord.transform(structuredClone(wgs) as never, gcoord.WGS84, gcoord.GCJ02) as unknown as typeof wgs;
      const res = await create(quancheng, { communityId: jia.id, name: '火星坐标网格', gridType: '01', coordSystem: 'GCJ02', geometry: gcj, draft: true });
      expect(res.statusCode).toBe(201);
      const stored = res.json().geometry.coordinates[0][0][0] as [number, number];
      const input = gcj.coordinates[0]?.[0] as [number, number];
      const expected = gcoord.transform(input, gcoord.GCJ02, gcoord.WGS84) as [number, number];
      expect(Math.abs(stored[0] - expected[0])).toBeLessThan(1e-8);
      expect(Math.abs(stored[1] - expected[1])).toBeLessThan(1e-8);
      expect(Math.abs(stored[0] - X)).toBeLessThan(1e-5);
      expect(Math.hypot(stored[0] - input[0], stored[1] - input[1])).toBeGreaterThan(1e-3);
      grid.gcj = res.json();
    });

    it('keeps grids to the caller’s scope: 404 outside the view scope, 403 for a grid worker', async () => {
      const otherStreet = await create(quancheng, { communityId: liu.id, name: '越界网格', gridType: '01', geometry: rect(X + 0.01, Y, U, U) });
      expect(otherStreet.statusCode).toBe(404);
      const w = await create(worker, { communityId: jia.id, name: '网格员建的网格', gridType: '01', geometry: cell(2, 1) });
      expect(w.statusCode).toBe(403);
      expect(w.json().error.code).toBe('FORBIDDEN');
      const street = await regionByCode(t.database.db, '370118001000');
      const onStreet = await create(quancheng, { communityId: street.id, name: '街道网格', gridType: '01', geometry: cell(2, 1) });
      expect(onStreet.json().error.fields[0]).toMatchObject({ path: 'communityId', code: 'not_community' });
      const mine = await create(liuyin, { communityId: liu.id, name: '测试柳第一网格', gridType: '01', geometry: rect(X + 0.01, Y, U, U) });
      expect(mine.statusCode).toBe(201);
      expect(mine.json().code).toBe('3701180020005000101');
      grid.l1 = mine.json();
    });

    it('refuses injection strings in names with VALIDATION_FAILED and stores nothing', async () => {
      for (const name of ["'; DROP TABLE grid; --", '<script>alert(1)</script>', '网格"1"']) {
        const res = await create(quancheng, { communityId: jia.id, name, gridType: '01', geometry: cell(2, 1) });
        expect(res.statusCode, name).toBe(400);
        expect(res.json().error.fields[0].path).toBe('name');
      }
      expect(await count('grid')).toBeGreaterThan(0);
    });
  });

  describe('reading', () => {
    it('shows a grid in scope and hides other streets’ grids (404)', async () => {
      const mine = await t.as(quancheng, { method: 'GET', url: `/api/grids/${grid.a1?.id}` });
      expect(mine.statusCode).toBe(200);
      expect(mine.json()).toMatchObject({ code: grid.a1?.code, communityName: '测试甲社区' });
      const theirs = await t.as(quancheng, { method: 'GET', url: `/api/grids/${grid.l1?.id}` });
      expect(theirs.statusCode).toBe(404);
      expect(theirs.json().error.code).toBe('NOT_FOUND');
      const district = await t.as(await t.login('qu_zhongxin'), { method: 'GET', url: `/api/grids/${grid.l1?.id}` });
      expect(district.statusCode).toBe(200);
      const dept = await t.as(await t.login('bm_chengguan'), { method: 'GET', url: `/api/grids/${grid.l1?.id}` });
      expect(dept.statusCode).toBe(200);
      const resident = await t.as(await t.login('jumin'), { method: 'GET', url: `/api/grids/${grid.l1?.id}` });
      expect(resident.statusCode).toBe(403);
      const badId = await t.as(quancheng, { method: 'GET', url: "/api/grids/1' or '1'='1" });
      expect(badId.statusCode).toBe(400);
    });

    it('lists grids in scope by code, with filters, and as of a date', async () => {
      const all = await t.as(quancheng, { method: 'GET', url: `/api/grids?regionId=${jia.id}` });
      expect(all.statusCode).toBe(200);
      const codes = all.json().items.map((g: { code: string }) => g.code);
      expect(codes).toEqual([...codes].sort());
      expect(codes).toContain(grid.a1?.code);
      expect(codes).not.toContain(grid.l1?.code);
      expect(all.json().total).toBe(codes.length);
      expect(all.json().items[0].flags).toBeDefined();

      const scope = (await t.as(quancheng, { method: 'GET', url: '/api/grids?limit=500' })).json().items.map((g: { code: string }) => g.code);
      expect(scope).not.toContain(grid.l1?.code);
      const otherStreet = await t.as(quancheng, { method: 'GET', url: `/api/grids?regionId=${liu.id}` });
      expect(otherStreet.statusCode).toBe(404);

      const byCode = (await t.as(quancheng, { method: 'GET', url: `/api/grids?regionId=${jia.id}&q=37011800102` })).json().items;
      expect(byCode.map((g: { code: string }) => g.code)).toEqual([grid.a2?.code]);
      const byName = (await t.as(quancheng, { method: 'GET', url: `/api/grids?regionId=${jia.id}&q=${encodeURIComponent('第三')}` })).json().items;
      expect(byName.map((g: { code: string }) => g.code)).toEqual([grid.a3?.code]);
      const dedicated = (await t.as(quancheng, { method: 'GET', url: `/api/grids?regionId=${jia.id}&gridType=03` })).json().items;
      expect(dedicated.map((g: { code: string }) => g.code)).toEqual([grid.a3?.code]);
      const paged = (await t.as(quancheng, { method: 'GET', url: `/api/grids?regionId=${jia.id}&limit=2&offset=1` })).json();
      expect(paged.items).toHaveLength(2);
      expect(paged.total).toBe(codes.length);
      const past = (await t.as(quancheng, { method: 'GET', url: `/api/grids?regionId=${jia.id}&on=2020-01-01` })).json();
      expect(past).toEqual({ items: [], total: 0 });
    });

    it('treats injection strings in q literally or refuses them', async () => {
      for (const q of ["' OR 1=1 --", '%', "测试'; DROP TABLE grid; --", '<b>']) {
        const res = await t.as(quancheng, { method: 'GET', url: `/api/grids?q=${encodeURIComponent(q)}` });
        expect(res.statusCode, q).toBe(400);
        expect(res.json().error.fields[0].path).toBe('query.q');
      }
      const literal = await t.as(quancheng, { method: 'GET', url: `/api/grids?q=${encodeURIComponent('OR 1-1')}` });
      expect(literal.statusCode).toBe(200);
      expect(literal.json().items).toEqual([]);
      const extra = await t.as(quancheng, { method: 'GET', url: '/api/grids?sort=code' });
      expect(extra.json().error.code).toBe('UNKNOWN_FIELD');
    });
  });

  describe('changing', () => {
    it('patches attributes; baseline counts bring size flags with their numbers', async () => {
      const before = await indexVersion();
      const res = await t.as(quancheng, {
        method: 'PATCH',
        url: `/api/grids/${grid.a1?.id}`,
        payload: { name: '测试甲一号网格', baselineHouseholds: 620, baselinePopulation: 1700, station: { address: '泉城路 1 号', phone: '0531-8800 0001' } },
      });
      expect(res.statusCode).toBe(200);
      const g = res.json();
      expect(g).toMatchObject({ name: '测试甲一号网格', households: 620, population: 1700, station: { address: '泉城路 1 号' } });
      expect(g.flags).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'GRID_TOO_MANY_HOUSEHOLDS', value: 620, min: 300, max: 500, source: 'baseline' }),
          expect.objectContaining({ code: 'GRID_TOO_MANY_PEOPLE', value: 1700, max: 1500, source: 'baseline' }),
          expect.objectContaining({ code: 'GRID_UNDERSTAFFED', value: 0, min: 1, source: 'staff' }),
        ]),
      );
      expect(g.flags.find((f: { code: string }) => f.code === 'GRID_TOO_MANY_HOUSEHOLDS').message).toMatch(/户数 620 超过城镇网格上限 500（基线数据）/);
      expect(await indexVersion()).toBe(before + 1);
      const audit = await t.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'grid.updated')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(audit.details).toMatchObject({ changes: { name: { from: '测试甲第一网格', to: '测试甲一号网格' }, baselineHouseholds: { from: null, to: 620 } } });
      const flagged = (await t.as(quancheng, { method: 'GET', url: `/api/grids?regionId=${jia.id}&flagged=true` })).json().items;
      expect(flagged.map((x: { id: string }) => x.id)).toContain(grid.a1?.id);
      // Every listed grid is flagged exactly when its detail says so.
      const unflagged = (await t.as(quancheng, { method: 'GET', url: `/api/grids?regionId=${jia.id}&flagged=false` })).json().items;
      for (const x of flagged) expect(x.flags.length).toBeGreaterThan(0);
      for (const x of unflagged) expect(x.flags).toEqual([]);
    });

    it('a new grid type gives the Shandong code its new type digits', async () => {
      const res = await t.as(quancheng, { method: 'PATCH', url: `/api/grids/${grid.a2?.id}`, payload: { gridType: '02' } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ gridType: '02', code: '3701180010205000702' });
      const needsKind = await t.as(quancheng, { method: 'PATCH', url: `/api/grids/${grid.a2?.id}`, payload: { gridType: '03' } });
      expect(needsKind.json().error.fields[0]).toMatchObject({ path: 'dedicatedKind', code: 'required' });
      const noScope = await t.as(quancheng, { method: 'PATCH', url: `/api/grids/${grid.l1?.id}`, payload: { name: '改名' } });
      expect(noScope.statusCode).toBe(404);
      const badName = await t.as(quancheng, { method: 'PATCH', url: `/api/grids/${grid.a2?.id}`, payload: { name: "x'); DELETE FROM grid; --" } });
      expect(badName.statusCode).toBe(400);
    });

    it('a caller who may see but not change the community gets OUT_OF_SCOPE', async () => {
      const u = await createUser(t.database.db, { username: 'sq_viewer', role: 'community_station', scopeRegionIds: [jia.id] });
      await t.database.db.insertInto('user_scope').values({ user_id: u.id, kind: 'view', region_id: liu.id }).execute();
      const s = await t.login('sq_viewer');
      expect((await t.as(s, { method: 'GET', url: `/api/grids/${grid.l1?.id}` })).statusCode).toBe(200);
      const res = await t.as(s, { method: 'PATCH', url: `/api/grids/${grid.l1?.id}`, payload: { name: '改名' } });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('OUT_OF_SCOPE');
    });

    it('versions boundaries: a change closes the open version today; a second change the same day replaces it', async () => {
      const db = t.database.db;
      const id = grid.a3?.id as string;
      // Pretend the grid was drawn ten days ago.
      await sql`update grid set valid_from = valid_from - 10 where id = ${id}::uuid`.execute(db);
      await sql`update grid_boundary set valid_from = valid_from - 10 where grid_id = ${id}::uuid`.execute(db);
      const tenDaysAgo = (await sql<{ d: string }>`select valid_from::text as d from grid where id = ${id}::uuid`.execute(db)).rows[0]?.d as string;

      const shrink = await t.as(quancheng, { method: 'PUT', url: `/api/grids/${id}/boundary`, payload: { geometry: cell(2, 0, 1, 0.5) } });
      expect(shrink.statusCode).toBe(200);
      expect(Math.abs(shrink.json().areaM2 - (await areaM2(db, cell(2, 0, 1, 0.5))))).toBeLessThan(0.01);
      const again = await t.as(quancheng, { method: 'PUT', url: `/api/grids/${id}/boundary`, payload: { geometry: cell(2, 0, 1, 0.75) } });
      expect(again.statusCode).toBe(200);
      const versions = await db.selectFrom('grid_boundary').select(['valid_from', 'valid_to']).where('grid_id', '=', id).orderBy('valid_from').execute();
      expect(versions).toEqual([
        { valid_from: tenDaysAgo, valid_to: todayInChina() },
        { valid_from: todayInChina(), valid_to: null },
      ]);
      // As of five days ago the grid had its old shape.
      const fiveDaysAgo = new Date(Date.parse(`${tenDaysAgo}T00:00:00Z`) + 5 * 86400_000).toISOString().slice(0, 10);
      const past = (await t.as(quancheng, { method: 'GET', url: `/api/grids?regionId=${jia.id}&on=${fiveDaysAgo}` })).json().items;
      expect(past.map((g: { id: string }) => g.id)).toEqual([id]);
      expect(Math.abs(past[0].areaM2 - (await areaM2(db, cell(2, 0))))).toBeLessThan(0.01);
      const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'grid.boundary_changed').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(audit.details).toMatchObject({ replacedSameDay: true, validFrom: todayInChina() });
    });

    it('refuses a boundary that overlaps a sibling unless saved as a draft', async () => {
      const id = grid.a3?.id as string;
      const overlap = await t.as(quancheng, { method: 'PUT', url: `/api/grids/${id}/boundary`, payload: { geometry: rect(X + 1.5 * U, Y, 1.5 * U, U) } });
      expect(overlap.statusCode).toBe(409);
      expect(overlap.json().error.details.overlaps[0].code).toBe(grid.a2?.code.slice(0, -2).concat('02'));
      const draft = await t.as(quancheng, {
        method: 'PUT',
        url: `/api/grids/${id}/boundary`,
        payload: { geometry: rect(X + 1.5 * U, Y, 1.5 * U, U), draft: true },
      });
      expect(draft.statusCode).toBe(200);
      const back = await t.as(quancheng, { method: 'PUT', url: `/api/grids/${id}/boundary`, payload: { geometry: cell(2, 0) } });
      expect(back.statusCode).toBe(200);
    });
  });

  describe('map features', () => {
    it('serves grids inside the bbox and the view scope only, up to the limit', async () => {
      const bbox = [X - U, Y - U, X + 0.02, Y + 3 * U].join(',');
      const mine = await t.as(quancheng, { method: 'GET', url: `/api/grids/features?bbox=${bbox}` });
      expect(mine.statusCode).toBe(200);
      const fc = mine.json();
      expect(fc.type).toBe('FeatureCollection');
      expect(fc.truncated).toBe(false);
      const ids = fc.features.map((f: { id: string }) => f.id);
      expect(ids).toContain(grid.a1?.id);
      expect(ids).not.toContain(grid.l1?.id);
      const f1 = fc.features.find((f: { id: string }) => f.id === grid.a1?.id);
      expect(f1.properties).toMatchObject({ code: grid.a1?.code, gridType: '01', level: 'grid', communityId: jia.id });
      expect(f1.properties.flags).toContain('GRID_TOO_MANY_HOUSEHOLDS');
      expect(f1.geometry.type).toBe('MultiPolygon');

      const theirs = (await t.as(liuyin, { method: 'GET', url: `/api/grids/features?bbox=${bbox}` })).json();
      expect(theirs.features.map((f: { id: string }) => f.id)).toEqual([grid.l1?.id]);
      const elsewhere = (await t.as(quancheng, { method: 'GET', url: '/api/grids/features?bbox=100,20,100.1,20.1' })).json();
      expect(elsewhere.features).toEqual([]);
      const one = (await t.as(quancheng, { method: 'GET', url: `/api/grids/features?bbox=${bbox}&limit=1` })).json();
      expect(one.features).toHaveLength(1);
      expect(one.truncated).toBe(true);

      const noBox = await t.as(quancheng, { method: 'GET', url: '/api/grids/features' });
      expect(noBox.statusCode).toBe(400);
      for (const b of ['1,2,3', '118,36,117,37', "118,36,119,37' --", '118,36,190,37']) {
        const res = await t.as(quancheng, { method: 'GET', url: `/api/grids/features?bbox=${encodeURIComponent(b)}` });
        expect(res.statusCode, b).toBe(400);
        expect(res.json().error.fields[0].path).toBe('query.bbox');
      }
    });

    it('serves community outlines and the street outline as their union, with label points', async () => {
      const bbox = [X - U, Y - U, X + 0.02, Y + 3 * U].join(',');
      const res = await t.as(quancheng, { method: 'GET', url: `/api/regions/features?bbox=${bbox}` });
      expect(res.statusCode).toBe(200);
      const fc = res.json();
      const byId = new Map(fc.features.map((f: { id: string }) => [f.id, f]));
      const street = await regionByCode(t.database.db, '370118001000');
      expect(byId.get(jia.id)).toMatchObject({ properties: { level: 'community', name: '测试甲社区', code: '370118001050' } });
      expect(byId.get(street.id)).toMatchObject({ properties: { level: 'street', name: '泉城街道' } });
      expect(byId.has(liu.id)).toBe(false);
      const label = (byId.get(jia.id) as { properties: { labelLng: number; labelLat: number } }).properties;
      expect(label.labelLng).toBeGreaterThan(X);
      expect(label.labelLng).toBeLessThan(X + 3 * U);
      expect(label.labelLat).toBeGreaterThan(Y);
      expect(label.labelLat).toBeLessThan(Y + 2 * U);
      const admins = (await t.as(admin, { method: 'GET', url: `/api/regions/features?bbox=${bbox}` })).json();
      const levels = admins.features.map((f: { properties: { level: string } }) => f.properties.level);
      expect(levels[0]).toBe('district');
      expect(admins.features.map((f: { id: string }) => f.id)).toContain(liu.id);
    });
  });
});
