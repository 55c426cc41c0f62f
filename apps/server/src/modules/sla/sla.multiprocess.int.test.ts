import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { regionByCode } from '../../../test/factories.js';
import { createTestDatabase, type TestDatabase } from '../../../test/test-db.js';
import { insertCase, slaCategory } from './sla.fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cst = (s: string) => new Date(`${s}+08:00`);

/** Runs sla-scan.worker.ts in its own Node process; resolves with its JSON result line. */
function worker(env: Record<string, string>): Promise<{ pid: number; backendPids: number[]; checked: number; yellow: number; red: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'sla-scan.worker.ts')], {
      cwd: path.join(here, '../../..'),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`worker exited ${code}: ${err}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) as string));
      } catch (e) {
        reject(new Error(`worker output: ${out} ${err} ${e}`));
      }
    });
  });
}

// PGlite is one embedded session inside one process: several processes cannot share it, so there is nothing to
// race there (the scanner's safety across processes is a PostgreSQL property: row locks + the primary key).
describe.skipIf(inject('dbTemplate').engine !== 'postgres')('SLA scanner: two processes against one PostgreSQL', () => {
  let tdb: TestDatabase;
  const ids: string[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    const db = tdb.database.db;
    const community = await regionByCode(db, '370118001001');
    const category = await slaCategory(db, {
      accept: { amount: 2, unit: 'working_hours' },
      dispatch: { amount: 2, unit: 'working_hours' },
      handle: { amount: 8, unit: 'working_hours' },
      verify: { amount: 1, unit: 'working_days' },
    });
    // 120 cases reported one a minute from Wed 2026-04-08 09:00: each reaches 80 % and then 100 % of its
    // two working hours at a different scan.
    for (let j = 0; j < 120; j++) {
      ids.push(
        await insertCase(db, { category, region: community, status: 'reported', reportedAt: new Date(cst('2026-04-08T09:00:00').getTime() + j * 60_000) }),
      );
    }
  }, 120_000);
  afterAll(() => tdb.cleanup());

  it('writes each warning, notification and timeline entry exactly once while both scan at the same moments', async () => {
    if (tdb.dbConfig.engine !== 'postgres') throw new Error('unreachable');
    // 50 scans 5 (simulated) minutes apart from 10:30 to 14:35 CST, both processes starting each scan together.
    const times = Array.from({ length: 50 }, (_, k) => new Date(cst('2026-04-08T10:30:00').getTime() + k * 5 * 60_000).toISOString());
    const env = { DATABASE_URL: tdb.dbConfig.url, SLA_TIMES: times.join(','), SLA_START_AT: String(Date.now() + 4000), SLA_STEP_MS: '120' };
    const [a, b] = await Promise.all([worker(env), worker(env)]);
    // Two OS processes, each with its own database sessions.
    expect(a.pid).not.toBe(b.pid);
    expect(a.backendPids.filter((p) => b.backendPids.includes(p))).toEqual([]);
    expect(a.checked).toBeGreaterThan(0);
    expect(b.checked).toBeGreaterThan(0);

    const db = tdb.database.db;
    const events = await db.selectFrom('event_case_sla_event').select(['case_id', 'level']).where('case_id', 'in', ids).execute();
    const notes = await db.selectFrom('notification').select(['case_id', 'kind', 'org_unit_id']).where('case_id', 'in', ids).execute();
    const warnings = await db
      .selectFrom('event_case_action')
      .select(['case_id', 'data'])
      .where('case_id', 'in', ids)
      .where('action', '=', 'sla_warning')
      .execute();
    const levels = await db.selectFrom('event_case').select(['id', 'sla_level']).where('id', 'in', ids).execute();

    // Every case ended red (the last one, reported 10:59, is due 14:29: 61 min before noon + 59 after 13:30).
    expect(events).toHaveLength(240);
    expect(levels.every((c) => c.sla_level === 'red')).toBe(true);
    // Each inserted level was inserted by exactly one of the two processes.
    expect(a.yellow + b.yellow).toBe(120);
    expect(a.red + b.red).toBe(120);
    // No notification twice: per case at most one yellow (to the station) and exactly two reds (station + street center).
    const key = (n: { case_id: string | null; kind: string; org_unit_id: string | null }) => `${n.case_id}/${n.kind}/${n.org_unit_id}`;
    expect(new Set(notes.map(key)).size).toBe(notes.length);
    for (const id of ids) {
      const mine = notes.filter((n) => n.case_id === id);
      expect(mine.filter((n) => n.kind === 'sla_red')).toHaveLength(2);
      expect(mine.filter((n) => n.kind === 'sla_yellow').length).toBeLessThanOrEqual(1);
      // One timeline entry per notification round (yellow alone, then red; or red at once).
      const rounds = warnings.filter((w) => w.case_id === id).length;
      expect(rounds).toBe(mine.some((n) => n.kind === 'sla_yellow') ? 2 : 1);
    }
    // Scans 5 minutes apart: most cases were seen yellow before red (so both paths were exercised).
    expect(notes.filter((n) => n.kind === 'sla_yellow').length).toBeGreaterThan(60);
    console.log(`sla two-process scan: A ${JSON.stringify(a)} B ${JSON.stringify(b)}`);
  }, 180_000);
});
