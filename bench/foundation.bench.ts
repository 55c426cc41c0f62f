import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { fmt, load, startServer } from './lib.js';

const DEMO_PASSWORD = 'Gridgov@2026';
const users = ['admin', 'qu_zhongxin', 'jd_quancheng', 'jd_liuyin', 'sq_baotuquan', 'wgz_baotuquan', 'wgy_baotuquan', 'wgy_daminghu', 'bm_chengguan', 'jumin'];

async function login(url: string, username: string) {
  const r = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: username, password: DEMO_PASSWORD }),
  });
  await r.arrayBuffer();
  return r;
}

export interface EngineFigures {
  engine: string;
  readyColdMs: number;
  readyWarmMs: number[];
  login: Awaited<ReturnType<typeof load>>;
  session: Awaited<ReturnType<typeof load>>;
}

/**
 * Foundation figures for one engine: time to a ready server (first start, then warm restarts on the
 * same data), login throughput (argon2id bound) and signed-in request throughput.
 */
export async function benchFoundation(engine: 'pglite' | 'postgres', dataRoot: string, opts: { seconds: number }): Promise<EngineFigures> {
  const dataDir = path.join(dataRoot, engine);
  rmSync(dataDir, { recursive: true, force: true });
  const env: Record<string, string> = { DATA_DIR: dataDir, GRIDGOV_PROFILE: 'demo', LOGIN_MAX_FAILURES: '1000' };
  if (engine === 'postgres') {
    const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS gridgov_bench WITH (FORCE)');
    await admin.query('CREATE DATABASE gridgov_bench');
    await admin.end();
    const u = new URL(base);
    u.pathname = '/gridgov_bench';
    env.DATABASE_URL = u.toString();
  }
  const port = 3900 + (engine === 'postgres' ? 1 : 0);
  const cold = await startServer(env, port);
  await cold.stop();
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = await startServer(env, port);
    warm.push(s.readyMs);
    await s.stop();
  }

  const s = await startServer(env, port);
  try {
    // Warm-up, so the first argon2 and query plans are not in the figures.
    for (const u of users) await login(s.url, u);
    const loginResult = await load(8, opts.seconds, async (i) => (await login(s.url, users[i % users.length] as string)).ok);
    const cookies = await Promise.all(
      users.slice(0, 8).map(async (u) => {
        const r = await login(s.url, u);
        return (r.headers.get('set-cookie') ?? '').split(';')[0] as string;
      }),
    );
    const sessionResult = await load(32, opts.seconds, async (i) => {
      const r = await fetch(`${s.url}/api/auth/session`, { headers: { cookie: cookies[i % cookies.length] as string } });
      await r.arrayBuffer();
      return r.ok;
    });
    return { engine, readyColdMs: cold.readyMs, readyWarmMs: warm, login: loginResult, session: sessionResult };
  } finally {
    await s.stop();
  }
}

export function foundationMarkdown(figs: EngineFigures[]): string {
  const rows = figs.map((f) => {
    const med = [...f.readyWarmMs].sort((a, b) => a - b)[1] ?? 0;
    return `| ${f.engine} | ${fmt(f.readyColdMs)} | ${f.readyWarmMs.map((x) => fmt(x)).join(' / ')} (median ${fmt(med)}) | ${fmt(f.login.perSecond, 1)} (p50 ${fmt(f.login.p50)} ms, p99 ${fmt(f.login.p99)} ms, errors ${f.login.errors}) | ${fmt(f.session.perSecond)} (p50 ${fmt(f.session.p50, 1)} ms, p99 ${fmt(f.session.p99, 1)} ms, errors ${f.session.errors}) |`;
  });
  const windows = figs.map(
    (f) => `- ${f.engine}: logins/s per tenth of the run: ${f.login.windows.join(', ')}; session requests/s per tenth: ${f.session.windows.join(', ')}`,
  );
  return [
    '| engine | first start, empty data (ms) | warm restarts (ms) — goal ≤ 5,000 | logins/s, 8 clients | signed-in GET /api/auth/session per s, 32 clients |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    'Stability over the run (a decaying client or pool would show falling numbers):',
    ...windows,
  ].join('\n');
}
