import type { AreaGeometry } from '@gridgov/contracts/geojson';
import type { CoverageQuery, CoverageReport } from '@gridgov/contracts/grids';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/app-error.js';
import { canView, type Principal } from '../../http/principal.js';
import { runCoverage } from './coverage.repository.js';
import type { GridsRepository } from './grids.repository.js';
import { todayInChina } from './today.js';

export interface CoverageServiceDeps {
  db: Kysely<DB>;
  grids: Pick<GridsRepository, 'region'>;
  today?: () => string;
}

const CHECKABLE = new Set(['community', 'street', 'district']);
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Gaps and overlaps of the grids of a community, street or district in the caller's view scope (requirement A4). */
export function createCoverageService({ db, grids, today = todayInChina }: CoverageServiceDeps) {
  return {
    async check(actor: Principal, q: z.infer<typeof CoverageQuery>): Promise<z.infer<typeof CoverageReport>> {
      const region = await grids.region(q.regionId);
      if (!region || !canView(actor, region.path)) throw new AppError('NOT_FOUND');
      if (!CHECKABLE.has(region.level)) {
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ path: 'query.regionId', code: 'level', message: '请选择社区/村、街道/乡镇或区县 / choose a community, street or district' }],
        });
      }
      const started = performance.now();
      const r = await runCoverage(db, region.path, q.on ?? today());
      const tookMs = Math.round(performance.now() - started);
      return {
        regionId: region.id,
        checkedCommunities: r.checkedCommunities,
        checkedGrids: r.checkedGrids,
        overlaps: r.issues.filter((i) => i.kind === 'overlap').length,
        gaps: r.issues.filter((i) => i.kind === 'gap').length,
        outside: r.issues.filter((i) => i.kind === 'outside').length,
        uncheckedCommunities: r.uncheckedCommunities,
        issues: r.issues.map((i) => ({
          kind: i.kind,
          gridIds: i.gridIds,
          gridCodes: i.gridCodes,
          communityId: i.communityId,
          communityName: i.communityName,
          areaM2: round2(i.areaM2),
          geometry: JSON.parse(i.geojson) as AreaGeometry,
        })),
        tookMs,
      };
    },
  };
}
export type CoverageService = ReturnType<typeof createCoverageService>;
