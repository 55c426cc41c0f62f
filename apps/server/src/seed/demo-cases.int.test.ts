import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { testPii } from '../../test/test-key.js';
import { seedDemoCases } from './demo-cases.js';

/**
 * The demo's cases are made by the real intake record and workflow service: every case ends in the state its
 * plan names, with a timeline that starts with 上报 and numbers its steps without gaps.
 */
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  await t?.cleanup();
});

describe('demo cases', () => {
  it('seeds about seventy cases in every state through the workflow', async () => {
    const { cases } = await seedDemoCases(t.database.db, testPii);
    expect(cases).toBe(70);
    const db = t.database.db;
    const byStatus = Object.fromEntries(
      (
        await db
          .selectFrom('event_case')
          .select(['status', db.fn.countAll<number>().as('n')])
          .groupBy('status')
          .execute()
      ).map((r) => [r.status, Number(r.n)]),
    );
    // Closed: 18 closed + 4 reworked + 5 closed on the spot; 复核 2 after a dissatisfied rating.
    expect(byStatus).toEqual({
      reported: 6,
      accepted: 3,
      filed: 4 + 2,
      dispatched: 5,
      handling: 6 + 2,
      returned: 2,
      feedback: 4,
      verified: 3,
      closed: 18 + 4 + 5,
      reviewing: 2,
      rejected: 2,
      cancelled: 2,
    });
    const reworked = await db.selectFrom('event_case').select('id').where('rework_count', '>', 0).execute();
    expect(reworked).toHaveLength(4);
    expect(await db.selectFrom('event_case').select('id').where('suspended', '=', true).execute()).toHaveLength(2);
    expect(await db.selectFrom('event_case').select('id').where('self_disposed', '=', true).execute()).toHaveLength(5);
    // Every timeline starts with the report and has no gap in its numbering.
    const timelines = await db
      .selectFrom('event_case_action')
      .select(['case_id', db.fn.min('seq').as('first'), db.fn.max('seq').as('last'), db.fn.countAll<number>().as('n')])
      .groupBy('case_id')
      .execute();
    expect(timelines).toHaveLength(70);
    for (const r of timelines) {
      expect(Number(r.first)).toBe(1);
      expect(Number(r.n)).toBe(Number(r.last));
    }
    const firsts = await db.selectFrom('event_case_action').select('action').where('seq', '=', 1).distinct().execute();
    expect(firsts.map((r) => r.action)).toEqual(['report']);
    // Every closed case in the demo was rated by its reporter or through the callback.
    const unrated = await db
      .selectFrom('event_case')
      .select('id')
      .where('status', '=', 'closed')
      .where('self_disposed', '=', false)
      .where('satisfaction', 'is', null)
      .execute();
    expect(unrated).toHaveLength(0);
  }, 300_000);
});
