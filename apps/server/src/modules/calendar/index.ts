import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { createCalendarRepository } from './calendar.repository.js';
import { registerCalendarRoutes } from './calendar.routes.js';
import { type CalendarService, createCalendarService } from './calendar.service.js';

/** The working-day calendar: holiday schedules, office hours, deadline preview. Returns the service for the case modules. */
export function registerCalendarModule(app: FastifyInstance, deps: { db: Kysely<DB>; audit: Pick<AuditRepository, 'append'> }): CalendarService {
  const calendar = createCalendarService({ repo: createCalendarRepository(deps.db), audit: deps.audit });
  registerCalendarRoutes(app, { calendar });
  return calendar;
}
