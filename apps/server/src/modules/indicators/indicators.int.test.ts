import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionByCode } from '../../../test/factories.js';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { insertCase, slaCategory } from '../sla/sla.fixtures.js';

const cst = (s: string) => new Date(`${s}+08:00`);
const h = (at: Date, hours: number) => new Date(at.getTime() + hours * 3_600_000);

/**
 * Indicators over cases inserted directly with their flags set (not through the workflow), each expected figure
 * worked out by hand from the table below. Period: March 2026 (report dates in CST).
 *
 *  case  street/community/grid   status     acc fil dsp(lead) hnd  OTH OTC  other
 *  c1    泉城/趵突泉/G1           closed     ✓   ✓   ✓ cg      +4h  ✓   ✓    满意
 *  c2    泉城/趵突泉/G1           closed     ✓   ✓   ✓ cg      +10h ✗   ✗    返工1, 不满意
 *  c3    泉城/趵突泉/G1           handling   ✓   ✓   ✓ cg      –              延期1
 *  c4    泉城/趵突泉/G1           filed      ✓   ✓   –         –              缓办 (suspended)
 *  c5    泉城/趵突泉/G1           closed     –   –   –         –        ✓    自行处置, 基本满意
 *  c6    泉城/趵突泉/G1           cancelled  ✓   ✓   –
 *  c7    泉城/趵突泉/G1           reported
 *  c8    泉城/趵突泉/G1           rejected
 *  c9    泉城/芙蓉巷/G2           closed     ✓   ✓   ✓ zj      +2h  ✓   ✓    满意
 *  c10   泉城/芙蓉巷/G2           feedback   ✓   ✓   ✓ zj      +3h  ✓
 *  c11   柳荫/大明湖/G3           closed     ✓   ✓   ✓ cg      +6h  ✓   ✓    满意
 *  c12   泉城/趵突泉/G1           reported   (reported 2026-03-01 00:00 CST: first instant of the period)
 *  c13   柳荫/大明湖/G3           reported   (reported 2026-03-31 23:59:59 CST: last second of the period)
 *  c16   泉城 (street, no grid)   reported
 *  out   2026-02-28 23:59 CST and 2026-04-01 00:00 CST (outside the period), 泉城/趵突泉/G1
 */
