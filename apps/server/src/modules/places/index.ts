import type { FastifyInstance } from 'fastify';
import { type LocatedRecordType, reattributionRegistry } from '../adjustments/reattribution.registry.js';
import type { RegistryContext } from '../registry-common/context.js';
import { createFacilitiesRepository } from './facilities.repository.js';
import { createFacilitiesService } from './facilities.service.js';
import { createFreshnessRepository } from './freshness.repository.js';
import { createFreshnessService } from './freshness.service.js';
import { createHousesRepository } from './houses.repository.js';
import { registerHousesRoutes } from './houses.routes.js';
import { createHousesService } from './houses.service.js';
import { createOrganisationsRepository } from './organisations.repository.js';
import { createOrganisationsService } from './organisations.service.js';
import { registerPlacesRoutes } from './places.routes.js';
import { createTriggersRepository } from './triggers.repository.js';
import { createTriggersService } from './triggers.service.js';

/**
 * The located record types of this module, re-attributed by point when a grid adjustment takes effect.
 * A record without its own point takes the point of what it hangs on (house → building, organisation →
 * house, key place → organisation), so it is not left behind on a retired grid.
 */
export const placesLocatedTypes: LocatedRecordType[] = [
  { type: 'building', label: { zh: '楼栋', en: 'Buildings' }, table: 'building', idColumn: 'id', gridColumn: 'grid_id', pointSql: 'r.geom' },
  {
    type: 'house',
    label: { zh: '房屋', en: 'Houses' },
    table: 'house',
    idColumn: 'id',
    gridColumn: 'grid_id',
    pointSql: 'coalesce(r.geom, (SELECT b.geom FROM building b WHERE b.id = r.building_id))',
  },
  {
    type: 'organisation',
    label: { zh: '单位组织', en: 'Organisations' },
    table: 'organisation',
    idColumn: 'id',
    gridColumn: 'grid_id',
    pointSql: 'r.geom',
    houseColumn: 'house_id',
  },
  { type: 'facility', label: { zh: '部件设施', en: 'Facilities' }, table: 'facility', idColumn: 'id', gridColumn: 'grid_id', pointSql: 'r.geom' },
  {
    type: 'key_place',
    label: { zh: '重点场所', en: 'Key places' },
    table: 'key_place',
    idColumn: 'id',
    gridColumn: 'grid_id',
    pointSql:
      'coalesce(r.geom, (SELECT coalesce(o.geom, oh.geom, ob.geom) FROM organisation o LEFT JOIN house oh ON oh.id = o.house_id LEFT JOIN building ob ON ob.id = oh.building_id WHERE o.id = r.organisation_id))',
  },
];

/** Builds this module's services from the shared registry context and registers its routes. */
export function registerPlacesModule(app: FastifyInstance, ctx: RegistryContext): void {
  // The registry is process-wide and several apps are built per test process: register once.
  for (const t of placesLocatedTypes) {
    if (!reattributionRegistry.list().some((r) => r.type === t.type)) reattributionRegistry.register(t);
  }
  const triggersRepo = createTriggersRepository(ctx.db);
  registerHousesRoutes(app, createHousesService({ repo: createHousesRepository(ctx.db), ctx }));
  registerPlacesRoutes(app, {
    organisations: createOrganisationsService({ repo: createOrganisationsRepository(ctx.db), ctx }),
    facilities: createFacilitiesService({ repo: createFacilitiesRepository(ctx.db), triggers: triggersRepo, ctx }),
    freshness: createFreshnessService({ repo: createFreshnessRepository(ctx.db), scope: ctx.scope, db: ctx.db }),
    triggers: createTriggersService({ repo: triggersRepo, audit: ctx.audit }),
  });
}
