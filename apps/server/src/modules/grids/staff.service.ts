import type { GridDetail, SetStaffRequest, StaffingReport } from '@gridgov/contracts/grids';
import type { z } from 'zod';
import { AppError } from '../../http/app-error.js';
import { canCapture, canView, type Principal } from '../../http/principal.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { GridsRepository } from './grids.repository.js';
import type { RosterGrid, RosterStaff, StaffRepository } from './staff.repository.js';
import { todayInChina } from './today.js';

export interface StaffServiceDeps {
  repo: StaffRepository;
  grids: Pick<GridsRepository, 'find' | 'region' | 'bumpIndexVersion'>;
  /** The grid as GET /api/grids/:id shows it, returned after a change. */
  detail: (actor: Principal, id: string) => Promise<GridDetail>;
  audit: Pick<AuditRepository, 'append'>;
  today?: () => string;
}

/** Duties that count as grid workers in ratios and the understaffed flag. */
const WORKER_DUTIES = new Set(['full_time', 'part_time']);
const round2 = (n: number) => Math.round(n * 100) / 100;
const per1000 = (workers: number, population: number) => (population > 0 ? round2((workers * 1000) / population) : null);

type Counts = z.infer<typeof StaffingReport>['totals'];

function counts(grids: RosterGrid[], staff: RosterStaff[]): Counts {
  const ids = new Set(grids.map((g) => g.id));
  const people = (duties: (d: string) => boolean) => new Set(staff.filter((s) => ids.has(s.grid_id) && duties(s.duty)).map((s) => s.user_id)).size;
  const population = grids.reduce((a, g) => a + (g.population ?? 0), 0);
  const workers = people((d) => WORKER_DUTIES.has(d));
  return {
    grids: grids.length,
    leaders: people((d) => d === 'leader'),
    workers,
    liaisons: people((d) => d === 'liaison'),
    buildingHeads: people((d) => d === 'building_head'),
    households: grids.reduce((a, g) => a + (g.households ?? 0), 0),
    population,
    areaM2: round2(grids.reduce((a, g) => a + (g.area ?? 0), 0)),
    workersPer1000: per1000(workers, population),
  };
}

/** Grid staffing (leader, full/part-time workers, liaisons, building heads; one person may serve several grids) and ratios. */
export function createStaffService({ repo, grids, detail, audit, today = todayInChina }: StaffServiceDeps) {
  return {
    /** Replaces a grid's staff. Each person must be staff (not a resident, not disabled) whose capture scope covers the grid's community. */
    async set(actor: Principal, gridId: string, body: z.infer<typeof SetStaffRequest>, meta: RequestMeta): Promise<GridDetail> {
      const on = today();
      const g = await grids.find(gridId, on);
      if (!g || !canView(actor, g.community_path)) throw new AppError('NOT_FOUND');
      if (!canCapture(actor, g.community_path)) throw new AppError('OUT_OF_SCOPE');
      if (g.valid_to !== null && g.valid_to <= on) {
        throw new AppError('CONFLICT', {
          fields: [{ path: 'id', code: 'retired', message: `网格已于 ${g.valid_to} 撤销 / the grid was retired on ${g.valid_to}` }],
        });
      }
      const fields: { path: string; code: string; message: string }[] = [];
      const seen = new Set<string>();
      body.staff.forEach((s, i) => {
        const key = `${s.userId}/${s.duty}`;
        if (seen.has(key)) fields.push({ path: `staff.${i}`, code: 'duplicate', message: '同一人员同一职责重复 / the same person and duty twice' });
        seen.add(key);
      });
      const candidates = new Map((await repo.candidates([...new Set(body.staff.map((s) => s.userId))], g.community_path)).map((c) => [c.id, c]));
      body.staff.forEach((s, i) => {
        const c = candidates.get(s.userId);
        const path = `staff.${i}.userId`;
        // Users outside the grid's community are not named: the caller may not be allowed to see them.
        if (!c || c.role === 'resident' || !c.covers) {
          fields.push({
            path,
            code: 'not_eligible',
            message: "须为管辖范围包含该网格所在社区的工作人员 / must be a staff member whose capture scope covers the grid's community",
          });
        } else if (c.disabled) fields.push({ path, code: 'disabled', message: `${c.display_name} 的账号已停用 / ${c.username} is disabled` });
      });
      if (fields.length) throw new AppError('VALIDATION_FAILED', { fields });

      await repo.transaction(async (trx) => {
        const before = await repo.current(gridId, trx);
        const since = new Map(before.map((b) => [`${b.user_id}/${b.duty}`, b.since]));
        const rows = body.staff.map((s) => ({ userId: s.userId, duty: s.duty, since: s.since ?? since.get(`${s.userId}/${s.duty}`) ?? on }));
        await repo.replace(gridId, rows, trx);
        // The public lookup answers "who is my grid worker" from the index.
        await grids.bumpIndexVersion(trx);
        const name = (id: string) => candidates.get(id)?.username ?? id;
        const after = new Set(rows.map((r) => `${r.userId}/${r.duty}`));
        await audit.append(
          {
            ...auditContext(actor, meta),
            action: 'grid.staff_changed',
            outcome: 'ok',
            targetType: 'grid',
            targetId: gridId,
            regionId: g.community_id,
            regionPath: g.community_path,
            details: {
              code: g.code,
              added: rows.filter((r) => !since.has(`${r.userId}/${r.duty}`)).map((r) => ({ user: name(r.userId), duty: r.duty })),
              removed: before.filter((b) => !after.has(`${b.user_id}/${b.duty}`)).map((b) => ({ userId: b.user_id, duty: b.duty })),
            },
          },
          trx,
        );
      });
      return detail(actor, gridId);
    },

    /** Workers per grid and per 1,000 residents, with community and overall totals (people counted once per area). */
    async staffing(actor: Principal, regionId: string): Promise<z.infer<typeof StaffingReport>> {
      const r = await grids.region(regionId);
      if (!r || !canView(actor, r.path)) throw new AppError('NOT_FOUND');
      const { grids: rows, staff } = await repo.roster(r.path, today());
      const byGrid = new Map<string, RosterStaff[]>();
      for (const s of staff) byGrid.set(s.grid_id, [...(byGrid.get(s.grid_id) ?? []), s]);
      const communities = new Map<string, RosterGrid[]>();
      for (const g of rows) communities.set(g.community_id, [...(communities.get(g.community_id) ?? []), g]);
      return {
        regionId: r.id,
        source: 'baseline',
        grids: rows.map((g) => {
          const c = counts([g], byGrid.get(g.id) ?? []);
          return {
            gridId: g.id,
            code: g.code,
            name: g.name,
            gridType: g.grid_type,
            communityId: g.community_id,
            communityName: g.community_name,
            leaders: c.leaders,
            workers: c.workers,
            liaisons: c.liaisons,
            buildingHeads: c.buildingHeads,
            households: g.households,
            population: g.population,
            areaM2: g.area === null ? null : round2(g.area),
            workersPer1000: g.population === null ? null : per1000(c.workers, g.population),
          };
        }),
        communities: [...communities.values()].map((gs) => ({
          communityId: (gs[0] as RosterGrid).community_id,
          communityName: (gs[0] as RosterGrid).community_name,
          ...counts(gs, staff),
        })),
        totals: counts(rows, staff),
      };
    },
  };
}
export type StaffService = ReturnType<typeof createStaffService>;
