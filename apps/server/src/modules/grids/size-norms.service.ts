import { defaultSizeNorm, type SizeNorm, type SizeNormValues } from '@gridgov/contracts/grids';
import type { z } from 'zod';
import { AppError } from '../../http/app-error.js';
import { canCapture, canView, type Principal } from '../../http/principal.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { GridsRepository } from './grids.repository.js';
import type { SizeNormRow, SizeNormsRepository } from './size-norms.repository.js';

export interface SizeNormsServiceDeps {
  repo: SizeNormsRepository;
  grids: Pick<GridsRepository, 'region' | 'bumpIndexVersion'>;
  audit: Pick<AuditRepository, 'append'>;
}

/** A row's values, its unset columns taken from the built-in defaults (grids.repository.ts reads rows the same way). */
function valuesOf(row: SizeNormRow | undefined): SizeNormValues {
  if (!row) return { ...defaultSizeNorm };
  return {
    urbanMinHouseholds: row.urban_min_households ?? defaultSizeNorm.urbanMinHouseholds,
    urbanMaxHouseholds: row.urban_max_households ?? defaultSizeNorm.urbanMaxHouseholds,
    urbanMinPeople: row.urban_min_people ?? defaultSizeNorm.urbanMinPeople,
    urbanMaxPeople: row.urban_max_people ?? defaultSizeNorm.urbanMaxPeople,
    ruralMinHouseholds: row.rural_min_households ?? defaultSizeNorm.ruralMinHouseholds,
    ruralMaxHouseholds: row.rural_max_households ?? defaultSizeNorm.ruralMaxHouseholds,
    minWorkersPerGrid: row.min_workers_per_grid ?? defaultSizeNorm.minWorkersPerGrid,
  };
}

/** Size norms per jurisdiction: the nearest region up the tree with its own row applies, else GB/T 34300 defaults. */
export function createSizeNormsService({ repo, grids, audit }: SizeNormsServiceDeps) {
  async function effective(regionId: string, path: string): Promise<z.infer<typeof SizeNorm>> {
    const nearest = (await repo.onPath(path))[0];
    return {
      regionId,
      values: valuesOf(nearest),
      source: nearest ? { regionId: nearest.region_id, name: nearest.region_name, own: nearest.region_id === regionId } : null,
    };
  }

  return {
    async get(actor: Principal, regionId: string) {
      const r = await grids.region(regionId);
      if (!r || !canView(actor, r.path)) throw new AppError('NOT_FOUND');
      return effective(r.id, r.path);
    },

    /** Sets this region's own norms (they then apply to its whole subtree unless a region below sets its own). */
    async put(actor: Principal, regionId: string, values: SizeNormValues, meta: RequestMeta) {
      const r = await grids.region(regionId);
      if (!r || !canView(actor, r.path)) throw new AppError('NOT_FOUND');
      if (!canCapture(actor, r.path)) throw new AppError('OUT_OF_SCOPE');
      const before = await effective(r.id, r.path);
      await repo.transaction(async (trx) => {
        await repo.put(r.id, values, trx);
        // Flags on the map change with the norms.
        await grids.bumpIndexVersion(trx);
        await audit.append(
          {
            ...auditContext(actor, meta),
            action: 'grid.size_norm_changed',
            outcome: 'ok',
            targetType: 'region',
            targetId: r.id,
            regionId: r.id,
            regionPath: r.path,
            details: { code: r.code, name: r.name, from: before.values, fromRegionId: before.source?.regionId ?? null, to: values },
          },
          trx,
        );
      });
      return effective(r.id, r.path);
    },
  };
}
export type SizeNormsService = ReturnType<typeof createSizeNormsService>;
