import type { FastifyInstance } from 'fastify';
import type { RegistryContext } from '../registry-common/context.js';
import { createCrossCheckService } from './crosscheck.service.js';
import { createExportService } from './export.service.js';
import { createImportService } from './import.service.js';
import { createRegistryIoRepository } from './registry-io.repository.js';
import { registerRegistryIoRoutes } from './registry-io.routes.js';

/** Builds this module's services from the shared registry context and registers its routes. */
export function registerRegistryIoModule(app: FastifyInstance, ctx: RegistryContext): void {
  const { db, audit, scope, index, pii, config } = ctx;
  const repo = createRegistryIoRepository(db, { jsonbAsBytes: config.db.engine === 'postgres' });
  const imports = createImportService({ db, repo, audit, scope, index, pii });
  registerRegistryIoRoutes(app, {
    imports,
    exports: createExportService({ repo, audit, scope, pii }),
    crosscheck: createCrossCheckService({ repo, audit, scope, pii }),
  });
}
