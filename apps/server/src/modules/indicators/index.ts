import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { createIndicatorsRepository } from './indicators.repository.js';
import { registerIndicatorsRoutes } from './indicators.routes.js';
import { createIndicatorsService } from './indicators.service.js';

/** Case indicators (处置率, 按期结案率 … by grid/community/street/district/department/category) and their denominators. */
export function registerIndicatorsModule(app: FastifyInstance, deps: { db: Kysely<DB>; audit: Pick<AuditRepository, 'append'> }) {
  registerIndicatorsRoutes(app, { indicators: createIndicatorsService({ repo: createIndicatorsRepository(deps.db), audit: deps.audit }) });
}
