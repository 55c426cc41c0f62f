import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { openDatabase } from '../../db/client.js';
import { createAuditRepository } from '../audit/audit.repository.js';
import { createTestCommunity, gridAt, polygon, rect, type TestCommunity, X0, X1, XM, Y0, Y1, YM } from './adjustments.fixtures.js';
import { createAdjustmentsRepository } from './adjustments.repository.js';
import { type AdjustmentsService, createAdjustmentsService } from './adjustments.service.js';
import { addDays, todayInChina } from './dates.js';
import { reattributionRegistry } from './reattribution.registry.js';

const URL = '/api/grid-adjustments';

/** Split of the west grid into a north and a south half, both new grids. */
const splitWest = (c: TestCommunity, extra: Record<string, unknown> = {}) => ({
  communityId: c.id,
  kind: 'split',
  reason: '西网格人口增加超过 20%，拆分为南北两个网格',
  sourceGridIds: [c.west.id],
  proposal: [
    { name: '西北网格', gridType: '01', geometry: polygon(rect(X0, YM, XM, Y1)) },
    { name: '西南网格', gridType: '01', geometry: polygon(rect(X0, Y0, XM, YM)) },
  ],
  ...extra,
});

describe('grid adjustments: apply → review → notice → effect', () => {
  let t: TestApp;
  let svc: AdjustmentsService;
  let street: TestSession;
  let district: TestSession;
  let admin: TestSession;
  const today = todayInChina();

  const status = async (id: string) =>
    (await t.database.db.selectFrom('grid_adjustment').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  const post = (s: TestSession, url: string, payload?: unknown) => t.as(s, { method: 'POST', url, payload });
  const auditActions = async (id: string) =>
    (await t.database.db.selectFrom('audit_log').select('action').where('target_id', '=', id).orderBy('id').execute()).map((r) => r.action);

  beforeAll(async () => {
    t = await createTestApp();
    svc = createAdjustmentsService({
      repo: createAdjustmentsRepository(t.database.db),
      audit: createAuditRepository(t.database.db),
      registry: reattributionRegistry,
    });
    street = await t.login('jd_quancheng');
    district = await t.login('qu_zhongxin');
    admin = await t.login('admin');
    // A located record type of the test's own: the registry of houses/persons/cases works the same way.
    await t.database.ownerQuery(`
      CREATE TABLE test_located (id text PRIMARY KEY, grid_id uuid REFERENCES grid(id), geom geometry(Point, 4326), closed boolean NOT NULL DEFAULT false);
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gridgov_app') THEN GRANT SELECT, INSERT, UPDATE ON test_located TO gridgov_app; END IF;
      END $$;`);
    reattributionRegistry.register({
      type: 'test_record',
      label: { zh: '测试记录', en: 'Test record' },
      table: 'test_located',
      idColumn: 'id',
      gridColumn: 'grid_id',
      pointSql: 'r.geom',
      openOnly: 'NOT r.closed',
    });
  });
  afterAll(async () => {
    reattributionRegistry.unregister('test_record');
    await t.close();
  });

  const locate = async (id: string, gridId: string, lng: number, lat: number, closed = false) => {
    await sql`INSERT INTO test_located (id, grid_id, geom, closed) VALUES (${id}, ${gridId}, ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326), ${closed})`.execute(
      t.database.db,
    );
  };
  const gridOf = async (id: string) =>
    (await sql<{ code: string }>`SELECT g.code FROM test_located r JOIN grid g ON g.id = r.grid_id WHERE r.id = ${id}`.execute(t.database.db)).rows[0]?.code;

  it('walks the whole workflow: draft → submit → return with reasons → resubmit → approve with 3 days notice → effect on the date', async () => {
    const c = await createTestCommunity(t.database.db, { code: '370118001090' });
    const station = await t.login(c.stationUser.username);
    // Records: two in the west grid's north half, one in its south half, one closed one in the north,
    // one in the east grid; the east grid is not part of the split.
    await locate('n1', c.west.id, 118.505, 37.508);
    await locate('n2', c.west.id, 118.501, 37.509);
    await locate('s1', c.west.id, 118.505, 37.502);
    await locate('closed1', c.west.id, 118.506, 37.507, true);
    await locate('e1', c.east.id, 118.515, 37.505);

    const created = await post(station, URL, splitWest(c));
    expect(created.statusCode, created.body).toBe(201);
    const adj = created.json();
    expect(adj).toMatchObject({ status: 'draft', kind: 'split', communityName: '试验社区', proposalCount: 2 });
    expect(adj.sourceGrids).toEqual([{ id: c.west.id, code: c.west.code, name: '西网格' }]);
    expect(adj.proposal[0].areaM2).toBeGreaterThan(400_000);
    expect(adj.can).toEqual({ update: true, submit: true, withdraw: true, review: false });

    expect((await post(station, `${URL}/${adj.id}/submit`)).json().status).toBe('submitted');
    const returned = await post(street, `${URL}/${adj.id}/review`, { decision: 'return', note: '请补充人口数据' });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json()).toMatchObject({ status: 'returned', reviewNote: '请补充人口数据', reviewedBy: { displayName: '李调度' } });
    // Returning needs reasons.
    const noReason = await post(street, `${URL}/${adj.id}/review`, { decision: 'return' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields[0].path).toBe('note');

    const reworked = await t.as(station, {
      method: 'PUT',
      url: `${URL}/${adj.id}`,
      payload: { reason: '西网格人口增加 26%（附人口数据），拆分为南北两个网格', sourceGridIds: [c.west.id], proposal: splitWest(c).proposal, noticeDays: 3 },
    });
    expect(reworked.statusCode, reworked.body).toBe(200);
    expect(reworked.json().status).toBe('draft');
    expect((await post(station, `${URL}/${adj.id}/submit`)).json().status).toBe('submitted');

    const approved = await post(street, `${URL}/${adj.id}/review`, { decision: 'approve', note: '同意', noticeDays: 3 });
    expect(approved.statusCode, approved.body).toBe(200);
    const effectiveDate = addDays(today, 3);
    expect(approved.json()).toMatchObject({ status: 'notice', noticeFrom: today, noticeDays: 3, effectiveDate });

    // Before the date nothing happens.
    const early = await svc.applyDue(addDays(today, 2));
    expect(early.applied.map((a) => a.id)).not.toContain(adj.id);
    expect(await status(adj.id)).toBe('notice');
    expect(await gridOf('n1')).toBe(c.west.code);

    const due = await svc.applyDue(effectiveDate);
    expect(due.applied.find((a) => a.id === adj.id)).toMatchObject({ moved: 3, effectiveDate });
    expect(await status(adj.id)).toBe('effective');

    const detail = (await t.as(station, { method: 'GET', url: `${URL}/${adj.id}` })).json();
    const report = detail.report;
    expect(report.retiredGrids).toEqual([{ id: c.west.id, code: c.west.code, name: '西网格' }]);
    expect(report.createdGrids.map((g: { name: string }) => g.name)).toEqual(['西北网格', '西南网格']);
    const [north, south] = report.createdGrids as { id: string; code: string }[];
    // Next free sequence numbers after 001 and 002 in the community: 003, 004 (Shandong template).
    expect(north?.code).toBe(`${c.code.slice(0, 9)}00${c.code.slice(9)}00301`);
    expect(south?.code).toBe(`${c.code.slice(0, 9)}00${c.code.slice(9)}00401`);
    // The registry modules' own types (houses, persons …) are in the report too, with nothing moved here.
    report.records = report.records.filter((r: { type: string }) => r.type === 'test_record');
    expect(report.records).toHaveLength(1);
    expect(report.records[0]).toMatchObject({ type: 'test_record', moved: 3, truncated: false, unplaced: 0 });
    expect(report.records[0].items).toEqual([
      { id: 'n1', fromGridCode: c.west.code, toGridCode: north?.code },
      { id: 'n2', fromGridCode: c.west.code, toGridCode: north?.code },
      { id: 's1', fromGridCode: c.west.code, toGridCode: south?.code },
    ]);
    expect(report.records[0].byGrids).toEqual(
      expect.arrayContaining([
        { fromGridCode: c.west.code, toGridCode: north?.code, count: 2 },
        { fromGridCode: c.west.code, toGridCode: south?.code, count: 1 },
      ]),
    );
    expect(report.totalMoved).toBe(3);

    // The records themselves: moved by location; the east grid's record and the closed record stay.
    expect(await gridOf('n1')).toBe(north?.code);
    expect(await gridOf('s1')).toBe(south?.code);
    expect(await gridOf('e1')).toBe(c.east.code);
    expect(await gridOf('closed1')).toBe(c.west.code);

    // Boundaries versioned: the old grid ends on the effective date, the new ones start then.
    const rows = await t.database.db
      .selectFrom('grid_boundary')
      .select(['grid_id', 'valid_from', 'valid_to', 'adjustment_id'])
      .where('grid_id', 'in', [c.west.id, north?.id as string, south?.id as string])
      .orderBy('valid_from')
      .execute();
    expect(rows).toEqual(
      expect.arrayContaining([
        { grid_id: c.west.id, valid_from: '2026-01-01', valid_to: effectiveDate, adjustment_id: null },
        { grid_id: north?.id, valid_from: effectiveDate, valid_to: null, adjustment_id: adj.id },
        { grid_id: south?.id, valid_from: effectiveDate, valid_to: null, adjustment_id: adj.id },
      ]),
    );
    const west = await t.database.db.selectFrom('grid').select('valid_to').where('id', '=', c.west.id).executeTakeFirstOrThrow();
    expect(west.valid_to).toBe(effectiveDate);
    expect(await gridAt(t.database.db, c.id, 118.505, 37.508, addDays(effectiveDate, -1))).toBe(c.west.code);
    expect(await gridAt(t.database.db, c.id, 118.505, 37.508, effectiveDate)).toBe(north?.code);

    expect(await auditActions(adj.id)).toEqual([
      'grid_adjustment.created',
      'grid_adjustment.submitted',
      'grid_adjustment.returned',
      'grid_adjustment.updated',
      'grid_adjustment.submitted',
      'grid_adjustment.approved',
      'grid_adjustment.effective',
    ]);
    // Applying again changes nothing.
    const again = await svc.applyDue(effectiveDate);
    expect(again.applied.map((a) => a.id)).not.toContain(adj.id);

    const list = await t.as(street, { method: 'GET', url: `${URL}?regionId=${c.id}&status=effective` });
    expect(list.json()).toMatchObject({ total: 1, items: [{ id: adj.id, status: 'effective' }] });
  });

  it('keeps history right at the boundary of the effective date (point-in-time: 2026-11-30 old grid, 2026-12-01 new grid)', async () => {
    const c = await createTestCommunity(t.database.db, { code: '370118001091' });
    const station = await t.login(c.stationUser.username);
    // Put into notice directly with a chosen date (an approval starts the notice today).
    const takeEffectOn = async (body: Record<string, unknown>, date: string) => {
      const res = await post(station, URL, { communityId: c.id, submit: true, ...body });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().id as string;
      await t.database.db
        .updateTable('grid_adjustment')
        .set({ status: 'notice', notice_from: '2026-11-20', effective_date: date })
        .where('id', '=', id)
        .execute();
      expect((await svc.applyDue(date)).applied.map((a) => a.id)).toContain(id);
      return (await t.as(station, { method: 'GET', url: `${URL}/${id}` })).json().report;
    };
    // A split on 2026-12-01: the west grid keeps its southern half, its northern half becomes a new grid.
    const split = await takeEffectOn(
      {
        kind: 'split',
        reason: '西网格北部新建小区入住，拆分',
        sourceGridIds: [c.west.id],
        proposal: [
          { gridId: c.west.id, name: '西网格', gridType: '01', geometry: polygon(rect(X0, Y0, XM, YM)) },
          { name: '西北新网格', gridType: '01', geometry: polygon(rect(X0, YM, XM, Y1)) },
        ],
      },
      '2026-12-01',
    );
    expect(split.reshapedGrids.map((g: { id: string }) => g.id)).toEqual([c.west.id]);
    expect(split.retiredGrids).toEqual([]);
    const north = split.createdGrids[0] as { id: string; code: string };
    const [lng, lat] = [118.505, 37.508];
    expect(await gridAt(t.database.db, c.id, lng, lat, '2026-11-30')).toBe(c.west.code);
    expect(await gridAt(t.database.db, c.id, lng, lat, '2026-12-01')).toBe(north.code);
    expect(await gridAt(t.database.db, c.id, 118.505, 37.502, '2026-12-01')).toBe(c.west.code);

    // A merge on 2027-01-01 of all three into the west grid: every earlier day still answers as it was.
    const merge = await takeEffectOn(
      {
        kind: 'merge',
        reason: '三个网格人口均不足，合并',
        sourceGridIds: [c.west.id, north.id, c.east.id],
        proposal: [{ gridId: c.west.id, name: '试验合并网格', gridType: '01', geometry: polygon(rect(X0, Y0, X1, Y1)) }],
      },
      '2027-01-01',
    );
    expect(merge.retiredGrids.map((g: { id: string }) => g.id).sort()).toEqual([north.id, c.east.id].sort());
    expect(merge.reshapedGrids).toEqual([{ id: c.west.id, code: c.west.code, name: '试验合并网格' }]);
    expect(await gridAt(t.database.db, c.id, lng, lat, '2026-11-30')).toBe(c.west.code);
    expect(await gridAt(t.database.db, c.id, lng, lat, '2026-12-31')).toBe(north.code);
    expect(await gridAt(t.database.db, c.id, lng, lat, '2027-01-01')).toBe(c.west.code);
    expect(await gridAt(t.database.db, c.id, 118.515, 37.505, '2026-12-31')).toBe(c.east.code);
    expect(await gridAt(t.database.db, c.id, 118.515, 37.505, '2027-01-01')).toBe(c.west.code);
    const versions = await t.database.db
      .selectFrom('grid_boundary')
      .select(['valid_from', 'valid_to'])
      .where('grid_id', '=', c.west.id)
      .orderBy('valid_from')
      .execute();
    expect(versions).toEqual([
      { valid_from: '2026-01-01', valid_to: '2026-12-01' },
      { valid_from: '2026-12-01', valid_to: '2027-01-01' },
      { valid_from: '2027-01-01', valid_to: null },
    ]);
    const grids = await t.database.db.selectFrom('grid').select(['id', 'name', 'valid_to']).where('community_id', '=', c.id).orderBy('code').execute();
    expect(grids.map((g) => [g.name, g.valid_to])).toEqual([
      ['试验合并网格', null],
      ['东网格', '2027-01-01'],
      ['西北新网格', '2027-01-01'],
    ]);
  });

  it('refuses every transition that the current state does not allow, with from and to', async () => {
    const c = await createTestCommunity(t.database.db, { code: '370118001092' });
    const station = await t.login(c.stationUser.username);
    const make = async (submit: boolean) => (await post(station, URL, splitWest(c, { submit }))).json().id as string;
    const expectWrong = async (s: TestSession, url: string, payload: unknown, from: string, to: string) => {
      const res = await post(s, url, payload);
      expect(res.statusCode, `${url} from ${from}: ${res.body}`).toBe(409);
      expect(res.json().error.code).toBe('ADJUSTMENT_WRONG_STATE');
      expect(res.json().error.details).toMatchObject({ from, to });
    };
    const approve = { decision: 'approve', noticeDays: 5 };
    const ret = { decision: 'return', note: '理由不足' };

    const draft = await make(false);
    await expectWrong(street, `${URL}/${draft}/review`, approve, 'draft', 'notice');
    await expectWrong(street, `${URL}/${draft}/review`, ret, 'draft', 'returned');

    const submitted = await make(true);
    await expectWrong(station, `${URL}/${submitted}/submit`, undefined, 'submitted', 'submitted');
    const upd = await t.as(station, {
      method: 'PUT',
      url: `${URL}/${submitted}`,
      payload: { reason: '修改', proposal: splitWest(c).proposal, sourceGridIds: [c.west.id] },
    });
    expect(upd.json().error).toMatchObject({ code: 'ADJUSTMENT_WRONG_STATE', details: { from: 'submitted', to: 'draft' } });

    const returned = await make(true);
    await post(street, `${URL}/${returned}/review`, ret);
    await expectWrong(street, `${URL}/${returned}/review`, approve, 'returned', 'notice');

    const notice = await make(true);
    expect((await post(street, `${URL}/${notice}/review`, approve)).json().status).toBe('notice');
    await expectWrong(station, `${URL}/${notice}/submit`, undefined, 'notice', 'submitted');
    await expectWrong(station, `${URL}/${notice}/withdraw`, undefined, 'notice', 'withdrawn');
    await expectWrong(district, `${URL}/${notice}/review`, approve, 'notice', 'notice');
    // A second approval of another application over the same grid clashes with the one under notice.
    const rival = await make(true);
    const clash = await post(street, `${URL}/${rival}/review`, approve);
    expect(clash.json().error).toMatchObject({ code: 'ADJUSTMENT_CONFLICT', details: { adjustmentIds: [notice] } });

    const withdrawn = await make(false);
    expect((await post(station, `${URL}/${withdrawn}/withdraw`)).json().status).toBe('withdrawn');
    await expectWrong(station, `${URL}/${withdrawn}/submit`, undefined, 'withdrawn', 'submitted');
    await expectWrong(station, `${URL}/${withdrawn}/withdraw`, undefined, 'withdrawn', 'withdrawn');
    await expectWrong(street, `${URL}/${withdrawn}/review`, approve, 'withdrawn', 'notice');

    await svc.applyDue(addDays(todayInChina(), 5));
    expect(await status(notice)).toBe('effective');
    await expectWrong(station, `${URL}/${notice}/withdraw`, undefined, 'effective', 'withdrawn');
    await expectWrong(station, `${URL}/${notice}/submit`, undefined, 'effective', 'submitted');
    await expectWrong(street, `${URL}/${notice}/review`, ret, 'effective', 'returned');
    // The rival's source grid is retired now: submitting it again is refused by the checks.
    await post(street, `${URL}/${rival}/review`, ret);
    const stale = await post(station, `${URL}/${rival}/submit`);
    expect(stale.json().error.fields).toEqual([expect.objectContaining({ path: 'sourceGridIds.0', code: 'not_current' })]);
  });

  it('sends an application back when its grids changed during the notice period', async () => {
    const c = await createTestCommunity(t.database.db, { code: '370118001093' });
    const station = await t.login(c.stationUser.username);
    const id = (await post(station, URL, splitWest(c, { submit: true }))).json().id;
    expect((await post(street, `${URL}/${id}/review`, { decision: 'approve', noticeDays: 0 })).json().status).toBe('notice');
    // The west grid is retired by other means before the date.
    await t.database.db.updateTable('grid').set({ valid_to: todayInChina() }).where('id', '=', c.west.id).execute();
    const r = await svc.applyDue(todayInChina());
    expect(r.returned.map((x) => x.id)).toContain(id);
    const row = await t.database.db.selectFrom('grid_adjustment').select(['status', 'review_note']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('returned');
    expect(row.review_note).toContain(c.west.code);
    expect(await auditActions(id)).toContain('grid_adjustment.apply_failed');
    expect(await t.database.db.selectFrom('grid_boundary').select('id').where('adjustment_id', '=', id).execute()).toEqual([]);
  });

  it('checks the proposal: tiling with the area of the difference, overlaps, validity, source grids', async () => {
    const c = await createTestCommunity(t.database.db, { code: '370118001094' });
    const station = await t.login(c.stationUser.username);

    // The south half is missing: refused with the area of the difference.
    const notTiling = await post(station, URL, splitWest(c, { proposal: [splitWest(c).proposal[0], { ...splitWest(c).proposal[0], name: '重复' }] }));
    expect(notTiling.statusCode).toBe(400);
    const partial = await post(station, URL, {
      ...splitWest(c),
      proposal: [
        { name: '西北网格', gridType: '01', geometry: polygon(rect(X0, YM, XM, Y1)) },
        { name: '西中网格', gridType: '01', geometry: polygon(rect(X0, 37.503, XM, YM)) },
      ],
    });
    expect(partial.statusCode).toBe(400);
    expect(partial.json().error.code).toBe('ADJUSTMENT_NOT_TILING');
    const missing = Number(
      (await sql<{ a: number }>`SELECT ST_Area(ST_MakeEnvelope(${X0}, ${Y0}, ${XM}, 37.503, 4326)::geography) AS a`.execute(t.database.db)).rows[0]?.a,
    );
    expect(Math.abs(partial.json().error.details.areaM2 - missing)).toBeLessThan(1);
    expect(partial.json().error.fields[0].message).toContain('m²');

    // The two proposals overlap.
    const overlap = await post(station, URL, {
      ...splitWest(c),
      proposal: [
        { name: '西北网格', gridType: '01', geometry: polygon(rect(X0, 37.504, XM, Y1)) },
        { name: '西南网格', gridType: '01', geometry: polygon(rect(X0, Y0, XM, YM)) },
      ],
    });
    expect(overlap.json().error).toMatchObject({ code: 'ADJUSTMENT_PROPOSAL_INVALID', fields: [{ path: 'proposal.1.geometry', code: 'overlap' }] });
    expect(overlap.json().error.details.overlaps[0].areaM2).toBeGreaterThan(50_000);

    // A self-intersecting (bow-tie) polygon, and an unclosed ring.
    const bowtie = await post(station, URL, {
      ...splitWest(c),
      proposal: [
        {
          name: '蝴蝶',
          gridType: '01',
          geometry: polygon([
            [X0, YM],
            [XM, Y1],
            [XM, YM],
            [X0, Y1],
            [X0, YM],
          ]),
        },
        splitWest(c).proposal[1],
      ],
    });
    expect(bowtie.json().error).toMatchObject({ code: 'ADJUSTMENT_PROPOSAL_INVALID', fields: [{ path: 'proposal.0.geometry', code: 'invalid_geometry' }] });
    expect(bowtie.json().error.fields[0].message).toMatch(/Self-intersection/i);
    const unclosed = await post(station, URL, {
      ...splitWest(c),
      proposal: [
        {
          name: '未闭合',
          gridType: '01',
          geometry: polygon(
            rect(X0, YM, XM, Y1)
              .slice(0, 4)
              .concat([[X0, 37.509]]),
          ),
        },
        splitWest(c).proposal[1],
      ],
    });
    expect(unclosed.json().error.fields[0]).toMatchObject({ path: 'proposal.0.geometry.coordinates.0', code: 'ring_not_closed' });

    // Sources must be current grids of this community; a kept grid must be a source.
    const other = await createTestCommunity(t.database.db, { code: '370118001095', username: 'sq_test_other' });
    const foreign = await post(station, URL, splitWest(c, { sourceGridIds: [other.west.id] }));
    expect(foreign.json().error.fields).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'sourceGridIds.0', code: 'other_community' })]));
    const keptWrong = await post(station, URL, {
      ...splitWest(c),
      proposal: [{ ...splitWest(c).proposal[0], gridId: c.east.id }, splitWest(c).proposal[1]],
    });
    expect(keptWrong.json().error.fields).toEqual([expect.objectContaining({ path: 'proposal.0.gridId', code: 'not_a_source' })]);

    // GCJ-02 input is converted: the same square given in GCJ-02 no longer tiles the WGS84 grid.
    const gcj = await post(station, URL, splitWest(c, { coordSystem: 'GCJ02' }));
    expect(gcj.json().error.code).toBe('ADJUSTMENT_NOT_TILING');
    expect(gcj.json().error.details.areaM2).toBeGreaterThan(1000);
  });

  it('keeps to scope: another community’s station sees nothing, a grid worker may not apply, the applicant may not approve', async () => {
    const c = await createTestCommunity(t.database.db, { code: '370118001096' });
    const station = await t.login(c.stationUser.username);
    const id = (await post(station, URL, splitWest(c, { submit: true }))).json().id;

    const otherStation = await t.login('sq_baotuquan');
    expect((await post(otherStation, URL, splitWest(c))).statusCode).toBe(404);
    expect((await t.as(otherStation, { method: 'GET', url: `${URL}/${id}` })).statusCode).toBe(404);
    expect((await post(otherStation, `${URL}/${id}/withdraw`)).statusCode).toBe(404);
    const otherList = await t.as(otherStation, { method: 'GET', url: URL });
    expect(otherList.json().items.map((a: { id: string }) => a.id)).not.toContain(id);

    const worker = await t.login('wgy_baotuquan');
    expect((await post(worker, URL, splitWest(c))).statusCode).toBe(403);
    expect((await post(worker, `${URL}/${id}/review`, { decision: 'approve' })).statusCode).toBe(403);
    // A station may not review at all.
    expect((await post(station, `${URL}/${id}/review`, { decision: 'approve' })).statusCode).toBe(403);
    // Only system administrators run the effect step by hand.
    expect((await post(street, `${URL}/apply-due`)).statusCode).toBe(403);
    expect((await post(admin, `${URL}/apply-due`)).statusCode).toBe(200);

    // A street center files an application itself: it cannot approve it; the district center can.
    const own = (await post(street, URL, splitWest(c, { submit: true }))).json();
    const self = await post(street, `${URL}/${own.id}/review`, { decision: 'approve' });
    expect(self.statusCode).toBe(403);
    expect(self.json().error.code).toBe('ADJUSTMENT_SELF_REVIEW');
    expect((await t.as(street, { method: 'GET', url: `${URL}/${own.id}` })).json().can.review).toBe(false);
    expect((await post(district, `${URL}/${own.id}/review`, { decision: 'approve' })).json().status).toBe('notice');
  });

  it('applies each due adjustment once when two callers run the effect step at the same time', async () => {
    const c = await createTestCommunity(t.database.db, { code: '370118001097' });
    const station = await t.login(c.stationUser.username);
    const first = (await post(station, URL, splitWest(c, { submit: true }))).json().id;
    const second = (
      await post(station, URL, {
        communityId: c.id,
        kind: 'redraw',
        reason: '东网格边界随道路调整',
        sourceGridIds: [c.east.id],
        proposal: [{ gridId: c.east.id, name: '东网格', gridType: '01', geometry: polygon(rect(XM, Y0, X1, Y1)) }],
        submit: true,
      })
    ).json().id;
    for (const id of [first, second]) expect((await post(street, `${URL}/${id}/review`, { decision: 'approve', noticeDays: 1 })).json().status).toBe('notice');
    await locate('c1', c.west.id, 118.505, 37.508);
    const day = addDays(todayInChina(), 1);

    // Two services on two separate connections (pools) on PostgreSQL; PGlite is one session.
    const other = t.dbConfig.engine === 'postgres' ? await openDatabase({ engine: 'postgres', url: t.dbConfig.url, poolSize: 2 }) : null;
    try {
      const db2 = other?.db ?? t.database.db;
      const svc2 = createAdjustmentsService({ repo: createAdjustmentsRepository(db2), audit: createAuditRepository(db2), registry: reattributionRegistry });
      const [a, b] = await Promise.all([svc.applyDue(day), svc2.applyDue(day)]);
      const applied = [...a.applied, ...b.applied].map((x) => x.id).filter((id) => id === first || id === second);
      expect(applied.sort()).toEqual([first, second].sort());
      expect([...a.failed, ...b.failed]).toEqual([]);
    } finally {
      await other?.close();
    }
    const effects = await t.database.db
      .selectFrom('audit_log')
      .select('target_id')
      .where('action', '=', 'grid_adjustment.effective')
      .where('target_id', 'in', [first, second])
      .execute();
    expect(effects).toHaveLength(2);
    const boundaries = await t.database.db.selectFrom('grid_boundary').select('grid_id').where('adjustment_id', '=', first).execute();
    expect(boundaries).toHaveLength(2);
    expect(await t.database.db.selectFrom('grid').select('id').where('community_id', '=', c.id).execute()).toHaveLength(4);
    expect(await gridOf('c1')).not.toBe(c.west.code);
  });
  it('re-attributes registry records: by their own point, their building’s, house’s or organisation’s; lists those it cannot place; a merge hands them to the heir grid', async () => {
    const db = t.database.db;
    const c = await createTestCommunity(db, { code: '370118001077' });
    const station = await t.login(c.stationUser.username);
    const pt = (lng: number, lat: number) => sql`ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326)`;
    const one = async (q: ReturnType<typeof sql<{ id: string }>>) => ((await q.execute(db)).rows[0] as { id: string }).id;
    const N = [118.505, 37.508] as const;
    const S = [118.505, 37.502] as const;
    const building = await one(sql<{ id: string }>`INSERT INTO building (grid_id, name, address, address_key, geom)
      VALUES (${c.west.id}, '1号楼', '试验社区1号楼', 'reattr-b1', ${pt(...N)}) RETURNING id`);
    const inBuilding = await one(sql<{ id: string }>`INSERT INTO house (building_id, grid_id, address, address_key, use)
      VALUES (${building}, ${c.west.id}, '试验社区1号楼101室', 'reattr-h1', 'residential') RETURNING id`);
    const south = await one(sql<{ id: string }>`INSERT INTO house (grid_id, address, address_key, use, geom)
      VALUES (${c.west.id}, '试验社区南街1号', 'reattr-h2', 'commercial', ${pt(...S)}) RETURNING id`);
    const nowhere = await one(sql<{ id: string }>`INSERT INTO house (grid_id, address, address_key, use)
      VALUES (${c.west.id}, '试验社区无坐标1号', 'reattr-h3', 'rental') RETURNING id`);
    const shop = await one(sql<{ id: string }>`INSERT INTO organisation (kind, name, grid_id, house_id)
      VALUES ('individual', '南街小卖部', ${c.west.id}, ${south}) RETURNING id`);
    const place = await one(sql<{ id: string }>`INSERT INTO key_place (kind, name, warning_level, grid_id, organisation_id)
      VALUES ('fire_hazard', '小卖部仓库', 'yellow', ${c.west.id}, ${shop}) RETURNING id`);
    const light = await one(
      sql<{ id: string }>`INSERT INTO facility (kind, name, grid_id, geom) VALUES ('street_light', '北路灯', ${c.west.id}, ${pt(...N)}) RETURNING id`,
    );
    const walker = await one(sql<{ id: string }>`INSERT INTO person (name, doc_type, population_type, grid_id, geom)
      VALUES ('北住户', 'other', 'registered', ${c.west.id}, ${pt(...N)}) RETURNING id`);

    const takeEffectOn = async (body: Record<string, unknown>, date: string) => {
      const res = await post(station, URL, { communityId: c.id, submit: true, ...body });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().id as string;
      await db.updateTable('grid_adjustment').set({ status: 'notice', notice_from: '2026-11-20', effective_date: date }).where('id', '=', id).execute();
      expect((await svc.applyDue(date)).applied.map((a) => a.id)).toContain(id);
      return (await t.as(station, { method: 'GET', url: `${URL}/${id}` })).json().report;
    };
    const report = await takeEffectOn(splitWest(c), '2026-12-07');
    const [north, southGrid] = report.createdGrids as { id: string; code: string }[];
    type Entry = { type: string; moved: number; items: { id: string; toGridCode: string }[]; unplaced: number; unplacedItems?: string[] };
    const entry = (type: string) => report.records.find((r: Entry) => r.type === type) as Entry;
    const movedTo = (type: string) => Object.fromEntries(entry(type).items.map((i) => [i.id, i.toGridCode]));

    expect(movedTo('building')).toEqual({ [building]: north?.code });
    expect(movedTo('house')).toEqual({ [inBuilding]: north?.code, [south]: southGrid?.code });
    expect(entry('house')).toMatchObject({ moved: 2, unplaced: 1, unplacedItems: [nowhere] });
    expect(movedTo('organisation')).toEqual({ [shop]: southGrid?.code });
    expect(movedTo('key_place')).toEqual({ [place]: southGrid?.code });
    expect(movedTo('facility')).toEqual({ [light]: north?.code });
    expect(movedTo('person')).toEqual({ [walker]: north?.code });
    const gridOfRow = async (table: 'house' | 'organisation' | 'person', id: string) =>
      (await db.selectFrom(table).select('grid_id').where('id', '=', id).executeTakeFirstOrThrow()).grid_id;
    expect(await gridOfRow('house', inBuilding)).toBe(north?.id);
    expect(await gridOfRow('organisation', shop)).toBe(southGrid?.id);
    expect(await gridOfRow('person', walker)).toBe(north?.id);
    expect(await gridOfRow('house', nowhere)).toBe(c.west.id);

    // A house with no point at all in the north grid: when the north grid merges into the east grid, the
    // east grid covers all of its former area and inherits the house.
    const lost = await one(sql<{ id: string }>`INSERT INTO house (grid_id, address, address_key, use)
      VALUES (${north?.id}, '试验社区北无坐标2号', 'reattr-h4', 'vacant') RETURNING id`);
    const merge = await takeEffectOn(
      {
        kind: 'merge',
        reason: '北网格人口不足，并入东网格',
        sourceGridIds: [north?.id, c.east.id],
        proposal: [
          {
            gridId: c.east.id,
            name: '东网格',
            gridType: '01',
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [X0, YM],
                  [XM, YM],
                  [XM, Y0],
                  [X1, Y0],
                  [X1, Y1],
                  [X0, Y1],
                  [X0, YM],
                ],
              ],
            },
          },
        ],
      },
      '2027-01-07',
    );
    const houses = merge.records.find((r: Entry) => r.type === 'house') as Entry;
    expect(houses.items.map((i) => [i.id, i.toGridCode])).toEqual(
      expect.arrayContaining([
        [lost, c.east.code],
        [inBuilding, c.east.code],
      ]),
    );
    expect(houses.unplaced).toBe(0);
    expect(await gridOfRow('house', lost)).toBe(c.east.id);
  });
});
