import { type AdjustmentTrigger, type AdjustmentTriggerDetails, adjustmentTriggerMessage, POPULATION_CHANGE_THRESHOLD } from '@gridgov/contracts/adjustments';
import { fromJson } from '../../db/json.js';
import { AppError } from '../../http/app-error.js';
import { canCapture, canView, type Principal } from '../../http/principal.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { viewRoots } from '../regions/subtree.js';
import { iso } from './common.js';
import type { TriggerRow, TriggersRepository } from './triggers.repository.js';

/**
 * A grid whose registry holds less than this share of its baseline population is taken as not yet
 * collected (the registry is being filled in), not as a grid that lost people: no comparison there.
 */
export const MIN_REGISTRY_COVERAGE = 0.5;

/** Key places younger than this that raised no trigger (an import wrote them) get one from the scan. */
const NEW_KEY_PLACE_DAYS = 30;

const detailsOf = (d: TriggerRow['details']): AdjustmentTriggerDetails => fromJson<AdjustmentTriggerDetails>(d);

const toTrigger = (r: TriggerRow): AdjustmentTrigger => {
  const details = detailsOf(r.details);
  return {
    id: r.id,
    gridId: r.grid_id,
    gridCode: r.grid_code,
    gridName: r.grid_name,
    communityId: r.community_id,
    communityName: r.community_name,
    kind: r.kind,
    details,
    message: adjustmentTriggerMessage(r.kind, details),
    detectedAt: iso(r.detected_at) as string,
  };
};

const changeOf = (baseline: number, current: number) => Math.round(((current - baseline) / baseline) * 1000) / 1000;

/**
 * Automatic adjustment triggers (A18): a grid's registered population more than 20 % away from its
 * baseline, and a new key place in a grid. Raised by the scan (job, or a center on demand) and, for key
 * places, when one is created. An open trigger per grid and kind (per key place) is kept by a unique index.
 */
export function createTriggersService(deps: { repo: TriggersRepository; audit: Pick<AuditRepository, 'append'> }) {
  const { repo, audit } = deps;

  /** Detection over grids under `paths` (null: every grid). Skips (0/0) when another process is scanning. */
  async function scan(paths: readonly string[] | null): Promise<{ gridsChecked: number; uncollected: number; detected: number }> {
    return repo.transaction(async (trx) => {
      if (!(await repo.tryScanLock(trx))) return { gridsChecked: 0, uncollected: 0, detected: 0 };
      let detected = 0;
      const counts = await repo.populationCounts(paths, trx);
      const ids = counts.map((c) => c.grid_id);
      const open = new Map((await repo.openPopulation(ids, trx)).map((o) => [o.grid_id, o.id]));
      const dismissed = new Map((await repo.lastDismissedPopulation(ids, trx)).map((d) => [d.grid_id, detailsOf(d.details)]));
      let uncollected = 0;
      for (const c of counts) {
        if (c.current < c.baseline * MIN_REGISTRY_COVERAGE) {
          uncollected++;
          const stale = open.get(c.grid_id);
          if (stale) await repo.resolve(stale, trx);
          continue;
        }
        const change = changeOf(c.baseline, c.current);
        const beyond = Math.abs(change) > POPULATION_CHANGE_THRESHOLD;
        const openId = open.get(c.grid_id);
        const details: AdjustmentTriggerDetails = { baseline: c.baseline, current: c.current, change };
        if (openId) {
          if (beyond) await repo.setDetails(openId, details, trx);
          else await repo.resolve(openId, trx);
          continue;
        }
        if (!beyond) continue;
        // A dismissal holds while the baseline is the same and the count has not moved a further 20 %.
        const d = dismissed.get(c.grid_id);
        if (d && d.baseline === c.baseline && d.current && Math.abs(c.current - d.current) / d.current <= POPULATION_CHANGE_THRESHOLD) continue;
        if (await repo.raisePopulation(c.grid_id, details, trx)) detected++;
      }
      for (const k of await repo.keyPlacesWithoutTrigger(paths, NEW_KEY_PLACE_DAYS, trx)) {
        if (await repo.raiseNewKeyPlace(k.grid_id, { keyPlaceId: k.id, keyPlaceName: k.name, warningLevel: k.warning_level }, trx)) detected++;
      }
      return { gridsChecked: counts.length - uncollected, uncollected, detected };
    });
  }

  async function viewablePaths(p: Principal, regionId: string | undefined): Promise<string[]> {
    if (!regionId) return viewRoots(p).map((r) => r.path);
    const path = await repo.regionPath(regionId);
    if (!path || !canView(p, path)) throw new AppError('NOT_FOUND');
    return [path];
  }

  return {
    scanAll: () => scan(null),

    async list(p: Principal, q: { regionId?: string }): Promise<{ items: AdjustmentTrigger[] }> {
      const rows = await repo.listOpen(await viewablePaths(p, q.regionId));
      return { items: rows.map(toTrigger) };
    },

    async scan(p: Principal) {
      return scan(viewRoots(p).map((r) => r.path));
    },

    async dismiss(p: Principal, id: string, meta: RequestMeta): Promise<AdjustmentTrigger> {
      const row = await repo.get(id);
      if (!row || !canView(p, row.region_path)) throw new AppError('NOT_FOUND');
      if (!canCapture(p, row.region_path)) throw new AppError('OUT_OF_SCOPE');
      if (row.dismissed_at) throw new AppError('CONFLICT', { details: { reason: 'already dismissed' } });
      await repo.transaction(async (trx) => {
        await repo.dismiss(id, p.userId, trx);
        await audit.append(
          {
            ...auditContext(p, meta),
            action: 'adjustment_trigger.dismissed',
            outcome: 'ok',
            targetType: 'adjustment_trigger',
            targetId: id,
            regionId: row.community_id,
            regionPath: row.region_path,
            details: { gridCode: row.grid_code, kind: row.kind, ...detailsOf(row.details) },
          },
          trx,
        );
      });
      return toTrigger(row);
    },
  };
}
export type TriggersService = ReturnType<typeof createTriggersService>;
