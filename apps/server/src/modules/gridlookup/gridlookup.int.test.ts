import gcoord from 'gcoord';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { createGridIndexKeeper } from './grid-index.js';
import { createGridLookupRepository } from './gridlookup.repository.js';
import { gridIndexSource } from './gridlookup.service.js';

interface DemoGridRow {
  id: string;
  code: string;
  name: string;
  community: string;
  lng: number;
  lat: number;
  landmarks: string[];
  phone: string;
}

describe('grid lookup', () => {
  let t: TestApp;
  let btq: TestSession;
  let admin: TestSession;
  let grids: DemoGridRow[];
  const inCommunity = (code: string) => grids.filter((g) => g.community === code);

  beforeAll(async () => {
    t = await createTestApp();
    btq = await t.login('wgy_baotuquan');
    admin = await t.login('admin');
    grids = (
      await sql<DemoGridRow>`
        select g.id, g.code, g.name, c.code as community, (g.station->>'lng')::float8 as lng, (g.station->>'lat')::float8 as lat,
               g.landmarks, g.station->>'phone' as phone
        from grid g join region c on c.id = g.community_id order by g.code`.execute(t.database.db)
    ).rows;
  });
  afterAll(() => t.close());

  const locate = (s: TestSession, q: string) => t.as(s, { method: 'GET', url: `/api/grids/lookup?${q}` });
  const publicLookup = (q: string, remoteAddress = '127.0.0.1') => t.app.inject({ method: 'GET', url: `/api/public/grid-lookup?${q}`, remoteAddress });

  describe('staff lookup (GET /api/grids/lookup)', () => {
    it('finds the grid of a point in the caller’s scope, with community and street', async () => {
      const g = inCommunity('370118001001')[0] as DemoGridRow;
      const res = await locate(btq, `lng=${g.lng}&lat=${g.lat}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        found: true,
        grid: { id: g.id, code: g.code, name: g.name, gridType: '01', communityName: '趵突泉社区', streetName: '泉城街道' },
        point: [g.lng, g.lat],
        message: null,
      });
    });

    it('answers found:false, not the grid, for a point whose grid is outside the caller’s view scope', async () => {
      const g = inCommunity('370118002002')[0] as DemoGridRow;
      const res = await locate(btq, `lng=${g.lng}&lat=${g.lat}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ found: false, grid: null });
      expect(res.json().message).toContain('不在您的查看范围内');
      expect(res.body).not.toContain(g.code);
      // The district center sees it.
      expect((await locate(admin, `lng=${g.lng}&lat=${g.lat}`)).json().grid.code).toBe(g.code);
    });

    it('converts GCJ-02 and BD-09 coordinates before the lookup', async () => {
      const g = inCommunity('370118001002')[2] as DemoGridRow;
      const gcj = gcoord.transform([g.lng, g.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
      const bd = gcoord.transform([g.lng, g.lat], gcoord.WGS84, gcoord.BD09) as [number, number];
      // The offsets are hundreds of metres: raw, the GCJ-02 point lands elsewhere.
      expect((await locate(admin, `lng=${gcj[0]}&lat=${gcj[1]}`)).json().grid?.code).not.toBe(g.code);
      for (const [p, cs] of [
        [gcj, 'GCJ02'],
        [bd, 'BD09'],
      ] as const) {
        const res = await locate(admin, `lng=${p[0]}&lat=${p[1]}&coordSystem=${cs}`);
        expect(res.json().grid.code).toBe(g.code);
        expect(res.json().point[0]).toBeCloseTo(g.lng, 5);
      }
    });

    it('says a point outside the district is outside the area served', async () => {
      const res = await locate(admin, 'lng=116.5&lat=36.2');
      expect(res.json()).toMatchObject({ found: false, grid: null });
      expect(res.json().message).toContain('不在本平台服务的区域内');
    });

    it('refuses bad coordinates and needs grid.read', async () => {
      expect((await locate(admin, 'lng=200&lat=36')).statusCode).toBe(400);
      expect((await locate(admin, 'lat=36')).statusCode).toBe(400);
      expect((await locate(admin, 'lng=117&lat=36&extra=1')).json().error.code).toBe('UNKNOWN_FIELD');
      expect((await t.as(await t.login('jumin'), { method: 'GET', url: '/api/grids/lookup?lng=117&lat=36' })).statusCode).toBe(403);
      expect((await t.as(null, { method: 'GET', url: '/api/grids/lookup?lng=117&lat=36' })).statusCode).toBe(401);
    });
  });

  describe('public lookup (GET /api/public/grid-lookup)', () => {
    it('tells anyone their grid, the worker names (no phones) and how to reach the station', async () => {
      const g = inCommunity('370118001001')[0] as DemoGridRow;
      const res = await publicLookup(`lng=${g.lng}&lat=${g.lat}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({
        found: true,
        grid: { code: g.code, name: g.name, gridType: '01', communityName: '趵突泉社区', streetName: '泉城街道' },
        station: { phone: g.phone, lng: g.lng, lat: g.lat },
        matched: null,
        message: null,
      });
      expect(body.station.address).toContain('趵突泉社区');
      expect(body.station.hours).toBeTruthy();
      // Leader first, then the full-time worker; names and duties only.
      expect(body.workers).toEqual([
        { displayName: '刘网格长', duty: 'leader', phone: null },
        { displayName: '张网格员', duty: 'full_time', phone: null },
      ]);
      expect(res.body).not.toMatch(/138\d{8}/);
      // No internal ids in the public answer.
      expect(res.body).not.toContain(g.id);
    });

    it('converts GCJ-02 (AMap / WeChat) coordinates', async () => {
      const g = inCommunity('370118002002')[1] as DemoGridRow;
      const gcj = gcoord.transform([g.lng, g.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
      const res = await publicLookup(`lng=${gcj[0]}&lat=${gcj[1]}&coordSystem=GCJ02`);
      expect(res.json().grid.code).toBe(g.code);
    });

    it('answers found:false with the reason for a point outside the district', async () => {
      const res = await publicLookup('lng=121.47&lat=31.23');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ found: false, grid: null, workers: [], station: null });
      expect(res.json().message).toMatch(/^该位置不在本平台服务的区域内/);
    });

    it('finds the grid of an address through its landmark, and prefers the named community', async () => {
      const g = inCommunity('370118001001').find((x) => x.landmarks.includes('泺源小区')) as DemoGridRow;
      const res = await publicLookup(`address=${encodeURIComponent('济南市明湖区泉城街道趵突泉社区泺源小区3号楼2单元')}`);
      expect(res.json()).toMatchObject({ found: true, grid: { code: g.code }, matched: { kind: 'landmark', text: '泺源小区' } });

      // A road shared by several grids: the one in the community the address names.
      const road = inCommunity('370118002001')[0]?.landmarks[1] as string;
      const named = await publicLookup(`address=${encodeURIComponent(`百花洲社区${road}`)}`);
      expect(named.json().grid.communityName).toBe('百花洲社区');
    });

    it('matches an address written slightly differently by trigram similarity', async () => {
      const market = grids.find((x) => x.name === '芙蓉街商圈专属网格') as DemoGridRow;
      const res = await publicLookup(`address=${encodeURIComponent('芙蓉街商圈')}`);
      expect(res.json()).toMatchObject({ found: true, grid: { code: market.code, gridType: '03' } });
      expect(res.json().workers[0]).toMatchObject({ duty: 'part_time', phone: null });
    });

    it('asks for more detail when only a community is named, and says so when nothing matches', async () => {
      const vague = await publicLookup(`address=${encodeURIComponent('趵突泉社区')}`);
      expect(vague.json()).toMatchObject({ found: false, grid: null, matched: { kind: 'community', text: '趵突泉社区' } });
      expect(vague.json().message).toContain('请补充');
      const nothing = await publicLookup(`address=${encodeURIComponent('上海市浦东新区世纪大道100号')}`);
      expect(nothing.json()).toMatchObject({ found: false, grid: null, matched: null });
      expect(nothing.json().message).toMatch(/^未能根据地址找到网格/);
    });

    it('needs coordinates or an address', async () => {
      const none = await publicLookup('');
      expect(none.statusCode).toBe(400);
      expect(none.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'query.lng', code: 'required' }] });
      const half = await publicLookup('lng=117.02');
      expect(half.json().error.fields[0].path).toBe('query.lat');
      expect((await publicLookup('address=x')).statusCode).toBe(400);
    });

    it('limits each client address to 60 lookups a minute', async () => {
      const ip = '203.0.113.9';
      for (let k = 0; k < 60; k++) expect((await publicLookup('lng=121.47&lat=31.23', ip)).statusCode).toBe(200);
      const limited = await publicLookup('lng=121.47&lat=31.23', ip);
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Another address is not affected.
      expect((await publicLookup('lng=121.47&lat=31.23', '203.0.113.10')).statusCode).toBe(200);
    });
  });

  describe('consistency with the database and history', () => {
    it('sees a boundary change made in SQL once grid_index_version moves, in every process, and keeps the past', async () => {
      const [a, b] = inCommunity('370118003001') as [DemoGridRow, DemoGridRow];
      const repo = createGridLookupRepository(t.database.db);
      // Two keepers stand for two server processes on the same database.
      const p1 = createGridIndexKeeper(gridIndexSource(repo));
      const p2 = createGridIndexKeeper(gridIndexSource(repo), { checkIntervalMs: 0 });
      expect((await p1.ensureFresh()).lookup(b.lng, b.lat)).toBe(b.id);
      expect((await p2.ensureFresh()).lookup(b.lng, b.lat)).toBe(b.id);
      const before = (await locate(admin, `lng=${b.lng}&lat=${b.lat}`)).json();
      expect(before.grid.id).toBe(b.id);

      // Merge b into a from 2026-06-01: close b and both boundaries, give a the union.
      const db = t.database.db;
      await db.transaction().execute(async (trx) => {
        await sql`update grid_boundary set valid_to = '2026-06-01' where grid_id in (${a.id}, ${b.id}) and valid_to is null`.execute(trx);
        await sql`update grid set valid_to = '2026-06-01' where id = ${b.id}`.execute(trx);
        await sql`
          insert into grid_boundary (grid_id, geom, valid_from)
          select ${a.id}, ST_Multi(ST_Union(geom)), '2026-06-01' from grid_boundary where grid_id in (${a.id}, ${b.id}) and valid_from = '2026-01-01'`.execute(
          trx,
        );
      });
      // Without the version bump the index does not know yet.
      expect((await p2.ensureFresh()).lookup(b.lng, b.lat)).toBe(b.id);
      await sql`update grid_index_version set version = version + 1 where id = 1`.execute(db);
      expect((await p2.ensureFresh()).lookup(b.lng, b.lat)).toBe(a.id);
      // p1 checked less than a second ago; within a second it converges too.
      await new Promise((r) => setTimeout(r, 1100));
      expect((await p1.ensureFresh()).lookup(b.lng, b.lat)).toBe(a.id);
      const after = (await locate(admin, `lng=${b.lng}&lat=${b.lat}`)).json();
      expect(after.grid.id).toBe(a.id);
      expect((await publicLookup(`lng=${b.lng}&lat=${b.lat}`)).json().grid.code).toBe(a.code);

      // History: on 2026-03-01 the point lay in b, on 2026-07-01 in a.
      expect((await locate(admin, `lng=${b.lng}&lat=${b.lat}&on=2026-03-01`)).json()).toMatchObject({ found: true, on: '2026-03-01', grid: { id: b.id } });
      expect((await locate(admin, `lng=${b.lng}&lat=${b.lat}&on=2026-07-01`)).json().grid.id).toBe(a.id);
      const before2026 = (await locate(admin, `lng=${b.lng}&lat=${b.lat}&on=2025-06-01`)).json();
      expect(before2026).toMatchObject({ found: false, grid: null });
      expect(before2026.message).toContain('2025-06-01');
    });

    it('says a point inside the district but in no grid is not yet divided', async () => {
      const [, , c] = inCommunity('370118003002') as DemoGridRow[];
      if (!c) throw new Error('demo grid missing');
      await t.database.db.transaction().execute(async (trx) => {
        await sql`update grid_boundary set valid_to = '2026-06-01' where grid_id = ${c.id} and valid_to is null`.execute(trx);
        await sql`update grid set valid_to = '2026-06-01' where id = ${c.id}`.execute(trx);
        await sql`update grid_index_version set version = version + 1 where id = 1`.execute(trx);
      });
      await new Promise((r) => setTimeout(r, 1100));
      const res = await publicLookup(`lng=${c.lng}&lat=${c.lat}`);
      expect(res.json()).toMatchObject({ found: false, grid: null });
      expect(res.json().message).toMatch(/^该位置在卧牛山社区内，但尚未划入任何网格/);
    });
  });
});
