import { terminalStatuses } from '@gridgov/contracts/cases';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { PiiCipher } from '../../lib/pii-crypto.js';
import { type LocatedRecordType, reattributionRegistry } from '../adjustments/reattribution.registry.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import { type CreateCaseInput, createCaseRecord } from './case-create.js';
import { createCasesRepository } from './cases.repository.js';
import { registerCasesRoutes } from './cases.routes.js';
import { createCasesService } from './cases.service.js';
import { createWorkflowService } from './workflow.service.js';

/**
 * Open cases follow a grid adjustment to the new grid that holds their point (closed ones keep the grid they were
 * handled in, for history and indicators). Only the grid column moves: an adjustment stays inside one community
 * (grid_adjustment.community_id), so the case's region (the community, or the region it was escalated to) and
 * region_path stay right.
 */
export const caseLocatedType: LocatedRecordType = {
  type: 'case',
  label: { zh: '未办结案件', en: 'Open cases' },
  table: 'event_case',
  idColumn: 'id',
  gridColumn: 'grid_id',
  pointSql: 'r.geom',
  openOnly: `r.status NOT IN (${terminalStatuses.map((s) => `'${s}'`).join(', ')})`,
};

export interface CasesModuleDeps {
  db: Kysely<DB>;
  pii: PiiCipher;
  calendar: Pick<CalendarService, 'calendarFor'>;
  now?: () => Date;
}

/**
 * The event closed loop's workflow: case lists, detail, actions. Returns what the intake, Open311, SLA and
 * archive modules use: `createCase` (createCaseRecord bound to this module's dependencies, inside the caller's
 * transaction), the workflow (act / visibleCase / actionsFor) and the read service (list / detail).
 */
export function registerCasesModule(app: FastifyInstance, deps: CasesModuleDeps) {
  const repo = createCasesRepository(deps.db);
  const workflow = createWorkflowService({ repo, calendar: deps.calendar, now: deps.now });
  const cases = createCasesService({ repo, workflow, calendar: deps.calendar, now: deps.now });
  registerCasesRoutes(app, { cases });
  if (!reattributionRegistry.list().some((t) => t.type === caseLocatedType.type)) reattributionRegistry.register(caseLocatedType);
  return {
    cases,
    workflow,
    createCase: (trx: Kysely<DB>, input: CreateCaseInput) => createCaseRecord(trx, { pii: deps.pii, calendar: deps.calendar, now: deps.now }, input),
  };
}
export type CasesModule = ReturnType<typeof registerCasesModule>;
