import type { FastifyBaseLogger } from 'fastify';
import type { TriggersService } from '../modules/places/triggers.service.js';
import type { Job } from './adjustment-effect.job.js';

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
  let current: Promise<void> | null = null;
  let stopped = false;
  const run = (): Promise<void> => {
    if (current) return current;
    if (stopped) return Promise.resolve();
    current = deps.triggers
      .scanAll()
      .then((r) => {
        if (r.detected) deps.log.info({ job: 'adjustment-trigger', ...r }, 'grid adjustment triggers detected');
      })
      .catch((err) => deps.log.error({ err, job: 'adjustment-trigger' }, 'adjustment trigger scan failed'))
      .finally(() => {
        current = null;
      });
    return current;
  };
  const timer = setInterval(() => void run(), deps.intervalMs ?? ADJUSTMENT_TRIGGER_INTERVAL_MS);
  timer.unref();
  void run();
  return {
    run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
