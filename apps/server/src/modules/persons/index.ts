import type { FastifyInstance } from 'fastify';
import { reattributionRegistry } from '../adjustments/reattribution.registry.js';
import type { RegistryContext } from '../registry-common/context.js';
import { createPersonsRepository } from './persons.repository.js';
import { registerPersonsRoutes } from './persons.routes.js';
import { createPersonsService } from './persons.service.js';
import { createSpecialEntriesService } from './special-entries.service.js';

/** Builds this module's services from the shared registry context and registers its routes. */
export function registerPersonsModule(app: FastifyInstance, ctx: RegistryContext): void {
  // The registry is process-wide and tests build many apps per process: register once.
  if (!reattributionRegistry.list().some((t) => t.type === 'person')) {
    reattributionRegistry.register({
      type: 'person',
      label: { zh: '人员', en: 'Persons' },
      table: 'person',
      idColumn: 'id',
      gridColumn: 'grid_id',
      pointSql: 'r.geom',
      // A person registered by house and without a point of their own moves with the house.
      houseColumn: 'house_id',
      openOnly: "r.status = 'active'",
    });
  }
  const repo = createPersonsRepository(ctx.db);
  const persons = createPersonsService(ctx, repo);
  const special = createSpecialEntriesService(ctx, repo, persons);
  registerPersonsRoutes(app, { persons, special });
}
