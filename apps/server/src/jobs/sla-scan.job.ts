import type { FastifyBaseLogger } from 'fastify';
import type { SlaScanner } from '../modules/sla/sla.service.js';
import { type Job, startPeriodic } from './periodic.js';

/** The overdue scanner every minute (yellow 80 % / red 100 % warnings; safe with several processes: see sla.service.ts). */
export function startSlaScanJob(deps: { scanner: Pick<SlaScanner, 'scan'>; log: Pick<FastifyBaseLogger, 'info' | 'error'>; intervalMs?: number }): Job {
  return startPeriodic({
    name: 'sla-scan',
    intervalMs: deps.intervalMs ?? 60_000,
    log: deps.log,
    task: async () => {
      const r = await deps.scanner.scan();
      if (r.yellow || r.red || r.recomputed) deps.log.info(r, 'sla scan: warnings written');
    },
  });
}
