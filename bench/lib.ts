import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../apps/server/src/config.js';

export interface Server {
  url: string;
  proc: ChildProcess;
  readyMs: number;
  stop(): Promise<void>;
}

/** Starts the real server process and measures the time from spawn to a 200 from /api/health. */
export async function startServer(env: Record<string, string>, port: number): Promise<Server> {
  const t0 = performance.now();
  // BENCH_SERVER_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server under load.
  const flags = (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...flags, '--import', 'tsx', path.join(repoRoot, 'apps/server/src/main.ts')], {
    cwd: path.join(repoRoot, 'apps/server'),
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (d) => {
    stderr += d;
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const readyMs = performance.now() - t0;
  return {
    url,
    proc,
    readyMs,
    stop: () =>
      new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Throughput of each successive tenth of the run: shows decay over time. */
  windows: number[];
}

/** `clients` concurrent loops calling `fn` for `seconds`; latency in ms. */
export async function load(clients: number, seconds: number, fn: (i: number) => Promise<boolean>): Promise<LoadResult> {
  const lat: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  const buckets = new Array(10).fill(0) as number[];
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      while (performance.now() < end) {
        const t = performance.now();
        const ok = await fn(i).catch(() => false);
        const now = performance.now();
        lat.push(now - t);
        if (!ok) errors++;
        const b = Math.min(9, Math.floor(((now - start) / (seconds * 1000)) * 10));
        buckets[b] = (buckets[b] ?? 0) + 1;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] ?? 0;
  return {
    requests: lat.length,
    errors,
    seconds: elapsed,
    perSecond: lat.length / elapsed,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    windows: buckets.map((n) => Math.round(n / (seconds / 10))),
  };
}

export const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
