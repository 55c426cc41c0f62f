import type { FastifyBaseLogger } from 'fastify';
import type { AdjustmentsService } from '../modules/adjustments/adjustments.service.js';

export const ADJUSTMENT_EFFECT_INTERVAL_MS = 10 * 60_000;

export interface Job {
  /** Runs now unless a run is already going (then waits for that one). */
  run(): Promise<void>;
  /** No further runs; resolves when the current one has finished. */
  stop(): Promise<void>;
}

/**
 * Takes grid adjustments into effect on their date: at start and every 10 minutes. Safe with
 * several server processes on one PostgreSQL (the service claims rows with SKIP LOCKED).
 */
export function startAdjustmentEffectJob(deps: {
  adjustments: Pick<AdjustmentsService, 'applyDue'>;
  log: Pick<FastifyBaseLogger, 'info' | 'error'>;
  intervalMs?: number;
}): Job {
  let current: Promise<void> | null = null;
  let stopped = false;
  const run = (): Promise<void> => {
    if (current) return current;
    if (stopped) return Promise.resolve();
    current = deps.adjustments
      .applyDue()
      .then((r) => {
        if (r.applied.length || r.returned.length || r.failed.length) {
          deps.log.info({ job: 'adjustment-effect', applied: r.applied, returned: r.returned, failed: r.failed }, 'grid adjustments taken into effect');
        }
      })
      .catch((err) => deps.log.error({ err, job: 'adjustment-effect' }, 'grid adjustment job failed'))
      .finally(() => {
        current = null;
      });
    return current;
  };
  const timer = setInterval(() => void run(), deps.intervalMs ?? ADJUSTMENT_EFFECT_INTERVAL_MS);
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
