import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import { createNotificationsRepository } from './notifications.repository.js';
import { registerNotificationsRoutes } from './notifications.routes.js';
import { createNotificationsService } from './notifications.service.js';
import { createSlaRepository } from './sla.repository.js';
import { createSlaScanner, type SlaScanner } from './sla.service.js';

/** The overdue scanner of one process (the job runs it every minute; tests call `scan` directly). */
export function createSlaScannerFor(
  db: Kysely<DB>,
  calendar: Pick<CalendarService, 'calendarFor'>,
  now?: () => Date,
  log?: (obj: Record<string, unknown>, msg: string) => void,
): SlaScanner {
  return createSlaScanner({ repo: createSlaRepository(db), calendarFor: (regionId) => calendar.calendarFor(regionId), now, log });
}

/** Notifications API (the scanner itself runs as a job: jobs/sla-scan.job.ts). */
export function registerSlaModule(app: FastifyInstance, deps: { db: Kysely<DB> }) {
  registerNotificationsRoutes(app, { notifications: createNotificationsService({ repo: createNotificationsRepository(deps.db) }) });
}
