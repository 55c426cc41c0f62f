import type { FastifyBaseLogger } from 'fastify';
import type { UnlinkedCleanup } from '../modules/intake/attachments-cleanup.js';
import { type Job, startPeriodic } from './periodic.js';

/**
 * Unlinked uploads older than ATTACHMENT_UNLINKED_MAX_HOURS are deleted, row and blob, every 10 minutes (safe
 * with several processes: each row is claimed by one DELETE … RETURNING, see attachments-cleanup.ts).
 */
export function startAttachmentCleanupJob(deps: {
  cleanup: Pick<UnlinkedCleanup, 'run'>;
  maxAgeMs: number;
  log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  intervalMs?: number;
}): Job {
  return startPeriodic({
    name: 'attachment-cleanup',
    intervalMs: deps.intervalMs ?? 10 * 60_000,
    log: deps.log,
    task: async () => {
      const r = await deps.cleanup.run(deps.maxAgeMs);
      if (r.orphans.length) deps.log.warn({ orphans: r.orphans }, 'attachment cleanup: rows deleted but their files could not be (delete them by hand)');
      if (r.removed || r.tmpRemoved) deps.log.info({ removed: r.removed, tmpRemoved: r.tmpRemoved }, 'attachment cleanup: unlinked uploads deleted');
    },
  });
}
