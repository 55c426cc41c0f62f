import {
  defaultIndicatorDenominators,
  IndicatorDenominators,
  type IndicatorQuery,
  type IndicatorRates,
  type IndicatorReport,
  type IndicatorRow,
  type IndicatorSettings,
  indicatorCountKeys,
  indicatorFormulas,
  type SetIndicatorSettingsRequest,
} from '@gridgov/contracts/indicators';
import { AppError } from '../../http/app-error.js';
import { canCapture, canView, type Principal } from '../../http/principal.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { cstMidnight } from '../calendar/working-time.js';
import { viewRoots } from '../regions/subtree.js';
import type { IndicatorSums, IndicatorsRepository } from './indicators.repository.js';

const DAY = 86_400_000;
const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null);

/** Rates of one group from its counts, with the jurisdiction's denominators (domain-reference.md §2.5). */
export function ratesOf(s: IndicatorSums, d: IndicatorDenominators): IndicatorRates {
  const closeDen = d.close === 'shouldClose' ? s.shouldClose : s.shouldClose - s.suspended;
  return {
    handleRate: ratio(s.handled, s.shouldHandle),
    onTimeHandleRate: ratio(s.onTimeHandled, s.shouldHandle),
    closeRate: ratio(s.closed, closeDen),
    onTimeCloseRate: ratio(s.onTimeClosed, closeDen),
    reworkRate: ratio(s.rework, d.rework === 'shouldClose' ? s.shouldClose : s.handled),
    extensionRate: ratio(s.extended, d.extension === 'shouldHandle' ? s.shouldHandle : s.handled),
    satisfactionRate: ratio(d.satisfaction === 'satisfiedAndBasic' ? s.satisfied + s.basic : s.satisfied, s.rated),
  };
}

function rowOf(g: { id: string | null; code: string | null; name: string }, s: IndicatorSums, d: IndicatorDenominators): IndicatorRow {
  return {
    id: g.id,
    code: g.code,
    name: g.name,
    counts: Object.fromEntries(indicatorCountKeys.map((k) => [k, s[k]])) as IndicatorRow['counts'],
    rates: ratesOf(s, d),
    avgHandleHours: s.handleCases > 0 ? Math.round((s.handleSeconds / s.handleCases / 3600) * 100) / 100 : null,
  };
}

const noGroup: Record<IndicatorQuery['groupBy'], string> = {
  grid: '无网格（辖区内未落网格）',
  community: '未落到社区',
  street: '未落到街道',
  district: '未落到区县',
  department: '未派遣',
  category: '未分类',
};

/**
 * Indicators within the caller's view scope: grid staff their own grids, departments the cases sent to their
 * own unit (as lead); everybody else their view subtrees. Period = report dates in CST, both ends inclusive.
 */
export function createIndicatorsService(deps: { repo: IndicatorsRepository; audit: Pick<AuditRepository, 'append'> }) {
  const { repo, audit } = deps;

  async function denominators(path: string | null) {
    const found = await repo.denominatorsAt(path);
    const parsed = IndicatorDenominators.safeParse(found?.value);
    return {
      denominators: parsed.success ? parsed.data : defaultIndicatorDenominators,
      source: { regionId: found?.regionId ?? null, regionName: found?.regionName ?? null },
    };
  }

  async function visibleRegion(p: Principal, regionId: string) {
    const region = await repo.region(regionId);
    if (!region || !canView(p, region.path)) throw new AppError('NOT_FOUND');
    return region;
  }

  return {
    async report(p: Principal, q: IndicatorQuery): Promise<IndicatorReport> {
      const roots = viewRoots(p);
      const region = q.regionId ? await visibleRegion(p, q.regionId) : null;
      const { denominators: d, source } = await denominators(region?.path ?? (roots.length === 1 ? (roots[0]?.path ?? null) : null));
      const groups = await repo.aggregate(q.groupBy, {
        from: new Date(cstMidnight(q.from)),
        to: new Date(cstMidnight(q.to) + DAY),
        paths: roots.map((r) => r.path),
        regionPath: region?.path,
        gridIds: p.grids ?? null,
        ...(p.role === 'dept_handler' ? { leadOrgUnitId: p.orgUnitId } : {}),
      });
      const total = Object.fromEntries([...indicatorCountKeys, 'handleSeconds', 'handleCases'].map((k) => [k, 0])) as IndicatorSums;
      for (const g of groups) for (const k of Object.keys(total) as (keyof IndicatorSums)[]) total[k] += g.sums[k];
      return {
        groupBy: q.groupBy,
        from: q.from,
        to: q.to,
        regionId: q.regionId ?? null,
        denominators: d,
        denominatorSource: source,
        formulas: indicatorFormulas(d),
        items: groups.map((g) => rowOf({ id: g.id, code: g.code, name: g.name ?? noGroup[q.groupBy] }, g.sums, d)),
        total: rowOf({ id: null, code: null, name: '合计' }, total, d),
      };
    },

    async settings(p: Principal, regionId: string | undefined): Promise<IndicatorSettings> {
      const region = regionId ? await visibleRegion(p, regionId) : null;
      const { denominators: d, source } = await denominators(region?.path ?? null);
      return { regionId: regionId ?? null, denominators: d, source, formulas: indicatorFormulas(d) };
    },

    async setSettings(p: Principal, body: SetIndicatorSettingsRequest, meta: RequestMeta): Promise<IndicatorSettings> {
      let regionPath: string | null = null;
      if (body.regionId) {
        const region = await visibleRegion(p, body.regionId);
        if (!canCapture(p, region.path)) throw new AppError('OUT_OF_SCOPE');
        regionPath = region.path;
      } else if (!p.permissions.has('system.configure')) {
        // The deployment-wide default: system administrators only; a jurisdiction sets its own.
        throw new AppError('FORBIDDEN');
      }
      await repo.db.transaction().execute(async (trx) => {
        await repo.putDenominators(body.regionId ?? null, body.denominators, p.kind === 'user' ? p.userId : null, trx);
        await audit.append(
          {
            ...auditContext(p, meta),
            action: 'indicators.settings_changed',
            outcome: 'ok',
            targetType: 'app_setting',
            targetId: body.regionId ? `indicators.denominators@${body.regionId}` : 'indicators.denominators',
            regionId: body.regionId ?? null,
            regionPath,
            details: { denominators: body.denominators },
          },
          trx,
        );
      });
      return this.settings(p, body.regionId);
    },
  };
}
export type IndicatorsService = ReturnType<typeof createIndicatorsService>;
