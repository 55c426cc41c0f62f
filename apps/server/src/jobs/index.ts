import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { createAdjustmentsRepository } from '../modules/adjustments/adjustments.repository.js';
import { createAdjustmentsService } from '../modules/adjustments/adjustments.service.js';
import { reattributionRegistry } from '../modules/adjustments/reattribution.registry.js';
import { createAuditRepository } from '../modules/audit/audit.repository.js';
import { createCalendarRepository } from '../modules/calendar/calendar.repository.js';
import { createCalendarService } from '../modules/calendar/calendar.service.js';
import { createAttachmentsRepository } from '../modules/intake/attachments.repository.js';
import { createUnlinkedCleanup } from '../modules/intake/attachments-cleanup.js';
import { createBlobStores } from '../modules/intake/blob-stores.js';
import { createIntakeRepository } from '../modules/intake/intake.repository.js';
import { createOutboxDelivery, outboxTargets } from '../modules/intake/outbox.service.js';
import { createTriggersRepository } from '../modules/places/triggers.repository.js';
import { createTriggersService } from '../modules/places/triggers.service.js';
import { createSlaScannerFor } from '../modules/sla/index.js';
import { startAdjustmentEffectJob } from './adjustment-effect.job.js';
import { startAdjustmentTriggerJob } from './adjustment-trigger.job.js';
import { startAttachmentCleanupJob } from './attachment-cleanup.job.js';
import type { Job } from './periodic.js';
import { startSlaScanJob } from './sla-scan.job.js';
import { startTableStatisticsJob } from './table-statistics.job.js';
import { startWebhookOutboxJob } from './webhook-outbox.job.js';

/** Background jobs of a running server; `stop` on shutdown before the database closes. */
export function startJobs(deps: { database: Database; log: FastifyBaseLogger; config?: Pick<Config, 'intake' | 'storage' | 'dataDir'> }): {
  stop(): Promise<void>;
} {
  const { db } = deps.database;
  const log = deps.log.child({ component: 'jobs' });
  const adjustments = createAdjustmentsService({
    repo: createAdjustmentsRepository(db),
    audit: createAuditRepository(db),
    registry: reattributionRegistry,
    log: (err, id) => log.error({ err, adjustmentId: id }, 'grid adjustment could not take effect'),
  });
  const triggers = createTriggersService({ repo: createTriggersRepository(db), audit: createAuditRepository(db) });
  const jobs: Job[] = [startAdjustmentEffectJob({ adjustments, log }), startAdjustmentTriggerJob({ triggers, log })];
  // SLA warnings every minute (several processes may scan one database: see modules/sla/sla.service.ts).
  const calendar = createCalendarService({ repo: createCalendarRepository(db), audit: createAuditRepository(db) });
  jobs.push(startSlaScanJob({ scanner: createSlaScannerFor(db, calendar, undefined, (obj, msg) => log.error(obj, msg)), log }));
  // Hotline status push-back (webhook_outbox), when HOTLINE_WEBHOOK_URL is configured.
  const targets = outboxTargets(deps.config?.intake ?? {});
  if (Object.values(targets).some(Boolean)) {
    jobs.push(startWebhookOutboxJob({ delivery: createOutboxDelivery({ repo: createIntakeRepository(db), targets, log }), log }));
  }
  // Uploads no report linked within ATTACHMENT_UNLINKED_MAX_HOURS (rows and files).
  if (deps.config) {
    const cleanup = createUnlinkedCleanup({ repo: createAttachmentsRepository(db), stores: createBlobStores(deps.config), dataDir: deps.config.dataDir });
    jobs.push(startAttachmentCleanupJob({ cleanup, maxAgeMs: deps.config.storage.unlinkedMaxAgeMs, log }));
  }
  // PGlite has no autovacuum: planner statistics are refreshed here (PostgreSQL's autovacuum does its own).
  if (deps.database.engine === 'pglite') jobs.push(startTableStatisticsJob({ db, log }));
  return {
    async stop() {
      await Promise.all(jobs.map((j) => j.stop()));
    },
  };
}
