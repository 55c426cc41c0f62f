import type { ErrorCode } from '@gridgov/contracts/errors';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/app-error.js';
import type { Principal } from '../../http/principal.js';
import type { PiiCipher } from '../../lib/pii-crypto.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { createCalendarRepository } from '../calendar/calendar.repository.js';
import { type CalendarService, createCalendarService } from '../calendar/calendar.service.js';
import type { GridIndexKeeper } from '../gridlookup/grid-index.js';
import { createGridLookupRepository, type GridLookupRepository } from '../gridlookup/gridlookup.repository.js';
import { createRateLimiter } from '../gridlookup/rate-limit.js';
import { todayInChina } from '../grids/today.js';
import { createOpen311Repository, type Open311Repository } from './open311.repository.js';
import { registerOpen311Routes } from './open311.routes.js';
import { type CaseLocator, createOpen311Service, type Open311ServiceDeps } from './open311.service.js';

export interface Open311ModuleDeps {
  db: Kysely<DB>;
  pii: PiiCipher;
  /** The calendar service (one is made when not given). */
  calendar?: Pick<CalendarService, 'calendarFor'>;
  audit: Pick<AuditRepository, 'append'>;
  index: GridIndexKeeper;
  resolveToken(token: string): Promise<{ principal: Principal } | { failure: ErrorCode }>;
  /** Key-less reads per client address and minute (default 120). */
  readsPerMinute?: number;
  /** media_url download into the attachments (app.ts); without it media_url stays a link only. */
  media?: Open311ServiceDeps['media'];
}

const JURISDICTION_LEVELS = new Set(['district', 'street', 'community']);

/**
 * The intake's location rule for a WGS84 point: the grid of the in-process index → its community; in no grid
 * but inside a district/street/community boundary → that region, flagged no-grid; outside → refused, naming
 * the region around the point when the platform knows one (a city or province boundary).
 */
export function createCaseLocator(repo: Open311Repository, index: GridIndexKeeper, matchAddress: GridLookupRepository['matchAddress']): CaseLocator {
  return {
    async locate(lng, lat) {
      const gridId = (await index.ensureFresh()).lookup(lng, lat);
      if (gridId) {
        const c = await repo.communityOfGrid(gridId);
        if (c) return { regionId: c.id, regionPath: c.path, gridId, noGrid: false };
      }
      const hits = await repo.regionsAt(lng, lat);
      const inside = hits.find((h) => JURISDICTION_LEVELS.has(h.level));
      if (inside) return { regionId: inside.id, regionPath: inside.path, gridId: null, noGrid: true };
      const known = hits[0];
      throw new AppError('LOCATION_OUTSIDE_JURISDICTION', {
        fields: [
          {
            path: 'lat',
            code: 'outside',
            message: known ? `该位置位于${known.name}，不在本平台管辖范围内，请向${known.name}相关部门反映` : '该位置不属于本平台任何区、街道或社区',
          },
        ],
      });
    },
    async locateAddress(address) {
      const [best] = await matchAddress(address, todayInChina(), 1);
      if (!best || best.score < 0.5) return null;
      const c = await repo.communityOfGrid(best.grid_id);
      if (!c) return null;
      // A community name alone does not say which grid: the community takes it, flagged as no grid (as the intake does).
      return best.kind === 'community'
        ? { regionId: c.id, regionPath: c.path, gridId: null, noGrid: true }
        : { regionId: c.id, regionPath: c.path, gridId: best.grid_id, noGrid: false };
    },
  };
}

/** Open311 GeoReport v2 at /open311/v2/ (services, service definitions, requests: submit, list, one). */
export function registerOpen311Module(app: FastifyInstance, deps: Open311ModuleDeps) {
  const repo = createOpen311Repository(deps.db);
  const open311 = createOpen311Service({
    db: deps.db,
    repo,
    resolveToken: deps.resolveToken,
    locator: createCaseLocator(repo, deps.index, createGridLookupRepository(deps.db).matchAddress),
    pii: deps.pii,
    calendar: deps.calendar ?? createCalendarService({ repo: createCalendarRepository(deps.db), audit: deps.audit }),
    limiter: createRateLimiter({ limit: deps.readsPerMinute ?? 120, windowMs: 60_000 }),
    media: deps.media,
  });
  registerOpen311Routes(app, { open311 });
  return open311;
}
