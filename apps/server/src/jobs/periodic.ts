import type { FastifyBaseLogger } from 'fastify';

export interface Job {
  /** Runs now unless a run is already going (then waits for that one). */
  run(): Promise<void>;
  /** No further runs; resolves when the current one has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `task` at start and every `intervalMs`, never twice at once in this process (a run asked for while one
 * is going joins it); a failure is logged and the next tick tries again. Safety across processes is the
 * task's own business (row claims, advisory locks).
 */
export function startPeriodic(opts: { name: string; intervalMs: number; task: () => Promise<void>; log: Pick<FastifyBaseLogger, 'error'> }): Job {
  let current: Promise<void> | null = null;
  let stopped = false;
  const run = (): Promise<void> => {
    if (current) return current;
    if (stopped) return Promise.resolve();
    current = opts
      .task()
      .catch((err) => opts.log.error({ err, job: opts.name }, `${opts.name} job failed`))
      .finally(() => {
        current = null;
      });
    return current;
  };
  const timer = setInterval(() => void run(), opts.intervalMs);
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
