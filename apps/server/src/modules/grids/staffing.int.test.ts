import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegion, createUser, regionByCode } from '../../../test/factories.js';
import { rect } from '../../../test/grid-factories.js';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { GRID_EXPORT_HEADERS } from './grid-export.service.js';

const X = 118.7;
const Y = 36.6;
const U = 0.001;

describe('grid staffing, size norms and the xlsx export', () => {
  let t: TestApp;
  let quancheng: TestSession;
  let yi: { id: string; path: string };
  let street: { id: string };
  const grid: Record<string, string> = {};
  const user: Record<string, string> = {};

  const putStaff = (s: TestSession, gridId: string, staff: { userId: string; duty: string; since?: string }[]) =>
    t.as(s, { method: 'PUT', url: `/api/grids/${gridId}/staff`, payload: { staff } });
  const userId = async (username: string) =>
    (await t.database.db.selectFrom('app_user').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    const s = await regionByCode(db, '370118001000');
    street = s;
    yi = await createRegion(db, { parent: s, level: 'community', code: '370118001051', name: '测试乙社区' });
    quancheng = await t.login('jd_quancheng');
    expect((await t.as(quancheng, { method: 'PUT', url: `/api/regions/${yi.id}/boundary`, payload: { geometry: rect(X, Y, 3 * U, U) } })).statusCode).toBe(200);
    for (const [key, i, gridType] of [
      ['g1', 0, '01'],
      ['g2', 1, '01'],
      ['rural', 2, '02'],
    ] as const) {
      const res = await t.as(quancheng, {
        method: 'POST',
        url: '/api/grids',
        payload: {
          communityId: yi.id,
          name: `测试乙${key}网格`,
          gridType,
          geometry: rect(X + i * U, Y, U, U),
          station: { address: `乙街 ${i + 1} 号`, phone: `0531-8800 10${i}0` },
        },
      });
      expect(res.statusCode).toBe(201);
      grid[key] = res.json().id;
    }
    for (const [username, role] of [
      ['wgz_yi', 'grid_leader'],
      ['wgy_yi1', 'grid_worker'],
      ['wgy_yi_off', 'grid_worker'],
    ] as const) {
      user[username] = (await createUser(db, { username, role, scopeRegionIds: [yi.id] })).id;
    }
    await db
      .updateTable('app_user')
      .set({ disabled: true })
      .where('id', '=', user.wgy_yi_off as string)
      .execute();
    for (const u of ['jd_quancheng', 'wgy_baotuquan', 'jumin']) user[u] = await userId(u);
    const patch = (id: string, body: object) => t.as(quancheng, { method: 'PATCH', url: `/api/grids/${id}`, payload: body });
    await patch(grid.g1 as string, { baselineHouseholds: 400, baselinePopulation: 1000 });
    await patch(grid.g2 as string, { baselineHouseholds: 200, baselinePopulation: 500 });
    await patch(grid.rural as string, { baselineHouseholds: 50, baselinePopulation: 120 });
  });
  afterAll(() => t.close());

  describe('staff', () => {
    it('sets a grid’s staff; a person may serve several grids; the detail lists them and the flag clears', async () => {
      const before = Number((await sql<{ v: number }>`select version as v from grid_index_version`.execute(t.database.db)).rows[0]?.v);
      const res = await putStaff(quancheng, grid.g1 as string, [
        { userId: user.wgz_yi as string, duty: 'leader' },
        { userId: user.wgy_yi1 as string, duty: 'full_time', since: '2026-01-05' },
        { userId: user.jd_quancheng as string, duty: 'part_time' },
      ]);
      expect(res.statusCode).toBe(200);
      const g = res.json();
      expect(g.staff.map((s: { username: string; duty: string }) => [s.username, s.duty])).toEqual([
        ['wgz_yi', 'leader'],
        ['wgy_yi1', 'full_time'],
        ['jd_quancheng', 'part_time'],
      ]);
      expect(g.staff[1].since).toBe('2026-01-05');
      expect(g.flags.map((f: { code: string }) => f.code)).not.toContain('GRID_UNDERSTAFFED');
      const again = await putStaff(quancheng, grid.g2 as string, [
        { userId: user.wgy_yi1 as string, duty: 'full_time' },
        { userId: user.jd_quancheng as string, duty: 'liaison' },
      ]);
      expect(again.statusCode).toBe(200);
      const after = Number((await sql<{ v: number }>`select version as v from grid_index_version`.execute(t.database.db)).rows[0]?.v);
      expect(after).toBe(before + 2);
      const audit = await t.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'grid.staff_changed')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(audit).toMatchObject({ actor_name: 'jd_quancheng', target_id: grid.g2, region_id: yi.id });
      expect(audit.details).toMatchObject({
        added: [
          { user: 'wgy_yi1', duty: 'full_time' },
          { user: 'jd_quancheng', duty: 'liaison' },
        ],
        removed: [],
      });
    });

    it('keeps the since date of staff who stay, and removes those left out', async () => {
      const res = await putStaff(quancheng, grid.g1 as string, [
        { userId: user.wgz_yi as string, duty: 'leader' },
        { userId: user.wgy_yi1 as string, duty: 'full_time' },
        { userId: user.jd_quancheng as string, duty: 'part_time' },
      ]);
      expect(res.json().staff[1].since).toBe('2026-01-05');
    });

    it('refuses people who are not staff of the grid’s community, disabled or listed twice, changing nothing', async () => {
      const rows = async () =>
        (
          await t.database.db
            .selectFrom('grid_staff')
            .select('user_id')
            .where('grid_id', '=', grid.g1 as string)
            .execute()
        ).length;
      const n = await rows();
      const res = await putStaff(quancheng, grid.g1 as string, [
        { userId: user.wgy_baotuquan as string, duty: 'full_time' },
        { userId: user.jumin as string, duty: 'liaison' },
        { userId: '00000000-0000-4000-8000-000000000000', duty: 'part_time' },
        { userId: user.wgy_yi_off as string, duty: 'part_time' },
        { userId: user.wgz_yi as string, duty: 'leader' },
        { userId: user.wgz_yi as string, duty: 'leader' },
      ]);
      expect(res.statusCode).toBe(400);
      const fields = res.json().error.fields.map((f: { path: string; code: string }) => [f.path, f.code]);
      expect(fields).toEqual(
        expect.arrayContaining([
          ['staff.0.userId', 'not_eligible'],
          ['staff.1.userId', 'not_eligible'],
          ['staff.2.userId', 'not_eligible'],
          ['staff.3.userId', 'disabled'],
          ['staff.5', 'duplicate'],
        ]),
      );
      expect(res.json().error.fields.find((f: { path: string }) => f.path === 'staff.0.userId').message).not.toMatch(/张网格员|wgy_baotuquan/);
      expect(await rows()).toBe(n);
      const bad = await putStaff(quancheng, grid.g1 as string, [{ userId: user.wgz_yi as string, duty: 'captain' }]);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    });

    it('is for the grid’s capture scope only', async () => {
      const liuyin = await putStaff(await t.login('jd_liuyin'), grid.g1 as string, []);
      expect(liuyin.statusCode).toBe(404);
      const worker = await putStaff(await t.login('wgy_baotuquan'), grid.g1 as string, []);
      expect(worker.statusCode).toBe(403);
    });
  });

  describe('staffing report', () => {
    it('gives workers per grid and per 1,000 residents, with community totals counting each person once', async () => {
      const res = await t.as(quancheng, { method: 'GET', url: `/api/grids/staffing?regionId=${yi.id}` });
      expect(res.statusCode).toBe(200);
      const r = res.json();
      expect(r.source).toBe('baseline');
      const g1 = r.grids.find((g: { gridId: string }) => g.gridId === grid.g1);
      expect(g1).toMatchObject({ leaders: 1, workers: 2, liaisons: 0, buildingHeads: 0, households: 400, population: 1000, workersPer1000: 2 });
      expect(g1.areaM2).toBeGreaterThan(9000);
      const g2 = r.grids.find((g: { gridId: string }) => g.gridId === grid.g2);
      expect(g2).toMatchObject({ workers: 1, liaisons: 1, workersPer1000: 2 });
      const rural = r.grids.find((g: { gridId: string }) => g.gridId === grid.rural);
      expect(rural).toMatchObject({ workers: 0, workersPer1000: 0 });
      expect(r.communities).toHaveLength(1);
      expect(r.totals).toMatchObject({ grids: 3, leaders: 1, workers: 2, liaisons: 1, households: 650, population: 1620, workersPer1000: 1.23 });
      expect(r.communities[0]).toMatchObject({ communityId: yi.id, communityName: '测试乙社区', workers: 2 });

      const up = (await t.as(quancheng, { method: 'GET', url: `/api/grids/staffing?regionId=${street.id}` })).json();
      expect(up.communities.map((c: { communityId: string }) => c.communityId)).toContain(yi.id);
      expect(up.totals.grids).toBeGreaterThanOrEqual(3);
      const hidden = await t.as(await t.login('jd_liuyin'), { method: 'GET', url: `/api/grids/staffing?regionId=${yi.id}` });
      expect(hidden.statusCode).toBe(404);
    });
  });

  describe('size norms', () => {
    it('applies GB/T 34300 defaults, then the nearest ancestor’s own norms, and flags grids with the numbers', async () => {
      const d = (await t.as(quancheng, { method: 'GET', url: `/api/size-norms/${yi.id}` })).json();
      expect(d).toEqual({
        regionId: yi.id,
        values: {
          urbanMinHouseholds: 300,
          urbanMaxHouseholds: 500,
          urbanMinPeople: 500,
          urbanMaxPeople: 1500,
          ruralMinHouseholds: 100,
          ruralMaxHouseholds: 300,
          minWorkersPerGrid: 1,
        },
        source: null,
      });
      const rural = (await t.as(quancheng, { method: 'GET', url: `/api/grids/${grid.rural}` })).json();
      expect(rural.flags).toEqual(
        expect.arrayContaining([expect.objectContaining({ code: 'GRID_TOO_FEW_HOUSEHOLDS', value: 50, min: 100, max: 300, source: 'baseline' })]),
      );
      expect(rural.flags.find((f: { code: string }) => f.code === 'GRID_TOO_FEW_HOUSEHOLDS').message).toMatch(/户数 50 低于农村网格下限 100/);

      const values = { ...d.values, urbanMaxHouseholds: 350, ruralMinHouseholds: 40 };
      const put = await t.as(quancheng, { method: 'PUT', url: `/api/size-norms/${street.id}`, payload: values });
      expect(put.statusCode).toBe(200);
      expect(put.json().source).toEqual({ regionId: street.id, name: '泉城街道', own: true });
      const inherited = (await t.as(quancheng, { method: 'GET', url: `/api/size-norms/${yi.id}` })).json();
      expect(inherited.values.urbanMaxHouseholds).toBe(350);
      expect(inherited.source).toEqual({ regionId: street.id, name: '泉城街道', own: false });
      const g1 = (await t.as(quancheng, { method: 'GET', url: `/api/grids/${grid.g1}` })).json();
      expect(g1.flags).toEqual([expect.objectContaining({ code: 'GRID_TOO_MANY_HOUSEHOLDS', value: 400, max: 350 })]);
      const ruralNow = (await t.as(quancheng, { method: 'GET', url: `/api/grids/${grid.rural}` })).json();
      expect(ruralNow.flags.map((f: { code: string }) => f.code)).toEqual(['GRID_UNDERSTAFFED']);
      const flagged = (await t.as(quancheng, { method: 'GET', url: `/api/grids?regionId=${yi.id}&flagged=true` })).json().items;
      // 测试乙g2 has 200 households, below the urban minimum of 300.
      expect(flagged.map((g: { id: string }) => g.id).sort()).toEqual([grid.g1, grid.g2, grid.rural].sort());
      expect(flagged.find((g: { id: string }) => g.id === grid.g2).flags).toEqual([
        expect.objectContaining({ code: 'GRID_TOO_FEW_HOUSEHOLDS', value: 200, min: 300 }),
      ]);

      const own = await t.as(quancheng, { method: 'PUT', url: `/api/size-norms/${yi.id}`, payload: { ...values, urbanMaxHouseholds: 450 } });
      expect(own.json().source).toEqual({ regionId: yi.id, name: '测试乙社区', own: true });
      const g1b = (await t.as(quancheng, { method: 'GET', url: `/api/grids/${grid.g1}` })).json();
      expect(g1b.flags).toEqual([]);
      const audit = await t.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'grid.size_norm_changed')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(audit.details).toMatchObject({ from: { urbanMaxHouseholds: 350 }, fromRegionId: street.id, to: { urbanMaxHouseholds: 450 } });
    });

    it('refuses ranges with the maximum below the minimum, other jurisdictions and roles without grid.manage', async () => {
      const d = (await t.as(quancheng, { method: 'GET', url: `/api/size-norms/${yi.id}` })).json().values;
      const bad = await t.as(quancheng, { method: 'PUT', url: `/api/size-norms/${yi.id}`, payload: { ...d, urbanMinHouseholds: 600 } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields[0].path).toBe('urbanMaxHouseholds');
      const missing = await t.as(quancheng, { method: 'PUT', url: `/api/size-norms/${yi.id}`, payload: { urbanMaxHouseholds: 400 } });
      expect(missing.statusCode).toBe(400);
      const liuyin = await regionByCode(t.database.db, '370118002000');
      expect((await t.as(quancheng, { method: 'PUT', url: `/api/size-norms/${liuyin.id}`, payload: d })).statusCode).toBe(404);
      expect((await t.as(quancheng, { method: 'GET', url: `/api/size-norms/${liuyin.id}` })).statusCode).toBe(404);
      expect((await t.as(await t.login('wgy_baotuquan'), { method: 'PUT', url: `/api/size-norms/${yi.id}`, payload: d })).statusCode).toBe(403);
      const station = await t.as(await t.login('sq_baotuquan'), { method: 'PUT', url: `/api/size-norms/${street.id}`, payload: d });
      expect(station.statusCode).toBe(404);
    });
  });

  describe('xlsx export', () => {
    it('exports a community’s grids with Chinese headers, codes and staff, and audits the export with the row count', async () => {
      const res = await t.as(quancheng, { method: 'GET', url: `/api/grids/export.xlsx?regionId=${yi.id}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(String(res.headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent('网格_测试乙社区_')}`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      if (!ws) throw new Error('no worksheet');
      expect(ws.name).toBe('网格');
      const header = (ws.getRow(1).values as unknown[]).slice(1);
      expect(header).toEqual([...GRID_EXPORT_HEADERS]);
      expect(ws.rowCount).toBe(4);
      const detail = (await t.as(quancheng, { method: 'GET', url: `/api/grids/${grid.g1}` })).json();
      const row = (ws.getRow(2).values as unknown[]).slice(1);
      expect(row.slice(0, 4)).toEqual([detail.code, '测试乙g1网格', '城镇社区网格', '测试乙社区']);
      expect(Math.abs((row[4] as number) - detail.areaM2)).toBeLessThan(0.1);
      expect(row.slice(5, 12)).toEqual([400, 1000, 'wgz_yi', 'wgy_yi1', '李调度', undefined, undefined]);
      expect(row.slice(12)).toEqual(['乙街 1 号', '0531-8800 1000']);
      const row3 = (ws.getRow(3).values as unknown[]).slice(1);
      expect(row3[10]).toBe('李调度');
      const rural = (ws.getRow(4).values as unknown[]).slice(1);
      expect(rural[2]).toBe('农村网格');

      const audit = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'export').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(audit).toMatchObject({ actor_name: 'jd_quancheng', region_id: yi.id });
      expect(audit.details).toMatchObject({ what: 'grids.xlsx', rows: 3 });
    });

    it('exports a street, not a district; only in the view scope', async () => {
      const s = await t.as(quancheng, { method: 'GET', url: `/api/grids/export.xlsx?regionId=${street.id}` });
      expect(s.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(s.rawPayload as unknown as ArrayBuffer);
      expect(wb.worksheets[0]?.rowCount).toBeGreaterThanOrEqual(4);
      const district = await regionByCode(t.database.db, '370118');
      const d = await t.as(await t.login('admin'), { method: 'GET', url: `/api/grids/export.xlsx?regionId=${district.id}` });
      expect(d.statusCode).toBe(400);
      expect(d.json().error.fields[0].path).toBe('query.regionId');
      const hidden = await t.as(await t.login('jd_liuyin'), { method: 'GET', url: `/api/grids/export.xlsx?regionId=${yi.id}` });
      expect(hidden.statusCode).toBe(404);
      const dept = await t.as(await t.login('bm_chengguan'), { method: 'GET', url: `/api/grids/export.xlsx?regionId=${yi.id}` });
      expect(dept.statusCode).toBe(200);
    });
  });
});
