import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { analyzeStaleTables } from '../db/table-statistics.js';
import { type Job, startPeriodic } from './periodic.js';

/**
 * The embedded engine's stand-in for autovacuum's ANALYZE: every 10 minutes, tables that grew or shrank by more than
 * a tenth get fresh planner statistics (started on PGlite only; PostgreSQL's autovacuum does this itself).
 */
export function startTableStatisticsJob(deps: { db: Kysely<DB>; log: Pick<FastifyBaseLogger, 'info' | 'error'>; intervalMs?: number }): Job {
  return startPeriodic({
    name: 'table-statistics',
    intervalMs: deps.intervalMs ?? 10 * 60_000,
    log: deps.log,
    task: async () => {
      const analyzed = await analyzeStaleTables(deps.db);
      if (analyzed.length) deps.log.info({ analyzed }, 'table statistics refreshed');
    },
  });
}
