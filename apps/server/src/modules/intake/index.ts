import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../../http/principal.js';
import type { PiiCipher } from '../../lib/pii-crypto.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { createCalendarRepository } from '../calendar/calendar.repository.js';
import { type CalendarService, createCalendarService } from '../calendar/calendar.service.js';
import type { GridIndexKeeper } from '../gridlookup/grid-index.js';
import { createGridLookupRepository } from '../gridlookup/gridlookup.repository.js';
import { todayInChina } from '../grids/today.js';
import { type AttachmentsService, uploadCeiling } from './attachments.service.js';
import { createHotlineAdminRepository } from './hotline-admin.repository.js';
import { registerHotlineAdminRoutes } from './hotline-admin.routes.js';
import { createHotlineAdminService } from './hotline-admin.service.js';
import { createIntakeRepository } from './intake.repository.js';
import { registerIntakeRoutes } from './intake.routes.js';
import { createIntakeService, type IntakeService } from './intake.service.js';

export { enqueueStatusPush } from './hotline-push.js';

export interface IntakeModuleDeps {
  db: Kysely<DB>;
  audit: Pick<AuditRepository, 'append'>;
  index: GridIndexKeeper;
  pii: PiiCipher;
  config: Pick<Config, 'dataDir' | 'intake'>;
  /** The calendar service (one is made when not given). */
  calendar?: CalendarService;
  /** The workflow's action entry point, for 自行处置 right after a report. */
  applyAction?: (p: Principal, caseId: string, body: { action: 'self_dispose'; note: string }, meta: RequestMeta) => Promise<unknown>;
  /** Attachments (made once in app.ts over the configured blob store; Open311 stores media_url through it too). */
  attachments: AttachmentsService;
}

/** Reports, suggestions, attachments, hotline and device intake. Returns the intake service. */
export function registerIntakeModule(app: FastifyInstance, deps: IntakeModuleDeps): IntakeService {
  const repo = createIntakeRepository(deps.db);
  const lookup = createGridLookupRepository(deps.db);
  const calendar = deps.calendar ?? createCalendarService({ repo: createCalendarRepository(deps.db), audit: deps.audit });
  const intake = createIntakeService({
    repo,
    index: deps.index,
    matchAddress: async (address) => (await lookup.matchAddress(address, todayInChina(), 1))[0],
    pii: deps.pii,
    // A new case's first clock: the cached calendar (intake is the hot path; see cachedCalendarFor).
    calendar: { calendarFor: (regionId, trx) => (regionId ? calendar.cachedCalendarFor(regionId, trx) : calendar.calendarFor(undefined, trx)) },
    config: deps.config.intake,
    applyAction: deps.applyAction,
  });
  const maxBytes = deps.config.intake.attachmentMaxBytes;
  registerIntakeRoutes(app, {
    intake,
    attachments: deps.attachments,
    uploadCeiling: uploadCeiling(maxBytes),
  });
  const { hotlineWebhookUrl, hotlineWebhookSecret } = deps.config.intake;
  registerHotlineAdminRoutes(app, {
    admin: createHotlineAdminService({
      repo: createHotlineAdminRepository(deps.db),
      audit: deps.audit,
      hotlineConfigured: Boolean(hotlineWebhookUrl && hotlineWebhookSecret),
    }),
  });
  return intake;
}
