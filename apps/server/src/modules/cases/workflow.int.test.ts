import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { testPii } from '../../../test/test-key.js';
import { type CaseFixtures, caseFixtures, newCase } from './cases.fixtures.js';

describe('cases: the whole loop through the HTTP API, each step by the right demo user', () => {
  let t: TestApp;
  let fx: CaseFixtures;
  const s: Record<string, TestSession> = {};

  beforeAll(async () => {
    t = await createTestApp();
    fx = await caseFixtures(t.database.db);
    for (const u of ['sq_baotuquan', 'jd_quancheng', 'bm_chengguan', 'wgy_baotuquan', 'wgy_daminghu', 'jumin', 'jd_liuyin']) s[u] = await t.login(u);
  });
  afterAll(() => t.close());

  const act = (who: string, id: string, body: Record<string, unknown>) =>
    t.as(s[who] as TestSession, { method: 'POST', url: `/api/cases/${id}/actions`, payload: body });
  const detail = (who: string, id: string) => t.as(s[who] as TestSession, { method: 'GET', url: `/api/cases/${id}` });

  it('report → accept → file → dispatch → return → dispatch → claim → feedback → verify_fail → feedback → verify_pass → close → rate', async () => {
    const created = await newCase(fx, { category: '0207' });
    const c = created.case;
    expect(c.case_no).toMatch(/^370118-\d{8}-\d{6}$/);
    expect(c).toMatchObject({ status: 'reported', stage: 'accept', handling_level: 'street', reporter_phone_masked: '139****5678' });
    expect(testPii.decrypt(c.reporter_phone_enc as Uint8Array)).toBe('13912345678');
    const cg = await fx.dept('cg');
    expect(c.lead_org_unit_id).toBe(cg);

    const steps: [string, Record<string, unknown>, string][] = [
      ['sq_baotuquan', { action: 'accept' }, 'accepted'],
      ['sq_baotuquan', { action: 'file' }, 'filed'],
      ['jd_quancheng', { action: 'dispatch' }, 'dispatched'],
      ['bm_chengguan', { action: 'return', note: '不属于本局职责，请核实' }, 'returned'],
      ['jd_quancheng', { action: 'dispatch', leadOrgUnitId: cg, note: '经核实属城管职责' }, 'dispatched'],
      ['bm_chengguan', { action: 'claim' }, 'handling'],
      ['bm_chengguan', { action: 'feedback', note: '已更换灯泡' }, 'feedback'],
      ['wgy_baotuquan', { action: 'verify_fail', note: '现场仍不亮' }, 'handling'],
      ['bm_chengguan', { action: 'feedback', note: '已更换线路' }, 'feedback'],
      ['wgy_baotuquan', { action: 'verify_pass' }, 'verified'],
      ['jd_quancheng', { action: 'close' }, 'closed'],
      ['jumin', { action: 'rate', rating: 'satisfied', note: '修得快' }, 'closed'],
    ];
    let version = 1;
    for (const [who, body, status] of steps) {
      const r = await act(who, c.id, { ...body, version });
      expect(r.statusCode, `${who} ${body.action}: ${r.body}`).toBe(200);
      expect(r.json()).toMatchObject({ status, version: version + 1 });
      version++;
    }
    const d = (await detail('jd_quancheng', c.id)).json();
    expect(d.timeline.map((e: { action: string }) => e.action)).toEqual(['report', ...steps.map(([, b]) => b.action)]);
    expect(d.timeline[4]).toMatchObject({
      action: 'return',
      fromStatus: 'dispatched',
      toStatus: 'returned',
      actorName: '周处置员',
      actorRole: 'dept_handler',
      note: '不属于本局职责，请核实',
    });
    expect(d).toMatchObject({
      status: 'closed',
      stage: null,
      slaLevel: 'none',
      returnCount: 1,
      reworkCount: 1,
      satisfaction: 'satisfied',
      onTimeHandle: true,
      onTimeClose: true,
      leadOrgUnitId: cg,
      reporterPhone: '139****5678',
      allowedActions: ['callback'],
    });
    // The reporter heard of each status change (11 of them) and cannot rate twice.
    const n = await t.database.db
      .selectFrom('notification')
      .select('title')
      .where('case_id', '=', c.id)
      .where('user_id', '=', fx.users.jumin as string)
      .where('kind', '=', 'progress')
      .execute();
    expect(n).toHaveLength(11);
    const again = await act('jumin', c.id, { action: 'rate', rating: 'basic' });
    expect(again.json().error.code).toBe('CASE_ALREADY_RATED');

    // The grid worker's callback (回访) hears dissatisfaction after all: the case goes to 复核 like an in-app rating.
    const cb = await act('wgy_baotuquan', c.id, { action: 'callback', note: '电话回访：灯又不亮了', rating: 'dissatisfied' });
    expect(cb.statusCode, cb.body).toBe(200);
    expect(cb.json()).toMatchObject({ status: 'reviewing' });
    const after = (await detail('jd_quancheng', c.id)).json();
    expect(after).toMatchObject({ status: 'reviewing', satisfaction: 'dissatisfied', callbackDone: true });
    expect(after.timeline.at(-1)).toMatchObject({ toStatus: 'reviewing' });
    expect(after.allowedActions).toEqual(expect.arrayContaining(['dispatch', 'reopen', 'uphold']));
  });

  it('a stale version, a missing note, the wrong actor and the wrong state are refused and nothing is written', async () => {
    const { case: c } = await newCase(fx);
    const stale = await act('sq_baotuquan', c.id, { action: 'accept', version: 7 });
    expect(stale.json().error.code).toBe('CASE_STALE');
    const noNote = await act('sq_baotuquan', c.id, { action: 'reject' });
    expect(noNote.json().error.code).toBe('CASE_NOTE_REQUIRED');
    const wrongActor = await act('wgy_baotuquan', c.id, { action: 'accept' });
    expect(wrongActor.json().error.code).toBe('CASE_ACTION_FORBIDDEN');
    const wrongState = await act('sq_baotuquan', c.id, { action: 'close' });
    expect(wrongState.statusCode).toBe(409);
    expect(wrongState.json().error).toMatchObject({ code: 'CASE_WRONG_STATE', details: { status: 'reported' } });
    expect(wrongState.json().error.message).toContain('待受理');
    const d = (await detail('sq_baotuquan', c.id)).json();
    expect(d.timeline).toHaveLength(1);
    expect(d.version).toBe(1);
  });

  it('scope: a grid worker of another grid and a street center of another street get 404', async () => {
    const { case: c } = await newCase(fx);
    expect((await detail('wgy_daminghu', c.id)).statusCode).toBe(404);
    expect((await detail('jd_liuyin', c.id)).statusCode).toBe(404);
    expect((await act('jd_liuyin', c.id, { action: 'accept' })).statusCode).toBe(404);
    expect((await detail('wgy_baotuquan', c.id)).statusCode).toBe(200);
    const mine = await t.as(s.wgy_daminghu as TestSession, { method: 'GET', url: '/api/cases?view=mine&limit=200' });
    expect(mine.json().items.map((x: { id: string }) => x.id)).not.toContain(c.id);
    const home = await t.as(s.wgy_baotuquan as TestSession, { method: 'GET', url: '/api/cases?view=mine&limit=200' });
    expect(home.json().items.map((x: { id: string }) => x.id)).toContain(c.id);
  });

  it('lists: queue of the dispatcher, inbox of the department, reports of the resident, with filters', async () => {
    const { case: c } = await newCase(fx, { over: { title: '队列测试路灯' } });
    const list = (who: string, q: string) => t.as(s[who] as TestSession, { method: 'GET', url: `/api/cases?${q}` });
    const queue = (await list('sq_baotuquan', 'view=queue&status=reported&q=队列测试')).json();
    expect(queue.items.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect(queue.total).toBe(1);
    expect((await list('jd_liuyin', 'view=queue&q=队列测试')).json().total).toBe(0);
    expect((await list('bm_chengguan', 'view=inbox&q=队列测试')).json().total).toBe(0);
    expect((await list('jumin', 'view=reported&q=队列测试')).json().total).toBe(1);
    expect((await list('jumin', 'view=queue&q=队列测试')).json().total).toBe(0);
    await act('sq_baotuquan', c.id, { action: 'accept' });
    await act('sq_baotuquan', c.id, { action: 'file' });
    const bulk = await t.as(s.sq_baotuquan as TestSession, {
      method: 'POST',
      url: '/api/cases/bulk-actions',
      payload: { ids: [c.id, fx.home.gridId], action: 'dispatch' },
    });
    expect(bulk.json().results).toEqual([
      { id: c.id, ok: true, status: 'dispatched', code: null, message: null },
      { id: fx.home.gridId, ok: false, status: null, code: 'NOT_FOUND', message: '记录不存在' },
    ]);
    const inbox = (await list('bm_chengguan', 'view=inbox&q=队列测试&sla=green')).json();
    expect(inbox.items).toEqual([expect.objectContaining({ id: c.id, status: 'dispatched', stage: 'handle', leadOrgUnitName: '区城市管理局' })]);
  });
  it('缓办 pauses the clock and blocks other actions until resumed; 延期 is requested, approved once and moves the deadline', async () => {
    const { case: c } = await newCase(fx);
    for (const a of ['accept', 'file', 'dispatch']) expect((await act('sq_baotuquan', c.id, { action: a })).statusCode).toBe(200);
    const suspended = await act('sq_baotuquan', c.id, { action: 'suspend', note: '等待业主提供材料', reviewDate: '2026-12-31' });
    expect(suspended.json()).toMatchObject({ suspended: true, slaLevel: 'paused', stageDueAt: null });
    expect((await act('bm_chengguan', c.id, { action: 'claim' })).json().error.code).toBe('CASE_SUSPENDED');
    expect((await act('bm_chengguan', c.id, { action: 'note', note: '已联系业主' })).statusCode).toBe(200);
    const resumed = await act('sq_baotuquan', c.id, { action: 'resume' });
    expect(resumed.json()).toMatchObject({ suspended: false, slaLevel: 'green' });
    const pauses = await t.database.db.selectFrom('event_case_pause').selectAll().where('case_id', '=', c.id).execute();
    expect(pauses).toEqual([expect.objectContaining({ kind: 'suspend', reason: '等待业主提供材料', to_at: expect.any(Date) })]);
    expect((await act('sq_baotuquan', c.id, { action: 'resume' })).json().error.code).toBe('CASE_WRONG_STATE');

    const before = (await detail('bm_chengguan', c.id)).json();
    expect(before.allowedActions).toContain('extension_request');
    expect((await act('sq_baotuquan', c.id, { action: 'extension_approve' })).json().error.code).toBe('CASE_EXTENSION_NONE');
    const asked = await act('bm_chengguan', c.id, { action: 'extension_request', note: '需协调供电公司', extension: { amount: 2, unit: 'working_days' } });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json().allowedActions).not.toContain('extension_request');
    expect(
      (await act('bm_chengguan', c.id, { action: 'extension_request', note: '再申请', extension: { amount: 1, unit: 'working_days' } })).json().error.code,
    ).toBe('CASE_EXTENSION_PENDING');
    const approved = await act('sq_baotuquan', c.id, { action: 'extension_approve' });
    expect(approved.json()).toMatchObject({ extensionCount: 1 });
    expect(Date.parse(approved.json().stageDueAt)).toBeGreaterThan(Date.parse(before.stageDueAt));
    expect(approved.json().handleDueAt).toBe(approved.json().stageDueAt);
  });

  it('并案: the later report is merged into the earlier one; its reporter follows and rates the parent', async () => {
    const parent = (await newCase(fx, { reporter: 'wgy_baotuquan', reportedAt: new Date(Date.now() - 3_600_000) })).case;
    const child = (await newCase(fx, { reporter: 'jumin' })).case;
    expect((await act('sq_baotuquan', child.id, { action: 'merge', parentCaseId: child.id })).json().error.code).toBe('CASE_MERGE_INVALID');
    const merged = await act('sq_baotuquan', child.id, { action: 'merge', parentCaseId: parent.id });
    expect(merged.json()).toMatchObject({ status: 'merged', parentCaseId: parent.id, firstReport: false });
    const p = (await detail('jumin', parent.id)).json();
    expect(p).toMatchObject({ firstReport: true, children: [expect.objectContaining({ id: child.id })] });
    expect(p.timeline.at(-1)).toMatchObject({ action: 'merge', data: { childCaseId: child.id } });
    expect(
      (await t.as(s.jumin as TestSession, { method: 'GET', url: '/api/cases?view=reported&limit=200' })).json().items.map((x: { id: string }) => x.id),
    ).toContain(parent.id);
    // Put the parent at 结案 and let the child's reporter rate it: dissatisfied starts 复核.
    await t.database.db.updateTable('event_case').set({ status: 'closed', stage: null, closed_at: new Date() }).where('id', '=', parent.id).execute();
    const rated = await act('jumin', parent.id, { action: 'rate', rating: 'dissatisfied', note: '灯还是不亮' });
    expect(rated.json()).toMatchObject({ status: 'reviewing', satisfaction: 'dissatisfied', stage: 'dispatch' });
    expect(
      rated
        .json()
        .timeline.slice(-2)
        .map((e: { action: string; toStatus: string }) => [e.action, e.toStatus]),
    ).toEqual([
      ['rate', 'closed'],
      ['review', 'reviewing'],
    ]);
    const reopened = await act('sq_baotuquan', parent.id, { action: 'reopen', note: '重新派遣处置' });
    expect(reopened.json()).toMatchObject({ status: 'filed', closedAt: null });
  });

  it('自行处置 only where the catalogue allows it; escalate moves the case up, delegate back down', async () => {
    const lamp = (await newCase(fx, { category: '0207', reporter: 'wgy_baotuquan' })).case;
    expect((await detail('wgy_baotuquan', lamp.id)).json().allowedActions).not.toContain('self_dispose');
    expect((await act('wgy_baotuquan', lamp.id, { action: 'self_dispose', note: '已处理' })).json().error.code).toBe('CASE_ACTION_FORBIDDEN');
    const litter = (await newCase(fx, { category: '0301', reporter: 'wgy_baotuquan' })).case;
    const done = await act('wgy_baotuquan', litter.id, { action: 'self_dispose', note: '已现场清理' });
    expect(done.json()).toMatchObject({ status: 'closed', selfDisposed: true, onTimeClose: true });

    const up = await act('sq_baotuquan', lamp.id, { action: 'escalate', note: '需街道协调' });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ status: 'filed', regionName: '泉城街道', allowedActions: [] });
    expect((await detail('sq_baotuquan', lamp.id)).statusCode).toBe(404);
    const street = (await t.as(s.jd_quancheng as TestSession, { method: 'GET', url: '/api/cases?view=queue&status=filed&limit=200' })).json();
    expect(street.items.map((x: { id: string }) => x.id)).toContain(lamp.id);
    expect((await act('jd_quancheng', lamp.id, { action: 'delegate', note: '交社区办理' })).json().error.code).toBe('CASE_ACTION_INVALID');
    const down = await act('jd_quancheng', lamp.id, { action: 'delegate', note: '交社区办理', regionId: fx.home.communityId });
    expect(down.json()).toMatchObject({ status: 'filed', regionId: fx.home.communityId });
  });

  it('督办 and 催办 notify the lead department and the grid staff', async () => {
    const { case: c } = await newCase(fx);
    for (const a of ['accept', 'file', 'dispatch']) await act('sq_baotuquan', c.id, { action: a });
    const sup = await act('jd_quancheng', c.id, { action: 'supervise', supervision: 'yellow', note: '限期处置' });
    expect(sup.json()).toMatchObject({ supervision: 'yellow' });
    expect((await act('jd_quancheng', c.id, { action: 'supervise' })).json().error.code).toBe('CASE_ACTION_INVALID');
    await act('jd_quancheng', c.id, { action: 'urge' });
    const n = await t.database.db
      .selectFrom('notification')
      .select(['kind', 'org_unit_id', 'user_id'])
      .where('case_id', '=', c.id)
      .where('kind', 'in', ['supervise', 'urge'])
      .execute();
    expect(
      n
        .filter((x) => x.org_unit_id === c.lead_org_unit_id)
        .map((x) => x.kind)
        .sort(),
    ).toEqual(['supervise', 'urge']);
    expect(n.some((x) => x.user_id === fx.users.wgy_baotuquan && x.kind === 'urge')).toBe(true);
  });
});
