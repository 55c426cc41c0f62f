import { type ActorKind, type CaseAction, type CaseStatus, caseActions, caseStatuses, caseTransitions } from '@gridgov/contracts/cases';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, regionByCode } from '../../../test/factories.js';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { type CaseFixtures, caseFixtures, newCase } from './cases.fixtures.js';

/**
 * Generated from the transition table: for every action × every status × every actor kind (and two callers out of
 * scope), the API refuses exactly what `caseTransitions` forbids, with the right code, and a refusal writes nothing
 * (same version, same timeline length). Allowed combinations run on a fresh case and reach the table's state.
 *
 * Who is what to the test cases (category 0301 暴露垃圾: lead 区城市管理局, 自行处置 allowed; 联办 区住建局):
 */
const actors: { username: string; kind: ActorKind | 'out' }[] = [
  { username: 'sq_baotuquan', kind: 'dispatcher' },
  { username: 'bm_chengguan', kind: 'handler' },
  { username: 'bm_zhujian_t', kind: 'co_handler' },
  { username: 'wgy_baotuquan', kind: 'grid_staff' },
  { username: 'jumin', kind: 'reporter' },
  { username: 'wgy_daminghu', kind: 'out' },
  { username: 'jd_liuyin', kind: 'out' },
];

/** What the table says: null = allowed, else the refusal code. The order is the service's. */
function expected(status: CaseStatus, action: CaseAction, kind: ActorKind | 'out'): string | null {
  if (kind === 'out') return 'NOT_FOUND';
  const rule = caseTransitions[action];
  if (!rule.from.includes(status)) return 'CASE_WRONG_STATE';
  if (!rule.actors.includes(kind)) return 'CASE_ACTION_FORBIDDEN';
  // Not suspended: resume has nothing to resume.
  if (action === 'resume') return 'CASE_WRONG_STATE';
  return null;
}

/** Codes an allowed action may still answer for its own reasons (the fixture cannot satisfy them). */
const ownRefusal: Partial<Record<CaseAction, string>> = {
  // The case lies in a community: there is no lower region to delegate to.
  delegate: 'CASE_ACTION_INVALID',
  // No extension request is pending on a fresh case.
  extension_approve: 'CASE_EXTENSION_NONE',
  extension_reject: 'CASE_EXTENSION_NONE',
};

describe('transition table, generated: every action × status × actor kind', () => {
  let t: TestApp;
  let fx: CaseFixtures;
  let parentId: string;
  const sessions: Record<string, TestSession> = {};

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    fx = await caseFixtures(db);
    const district = await regionByCode(db, '370118');
    const co = await createUser(db, { username: 'bm_zhujian_t', role: 'dept_handler', scopeRegionIds: [district.id] });
    await db
      .updateTable('app_user')
      .set({ org_unit_id: await fx.dept('zj') })
      .where('id', '=', co.id)
      .execute();
    for (const a of actors) sessions[a.username] = await t.login(a.username);
    parentId = (await newCase(fx, { category: '0301' })).case.id;
  });
  afterAll(() => t.close());

  /** A case of category 0301 put straight into `status` (as the workflow would have left it). */
  async function caseIn(status: CaseStatus): Promise<string> {
    const { case: c } = await newCase(fx, { category: '0301' });
    const zj = await fx.dept('zj');
    const dispatched = !['reported', 'accepted', 'filed', 'rejected', 'cancelled', 'merged'].includes(status);
    await sql`UPDATE event_case SET status = ${status}, co_org_unit_ids = ARRAY[${zj}]::uuid[],
        dispatched_at = ${dispatched ? sql`now()` : null}, closed_at = ${status === 'closed' ? sql`now()` : null},
        stage_started_at = now()
      WHERE id = ${c.id}`.execute(t.database.db);
    return c.id;
  }

  const state = async (id: string) =>
    (
      await sql<{ version: number; status: string; n: number }>`SELECT version, status,
        (SELECT count(*)::int FROM event_case_action a WHERE a.case_id = c.id) AS n FROM event_case c WHERE c.id = ${id}`.execute(t.database.db)
    ).rows[0];

  const body = (action: CaseAction) => ({
    action,
    note: '生成测试说明',
    ...(action === 'extension_request' ? { extension: { amount: 1, unit: 'working_days' } } : {}),
    ...(action === 'supervise' ? { supervision: 'normal' } : {}),
    ...(action === 'rate' || action === 'callback' ? { rating: 'satisfied' } : {}),
    ...(action === 'merge' ? { parentCaseId: parentId } : {}),
  });

  it.each(caseStatuses.map((s) => [s]))('status %s', async (status) => {
    const id = await caseIn(status);
    const before = await state(id);
    let allowed = 0;
    for (const action of caseActions) {
      for (const a of actors) {
        const want = expected(status, action, a.kind);
        if (want === null) continue;
        const r = await t.as(sessions[a.username] as TestSession, { method: 'POST', url: `/api/cases/${id}/actions`, payload: body(action) });
        expect(r.json().error?.code, `${a.username} (${a.kind}) ${action} on ${status}: ${r.body}`).toBe(want);
        expect(await state(id), `${action} by ${a.username} wrote something`).toEqual(before);
      }
    }
    // Each allowed combination on a fresh case in this status.
    for (const action of caseActions) {
      for (const a of actors) {
        if (expected(status, action, a.kind) !== null) continue;
        allowed++;
        const fresh = await caseIn(status);
        const r = await t.as(sessions[a.username] as TestSession, { method: 'POST', url: `/api/cases/${fresh}/actions`, payload: body(action) });
        const own = ownRefusal[action];
        if (own && r.statusCode !== 200) {
          expect(r.json().error.code, `${a.username} ${action} on ${status}`).toBe(own);
          continue;
        }
        expect(r.statusCode, `${a.username} (${a.kind}) ${action} on ${status}: ${r.body}`).toBe(200);
        const to = caseTransitions[action].to;
        expect(r.json().status).toBe(to === 'same' ? status : to);
        expect(r.json().timeline).toHaveLength(2);
      }
    }
    // The table allows something in every status but the terminal ones without follow-up.
    if (['rejected', 'cancelled', 'merged'].includes(status)) expect(allowed).toBe(0);
    else expect(allowed).toBeGreaterThan(0);
  });
});
