import type { FastifyBaseLogger } from 'fastify';
import type { AdjustmentsService } from '../modules/adjustments/adjustments.service.js';
import { type Job, startPeriodic } from './periodic.js';

export const ADJUSTMENT_EFFECT_INTERVAL_MS = 10 * 60_000;

/**
 * Takes grid adjustments into effect on their date: at start and every 10 minutes. Safe with
 * several server processes on one PostgreSQL (the service claims rows with SKIP LOCKED).
 */
export function startAdjustmentEffectJob(deps: {
  adjustments: Pick<AdjustmentsService, 'applyDue'>;
  log: Pick<FastifyBaseLogger, 'info' | 'error'>;
  intervalMs?: number;
}): Job {
  return startPeriodic({
    name: 'adjustment-effect',
    intervalMs: deps.intervalMs ?? ADJUSTMENT_EFFECT_INTERVAL_MS,
    log: deps.log,
    task: async () => {
      const r = await deps.adjustments.applyDue();
      if (r.applied.length || r.returned.length || r.failed.length) {
        deps.log.info({ job: 'adjustment-effect', applied: r.applied, returned: r.returned, failed: r.failed }, 'grid adjustments taken into effect');
      }
    },
  });
}
