import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/test-db.js';
import { TEST_ENCRYPTION_KEY } from '../../../test/test-key.js';
import { repoRoot } from '../../config.js';
import { type Database, openDatabase } from '../../db/client.js';
import { pointInGrid } from './intake.fixtures.js';

const REPORTS = 200;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The real server (src/main.ts) as its own process on the test's database copy. */
async function startServer(tdb: TestDatabase, port: number): Promise<ChildProcess> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    GRIDGOV_PROFILE: 'test',
    DATA_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    DATA_DIR: tdb.dataDir,
    LOG_LEVEL: 'error',
    PORT: String(port),
    HOST: '127.0.0.1',
  };
  if (tdb.dbConfig.engine === 'postgres') env.DATABASE_URL = tdb.dbConfig.url;
  else delete env.DATABASE_URL;
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'apps/server/src/main.ts')], {
    cwd: path.join(repoRoot, 'apps/server'),
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (d) => {
    stderr += d;
  });
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}): ${stderr}`);
    if (Date.now() > deadline) throw new Error(`server did not start: ${stderr}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return proc;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const exited = (p: ChildProcess) =>
  new Promise<void>((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve() : p.once('exit', () => resolve())));

describe('a server process killed in the middle of a burst of idempotent reports', () => {
  let tdb: TestDatabase | undefined;
  let proc: ChildProcess | undefined;
  let db: Database | undefined;
  afterAll(async () => {
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      await exited(proc);
    }
    await db?.close().catch(() => {});
    await tdb?.cleanup();
  });

  it('loses and duplicates no case: every retry under a key returns the one case that key made', { timeout: 600_000 }, async () => {
    tdb = await createTestDatabase();
    const point = await pointInGrid(tdb.database.db, '370118001001');
    // The server process owns the database from here (PGlite: one process at a time).
    await tdb.database.close();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    proc = await startServer(tdb, port);

    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'wgy_baotuquan', password: 'Gridgov@2026' }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;

    const run = `kill-${Date.now()}`;
    const keys = Array.from({ length: REPORTS }, (_, i) => `${run}-${String(i).padStart(3, '0')}`);
    const bodyOf = (i: number) => ({ description: `压力测试上报 ${i}：路灯不亮`, location: { lng: point.lng, lat: point.lat } });
    const submit = async (i: number): Promise<{ status: number; id?: string }> => {
      const res = await fetch(`${base}/api/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf, 'idempotency-key': keys[i] as string },
        body: JSON.stringify(bodyOf(i)),
      });
      const json = (await res.json().catch(() => ({}))) as { id?: string };
      return { status: res.status, id: json.id };
    };

    // The burst: every report at once; the process is killed once a fifth of them have been answered.
    const first = new Map<number, string>();
    let answered = 0;
    let killedAt = -1;
    const victim = proc;
    const burst = keys.map((_, i) =>
      submit(i).then(
        (r) => {
          if (r.status === 201 || r.status === 200) first.set(i, r.id as string);
          if (++answered === REPORTS / 5) {
            killedAt = answered;
            victim.kill('SIGKILL');
          }
        },
        () => undefined,
      ),
    );
    await Promise.all(burst);
    await exited(victim);
    expect(killedAt).toBe(REPORTS / 5);
    expect(victim.signalCode).toBe('SIGKILL');
    expect(first.size).toBeGreaterThanOrEqual(REPORTS / 5);
    expect(first.size).toBeLessThan(REPORTS);

    // Restart on the same data and retry every submission (answered or not) under its key until it is answered.
    proc = await startServer(tdb, port);
    const final = new Map<number, string>();
    await Promise.all(
      keys.map(async (_, i) => {
        for (let attempt = 0; attempt < 50; attempt++) {
          const r = await submit(i).catch(() => ({ status: 0, id: undefined }));
          if ((r.status === 200 || r.status === 201) && r.id) {
            final.set(i, r.id);
            // A key answered before the kill returns that same case now (200, not a new one).
            if (first.has(i)) expect([r.status, r.id]).toEqual([200, first.get(i)]);
            return;
          }
          await new Promise((res) => setTimeout(res, 200));
        }
        throw new Error(`report ${i} was never answered`);
      }),
    );
    expect(final.size).toBe(REPORTS);
    expect(new Set(final.values()).size).toBe(REPORTS);

    proc.kill('SIGTERM');
    await exited(proc);
    db = await openDatabase(tdb.dbConfig);
    const rows = await sql<{ idempotency_key: string; id: string }>`
      SELECT idempotency_key, id FROM event_case WHERE idempotency_key LIKE ${`${run}-%`}`.execute(db.db);
    expect(rows.rows).toHaveLength(REPORTS);
    for (const row of rows.rows) expect(final.get(Number(row.idempotency_key.slice(run.length + 1)))).toBe(row.id);
    // Each case has exactly its report entry: no half-written case survived the kill.
    const entries = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM event_case_action a JOIN event_case c ON c.id = a.case_id WHERE c.idempotency_key LIKE ${`${run}-%`}`.execute(db.db);
    expect(Number(entries.rows[0]?.n)).toBe(REPORTS);
  });
});
