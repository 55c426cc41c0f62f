import type { AreaGeometry } from '@gridgov/contracts/geojson';
import type { RegionBoundaryRequest, RegionBoundaryResult, RegionFeatureCollection, RegionFeatureQuery } from '@gridgov/contracts/grids';
import type { z } from 'zod';
import { AppError } from '../../http/app-error.js';
import { canCapture, canView, type Principal } from '../../http/principal.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { viewRoots } from '../regions/subtree.js';
import { parseBBox } from './geometry.js';
import type { GeometryRepository } from './geometry.repository.js';
import type { GridsRepository } from './grids.repository.js';
import { checkedArea } from './grids.service.js';
import type { RegionBoundaryRepository } from './region-boundary.repository.js';
import { todayInChina } from './today.js';

export interface RegionBoundaryServiceDeps {
  repo: RegionBoundaryRepository;
  grids: Pick<GridsRepository, 'region' | 'bumpIndexVersion'>;
  geo: Pick<GeometryRepository, 'invalidity'>;
  audit: Pick<AuditRepository, 'append'>;
  today?: () => string;
}

/** Community/village boundaries (drawn or imported) and the division outlines of the offline base map. */
export function createRegionBoundaryService({ repo, grids, geo, audit, today = todayInChina }: RegionBoundaryServiceDeps) {
  return {
    /** Sets a community's boundary, checked as grid boundaries are; reports the grids now reaching beyond it. */
    async setBoundary(
      actor: Principal,
      id: string,
      body: z.infer<typeof RegionBoundaryRequest>,
      meta: RequestMeta,
    ): Promise<z.infer<typeof RegionBoundaryResult>> {
      const region = await grids.region(id);
      if (!region || !canView(actor, region.path)) throw new AppError('NOT_FOUND');
      if (region.level !== 'community') {
        throw new AppError('VALIDATION_FAILED', {
          fields: [
            {
              path: 'id',
              code: 'not_community',
              message:
                '只能为社区/村绘制边界；街道和区县的边界由其下社区/村合成 / only a community or village has a drawn boundary; streets and districts are the union of theirs',
            },
          ],
        });
      }
      if (!canCapture(actor, region.path)) throw new AppError('OUT_OF_SCOPE');
      const json = await checkedArea(geo, body.geometry, body.coordSystem);
      return repo.transaction(async (trx) => {
        const before = await repo.areaM2(id, trx);
        await repo.setBoundary(id, json, trx);
        await grids.bumpIndexVersion(trx);
        const b = await repo.boundary(id, trx);
        if (!b) throw new Error('boundary not stored');
        const outside = await repo.gridsOutside(id, today(), trx);
        await audit.append(
          {
            ...auditContext(actor, meta),
            action: 'region.boundary_changed',
            outcome: 'ok',
            targetType: 'region',
            targetId: id,
            regionId: id,
            regionPath: region.path,
            details: {
              code: region.code,
              name: region.name,
              coordSystem: body.coordSystem,
              fromAreaM2: before === null ? null : Math.round(before * 100) / 100,
              toAreaM2: Math.round(Number(b.area) * 100) / 100,
              gridsOutside: outside.map((g) => g.code),
            },
          },
          trx,
        );
        return {
          regionId: id,
          areaM2: Math.round(Number(b.area) * 100) / 100,
          geometry: JSON.parse(b.geojson) as AreaGeometry,
          label: JSON.parse(b.label) as { type: 'Point'; coordinates: [number, number] },
          gridsOutside: outside,
        };
      });
    },

    /** Outlines and label points inside the box and the caller's view scope. */
    async features(actor: Principal, q: z.infer<typeof RegionFeatureQuery>): Promise<z.infer<typeof RegionFeatureCollection>> {
      const box = parseBBox(q.bbox);
      if (!box.ok) throw new AppError('VALIDATION_FAILED', { fields: [{ path: box.problem.path, code: box.problem.code, message: box.problem.message }] });
      const rows = await repo.features({ bbox: box.bbox, paths: viewRoots(actor).map((r) => r.path), limit: q.limit });
      const communities = rows.filter((r) => r.level === 'community');
      const truncated = communities.length > q.limit;
      const keep = truncated ? new Set(communities.slice(0, q.limit).map((r) => r.id)) : null;
      return {
        type: 'FeatureCollection',
        truncated,
        features: rows
          .filter((r) => r.level !== 'community' || !keep || keep.has(r.id))
          .map((r) => ({
            type: 'Feature' as const,
            id: r.id,
            geometry: JSON.parse(r.geojson) as AreaGeometry,
            properties: { id: r.id, code: r.code, name: r.name, level: r.level, labelLng: Number(r.lng), labelLat: Number(r.lat) },
          })),
      };
    },
  };
}
export type RegionBoundaryService = ReturnType<typeof createRegionBoundaryService>;
