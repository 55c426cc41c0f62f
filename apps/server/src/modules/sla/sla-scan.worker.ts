/**
 * A separate process running the overdue scanner against one PostgreSQL database (used by
 * sla.multiprocess.int.test.ts to prove the scanner is safe with several processes). Its own pool, its own
 * sessions. Env: DATABASE_URL; SLA_TIMES: comma-separated ISO instants, one scan per instant ("now" of that scan);
 * SLA_START_AT: epoch ms at which the first scan starts; SLA_STEP_MS: time between scan starts (both processes
 * run scan k at SLA_START_AT + k × SLA_STEP_MS, so they overlap). Prints one JSON line with its results.
 */
import { sql } from 'kysely';
import { openDatabase } from '../../db/client.js';
import { createAuditRepository } from '../audit/audit.repository.js';
import { createCalendarRepository } from '../calendar/calendar.repository.js';
import { createCalendarService } from '../calendar/calendar.service.js';
import { createSlaScannerFor } from './index.js';

const url = process.env.DATABASE_URL as string;
const times = (process.env.SLA_TIMES ?? '').split(',').map((s) => new Date(s));
const startAt = Number(process.env.SLA_START_AT);
const step = Number(process.env.SLA_STEP_MS ?? 100);

const database = await openDatabase({ engine: 'postgres', url, poolSize: 4 });
const db = database.db;
const calendar = createCalendarService({ repo: createCalendarRepository(db), audit: createAuditRepository(db) });
let current = times[0] as Date;
const scanner = createSlaScannerFor(db, calendar, () => current);
const pids = new Set<number>();
const totals = { checked: 0, yellow: 0, red: 0 };
for (let k = 0; k < times.length; k++) {
  const wait = startAt + k * step - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  current = times[k] as Date;
  const [r, pid] = await Promise.all([scanner.scan(), sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db)]);
  pids.add(Number(pid.rows[0]?.pid));
  totals.checked += r.checked;
  totals.yellow += r.yellow;
  totals.red += r.red;
}
await database.close();
console.log(JSON.stringify({ pid: process.pid, backendPids: [...pids], ...totals }));
