import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { createCatalogueRepository } from './catalogue.repository.js';
import { registerCatalogueRoutes } from './catalogue.routes.js';
import { type CatalogueService, createCatalogueService } from './catalogue.service.js';
import { createCatalogueClassRepository } from './catalogue-class.repository.js';
import { registerCatalogueClassRoutes } from './catalogue-class.routes.js';
import { createCatalogueClassService } from './catalogue-class.service.js';
import { createRoutingRepository } from './routing.repository.js';
import { createRoutingService } from './routing.service.js';

/**
 * The event catalogue (classes → items, versioned rules) and the routing rules. Returns the catalogue
 * service; the workflow imports `resolveRouting` from ./routing.resolve.js directly.
 */
export function registerCatalogueModule(app: FastifyInstance, deps: { db: Kysely<DB>; audit: Pick<AuditRepository, 'append'> }): CatalogueService {
  const catalogue = createCatalogueService({ repo: createCatalogueRepository(deps.db), audit: deps.audit });
  const routing = createRoutingService({ repo: createRoutingRepository(deps.db), audit: deps.audit });
  registerCatalogueRoutes(app, { catalogue, routing });
  const classRepo = createCatalogueClassRepository(deps.db);
  registerCatalogueClassRoutes(app, { classes: createCatalogueClassService({ repo: classRepo, audit: deps.audit, tree: catalogue.tree }) });
  return catalogue;
}
