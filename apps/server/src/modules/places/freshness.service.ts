import type { FreshnessQuery, FreshnessReport, VerificationTask, VerificationTaskQuery } from '@gridgov/contracts/registry';
import type { z } from 'zod';
import type { Principal } from '../../http/principal.js';
import type { RecordScope } from '../registry-common/record-scope.js';
import { checkListTargets, FRESHNESS_GOAL, freshnessDays, iso } from './common.js';
import type { FreshnessRepository } from './freshness.repository.js';

type In<T extends z.ZodType> = z.infer<T>;

/**
 * Freshness of the registry (B15): records nobody has verified within the jurisdiction's age become
 * verification tasks for the grid worker; the verified share per grid is an indicator (goal 98 %).
 */
export function createFreshnessService(deps: { repo: FreshnessRepository; scope: RecordScope; db: Parameters<typeof freshnessDays>[0] }) {
  const { repo, scope } = deps;
  return {
    async tasks(p: Principal, q: In<typeof VerificationTaskQuery>): Promise<{ items: z.infer<typeof VerificationTask>[]; total: number }> {
      await checkListTargets(deps, p, { gridId: q.gridId });
      const filter = await scope.gridFilter(p, 'view', { gridId: q.gridId });
      if (filter && filter.length === 0) return { items: [], total: 0 };
      const days = await freshnessDays(deps.db);
      const r = await repo.tasks({ filter, kind: q.kind, gridId: q.gridId, days, limit: q.limit, offset: q.offset });
      return {
        total: r.total,
        items: r.rows.map((t) => ({
          kind: t.kind,
          id: t.id,
          label: t.label,
          address: t.address,
          verifiedAt: iso(t.verified_at),
          gridId: t.grid_id,
          gridCode: t.grid_code,
          gridName: t.grid_name,
          communityId: t.community_id,
          communityName: t.community_name,
        })),
      };
    },

    async report(p: Principal, q: In<typeof FreshnessQuery>): Promise<z.infer<typeof FreshnessReport>> {
      const days = await freshnessDays(deps.db);
      await checkListTargets(deps, p, { regionId: q.regionId });
      const filter = await scope.gridFilter(p, 'view', { regionId: q.regionId });
      const rows = filter && filter.length === 0 ? [] : await repo.perGrid(filter, days);
      return {
        maxAgeDays: days,
        goal: FRESHNESS_GOAL,
        rows: rows.map((r) => ({
          gridId: r.grid_id,
          gridCode: r.grid_code,
          gridName: r.grid_name,
          records: r.records,
          verified: r.verified,
          share: r.records === 0 ? null : Math.round((r.verified / r.records) * 10000) / 10000,
        })),
      };
    },
  };
}
export type FreshnessService = ReturnType<typeof createFreshnessService>;