describe('indicators: counts, rates with configurable denominators, grouping and scope', () => {
  let t: TestApp;
  let district: TestSession;
  let g: { G1: string; G2: string; G3: string };
  let r: Record<'district' | 'quancheng' | 'liuyin' | 'btq' | 'frx' | 'dmh', { id: string; path: string }>;
  let dept: { cg: string; zj: string };

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    district = await t.login('qu_zhongxin');
    r = {
      district: await regionByCode(db, '370118'),
      quancheng: await regionByCode(db, '370118001000'),
      liuyin: await regionByCode(db, '370118002000'),
      btq: await regionByCode(db, '370118001001'),
      frx: await regionByCode(db, '370118001002'),
      dmh: await regionByCode(db, '370118002002'),
    };
    const grid = async (communityId: string) =>
      (
        await db
          .selectFrom('grid')
          .select('id')
          .where('community_id', '=', communityId)
          .where('level', '=', 'grid')
          .where('valid_to', 'is', null)
          .orderBy('seq')
          .executeTakeFirstOrThrow()
      ).id;
    g = { G1: await grid(r.btq.id), G2: await grid(r.frx.id), G3: await grid(r.dmh.id) };
    const unit = async (code: string) => (await db.selectFrom('org_unit').select('id').where('dept_code', '=', code).executeTakeFirstOrThrow()).id;
    dept = { cg: await unit('cg'), zj: await unit('zj') };
    const category = await slaCategory(db, {
      accept: { amount: 2, unit: 'working_hours' },
      dispatch: { amount: 2, unit: 'working_hours' },
      handle: { amount: 8, unit: 'working_hours' },
      verify: { amount: 1, unit: 'working_days' },
    });
    const day = cst('2026-03-10T09:00:00');
    const done = (lead: string, hours: number) => ({
      accepted_at: day,
      filed_at: day,
      dispatched_at: h(day, 1),
      handled_at: h(day, 1 + hours),
      lead_org_unit_id: lead,
    });
    const at = (region: { id: string; path: string }, gridId: string | null, status: string, more: Record<string, unknown> = {}, reportedAt = day) =>
      insertCase(db, { category, region, gridId, status, reportedAt, leadOrgUnitId: (more.lead_org_unit_id as string) ?? null, more });
    await at(r.btq, g.G1, 'closed', { ...done(dept.cg, 4), closed_at: h(day, 6), on_time_handle: true, on_time_close: true, satisfaction: 'satisfied' });
    await at(r.btq, g.G1, 'closed', {
      ...done(dept.cg, 10),
      closed_at: h(day, 12),
      on_time_handle: false,
      on_time_close: false,
      rework_count: 1,
      satisfaction: 'dissatisfied',
    });
    await at(r.btq, g.G1, 'handling', { accepted_at: day, filed_at: day, dispatched_at: h(day, 1), lead_org_unit_id: dept.cg, extension_count: 1 });
    await at(r.btq, g.G1, 'filed', { accepted_at: day, filed_at: day, suspend_count: 1, suspended: true });
    await at(r.btq, g.G1, 'closed', { self_disposed: true, closed_at: h(day, 1), on_time_close: true, satisfaction: 'basic' });
    await at(r.btq, g.G1, 'cancelled', { accepted_at: day, filed_at: day });
    await at(r.btq, g.G1, 'reported');
    await at(r.btq, g.G1, 'rejected');
    await at(r.frx, g.G2, 'closed', { ...done(dept.zj, 2), closed_at: h(day, 5), on_time_handle: true, on_time_close: true, satisfaction: 'satisfied' });
    await at(r.frx, g.G2, 'feedback', { ...done(dept.zj, 3), on_time_handle: true });
    await at(r.dmh, g.G3, 'closed', { ...done(dept.cg, 6), closed_at: h(day, 8), on_time_handle: true, on_time_close: true, satisfaction: 'satisfied' });
    await at(r.btq, g.G1, 'reported', {}, cst('2026-03-01T00:00:00'));
    await at(r.dmh, g.G3, 'reported', {}, cst('2026-03-31T23:59:59'));
    await at(r.quancheng, null, 'reported');
    await at(r.btq, g.G1, 'reported', {}, cst('2026-02-28T23:59:00'));
    await at(r.btq, g.G1, 'reported', {}, cst('2026-04-01T00:00:00'));
  });
  afterAll(() => t.close());

  const report = async (s: TestSession, q: string) => {
    const res = await t.as(s, { method: 'GET', url: `/api/indicators?from=2026-03-01&to=2026-03-31&${q}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      denominators: Record<string, string>;
      denominatorSource: { regionId: string | null; regionName: string | null };
      formulas: Record<string, { zh: string }>;
      items: { id: string | null; name: string; counts: Record<string, number>; rates: Record<string, number | null>; avgHandleHours: number | null }[];
      total: { counts: Record<string, number>; rates: Record<string, number | null>; avgHandleHours: number | null };
    };
  };

  const quanchengCounts = {
    reported: 12,
    accepted: 7,
    filed: 7,
    shouldDispatch: 6,
    dispatched: 5,
    shouldHandle: 5,
    handled: 4,
    onTimeHandled: 3,
    shouldClose: 7,
    closed: 4,
    onTimeClosed: 3,
    rework: 1,
    extended: 1,
    suspended: 1,
    selfDisposed: 1,
    rated: 4,
    satisfied: 2,
    basic: 1,
    dissatisfied: 1,
    cancelled: 1,
  };

  it('by street: every count and the default rates, worked out by hand', async () => {
    const rep = await report(district, 'groupBy=street');
    expect(rep.denominators).toEqual({ rework: 'shouldClose', close: 'shouldClose', extension: 'shouldHandle', satisfaction: 'satisfiedAndBasic' });
    expect(rep.denominatorSource).toEqual({ regionId: null, regionName: null });
    expect(rep.formulas.reworkRate?.zh).toBe('返工数 / 应结案数');
    const qc = rep.items.find((i) => i.id === r.quancheng.id);
    expect(qc?.name).toBe('泉城街道');
    expect(qc?.counts).toEqual(quanchengCounts);
    expect(qc?.rates).toEqual({
      handleRate: 0.8, // 4 / 5
      onTimeHandleRate: 0.6, // 3 / 5
      closeRate: 0.5714, // 4 / 7
      onTimeCloseRate: 0.4286, // 3 / 7
      reworkRate: 0.1429, // 1 / 7
      extensionRate: 0.2, // 1 / 5
      satisfactionRate: 0.75, // (2 + 1) / 4
    });
    expect(qc?.avgHandleHours).toBe(4.75); // (4 + 10 + 2 + 3) / 4
    const ly = rep.items.find((i) => i.id === r.liuyin.id);
    expect(ly?.counts).toMatchObject({ reported: 2, accepted: 1, dispatched: 1, handled: 1, closed: 1, onTimeClosed: 1, rated: 1, satisfied: 1, rework: 0 });
    expect(ly?.rates).toMatchObject({ closeRate: 1, reworkRate: 0, satisfactionRate: 1 });
    expect(ly?.avgHandleHours).toBe(6);
    expect(rep.total.counts.reported).toBe(14);
    expect(rep.total.counts.handled).toBe(5);
    expect(rep.total.avgHandleHours).toBe(5); // (4 + 10 + 2 + 3 + 6) / 5
    // Streets without cases in the period are not listed; nothing falls outside a street.
    expect(rep.items.map((i) => i.id).sort()).toEqual([r.quancheng.id, r.liuyin.id].sort());
  });

  it('by community, grid, department and category', async () => {
    const com = await report(district, 'groupBy=community');
    const byId = (rows: typeof com.items, id: string | null) => rows.find((i) => i.id === id);
    expect(byId(com.items, r.btq.id)?.counts.reported).toBe(9);
    expect(byId(com.items, r.frx.id)?.counts.reported).toBe(2);
    expect(byId(com.items, r.dmh.id)?.counts.reported).toBe(2);
    // The no-grid case reported at street level belongs to no community.
    expect(byId(com.items, null)).toMatchObject({ name: '未落到社区', counts: expect.objectContaining({ reported: 1 }) });
    const grid = await report(district, 'groupBy=grid');
    expect(byId(grid.items, g.G1)?.counts).toMatchObject({ reported: 9, closed: 3, suspended: 1, selfDisposed: 1, cancelled: 1 });
    expect(byId(grid.items, g.G2)?.counts).toMatchObject({ reported: 2, handled: 2, closed: 1 });
    expect(byId(grid.items, null)?.counts.reported).toBe(1);
    const dep = await report(district, 'groupBy=department');
    expect(byId(dep.items, dept.cg)).toMatchObject({
      name: '区城市管理局',
      counts: expect.objectContaining({ reported: 4, dispatched: 4, handled: 3, onTimeHandled: 2 }),
    });
    expect(byId(dep.items, dept.cg)?.avgHandleHours).toBe(6.67); // (4 + 10 + 6) / 3
    expect(byId(dep.items, dept.cg)?.rates.handleRate).toBe(0.75); // 3 / 4
    expect(byId(dep.items, dept.zj)?.avgHandleHours).toBe(2.5);
    expect(byId(dep.items, null)).toMatchObject({ name: '未派遣', counts: expect.objectContaining({ reported: 8 }) });
    const cat = await report(district, 'groupBy=category');
    expect(cat.items).toHaveLength(1);
    expect(cat.items[0]?.counts.reported).toBe(14);
    const dist = await report(district, 'groupBy=district');
    expect(dist.items).toEqual([expect.objectContaining({ id: r.district.id, name: '明湖区' })]);
    expect(dist.items[0]?.counts).toEqual(dist.total.counts);
  });

  it('scope: a street its own cases, grid staff their grids, a department its own, a region filter within scope', async () => {
    const liuyin = await t.login('jd_liuyin');
    const ly = await report(liuyin, 'groupBy=street');
    expect(ly.total.counts.reported).toBe(2);
    expect((await t.as(liuyin, { method: 'GET', url: `/api/indicators?from=2026-03-01&to=2026-03-31&regionId=${r.quancheng.id}` })).statusCode).toBe(404);
    const worker = await t.login('wgy_baotuquan');
    const w = await report(worker, 'groupBy=grid');
    expect(w.items.map((i) => i.id)).toEqual([g.G1]);
    expect(w.total.counts.reported).toBe(9);
    const handler = await t.login('bm_chengguan');
    const d = await report(handler, 'groupBy=department');
    expect(d.items.map((i) => i.id)).toEqual([dept.cg]);
    expect(d.total.counts).toMatchObject({ reported: 4, handled: 3 });
    const only = await report(district, `groupBy=community&regionId=${r.frx.id}`);
    expect(only.items.map((i) => i.id)).toEqual([r.frx.id]);
    expect(only.total.counts.reported).toBe(2);
    const bad = await t.as(district, { method: 'GET', url: '/api/indicators?from=2026-03-31&to=2026-03-01' });
    expect(bad.statusCode).toBe(400);
  });

  it('denominators per jurisdiction: 返工率 over 处置数, 结案率 minus 缓办, 延期率 over 处置数, 满意率 only 满意; the answer says which', async () => {
    const admin = await t.login('admin');
    const get = await t.as(district, { method: 'GET', url: `/api/indicators/settings?regionId=${r.district.id}` });
    expect(get.statusCode).toBe(200);
    expect(get.json().source).toEqual({ regionId: null, regionName: null });
    const denominators = { rework: 'handled', close: 'shouldCloseMinusSuspended', extension: 'handled', satisfaction: 'satisfiedOnly' };
    // The deployment-wide default is the administrator's; a district sets its own.
    expect((await t.as(district, { method: 'PUT', url: '/api/indicators/settings', payload: { denominators } })).statusCode).toBe(403);
    const put = await t.as(district, { method: 'PUT', url: '/api/indicators/settings', payload: { regionId: r.district.id, denominators } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ denominators, source: { regionId: r.district.id, regionName: '明湖区' } });
    const rep = await report(district, 'groupBy=street');
    expect(rep.denominators).toEqual(denominators);
    expect(rep.denominatorSource).toEqual({ regionId: r.district.id, regionName: '明湖区' });
    expect(rep.formulas.closeRate?.zh).toBe('结案数 / (应结案数 − 缓办数)');
    const qc = rep.items.find((i) => i.id === r.quancheng.id);
    expect(qc?.counts).toEqual(quanchengCounts);
    expect(qc?.rates).toEqual({
      handleRate: 0.8,
      onTimeHandleRate: 0.6,
      closeRate: 0.6667, // 4 / (7 − 1)
      onTimeCloseRate: 0.5, // 3 / (7 − 1)
      reworkRate: 0.25, // 1 / 4
      extensionRate: 0.25, // 1 / 4
      satisfactionRate: 0.5, // 2 / 4
    });
    // A street under the district inherits it; the administrator may change the default.
    const street = await t.login('jd_quancheng');
    expect((await report(street, 'groupBy=community')).denominatorSource.regionName).toBe('明湖区');
    const def = await t.as(admin, {
      method: 'PUT',
      url: '/api/indicators/settings',
      payload: { denominators: { rework: 'shouldClose', close: 'shouldClose', extension: 'shouldHandle', satisfaction: 'satisfiedOnly' } },
    });
    expect(def.statusCode).toBe(200);
    expect(def.json().source.regionId).toBeNull();
    const audit = await t.database.db.selectFrom('audit_log').select('target_id').where('action', '=', 'indicators.settings_changed').execute();
    expect(audit.map((a) => a.target_id).sort()).toEqual(['indicators.denominators', `indicators.denominators@${r.district.id}`].sort());
  });
});
