import type { FastifyBaseLogger } from 'fastify';
import type { TriggersService } from '../modules/places/triggers.service.js';
import { type Job, startPeriodic } from './periodic.js';

export const ADJUSTMENT_TRIGGER_INTERVAL_MS = 60 * 60_000;

/**
 * Detects adjustment triggers (population change > 20 % against the baseline, new key places) at start
 * and every hour. Safe with several server processes: a scan holds a transaction-scoped advisory lock
 * (a second process skips), and a unique index keeps one open trigger per grid and kind.
 */
export function startAdjustmentTriggerJob(deps: {
  triggers: Pick<TriggersService, 'scanAll'>;
  log: Pick<FastifyBaseLogger, 'info' | 'error'>;
  intervalMs?: number;
}): Job {
  return startPeriodic({
    name: 'adjustment-trigger',
    intervalMs: deps.intervalMs ?? ADJUSTMENT_TRIGGER_INTERVAL_MS,
    log: deps.log,
    task: async () => {
      const r = await deps.triggers.scanAll();
      if (r.detected) deps.log.info({ job: 'adjustment-trigger', ...r }, 'grid adjustment triggers detected');
    },
  });
}
