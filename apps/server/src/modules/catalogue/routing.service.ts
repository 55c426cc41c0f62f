import type { CreateRoutingRuleRequest, RoutingResolution, RoutingRule } from '@gridgov/contracts/catalogue';
import type { FieldIssue } from '@gridgov/contracts/errors';
import { AppError } from '../../http/app-error.js';
import { canCapture, canView, type Principal } from '../../http/principal.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { idsOnPath, viewRoots } from '../regions/subtree.js';
import type { RoutingRepository, RoutingRuleRow } from './routing.repository.js';
import { resolveRouting } from './routing.resolve.js';

/**
 * Routing rules (C12, C14). Who may write where:
 *  - `case.configure` (district center, administrator): anywhere in the view scope;
 *  - `case.dispatch` only (street centers, community stations): inside the capture scope — a street
 *    center keeps the rules of its own street.
 * A rule's lead and cooperating units must be units the caller can see: in the view scope, or a
 * department of a region above it (the district's departments serve its streets).
 */
export function createRoutingService(deps: { repo: RoutingRepository; audit: Pick<AuditRepository, 'append'> }) {
  const { repo, audit } = deps;

  const mayWrite = (actor: Principal, path: string) => (actor.permissions.has('case.configure') ? canView(actor, path) : canCapture(actor, path));

  /** A region the caller may write rules for; NOT_FOUND outside the view scope, OUT_OF_SCOPE outside the writable one. */
  async function writableRegion(actor: Principal, regionId: string) {
    const region = await repo.region(regionId);
    if (!region || !canView(actor, region.path)) throw new AppError('NOT_FOUND');
    if (!mayWrite(actor, region.path)) throw new AppError('OUT_OF_SCOPE');
    return region;
  }

  const toRule = (r: RoutingRuleRow, names: Map<string, string>): RoutingRule => ({
    id: r.id,
    categoryId: r.category_id,
    categoryCode: r.category_code,
    categoryName: r.category_name,
    regionId: r.region_id,
    regionName: r.region_name,
    regionLevel: r.region_level,
    lead: { id: r.lead_org_unit_id, name: r.lead_name },
    co: r.co_org_unit_ids.map((id) => ({ id, name: names.get(id) ?? '' })),
    priority: r.priority,
    active: r.active,
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: r.created_by,
  });
  async function withNames(rows: RoutingRuleRow[]): Promise<RoutingRule[]> {
    const ids = [...new Set(rows.flatMap((r) => r.co_org_unit_ids))];
    const names = new Map((await repo.orgUnits(ids)).map((u) => [u.id, u.name]));
    return rows.map((r) => toRule(r, names));
  }

  return {
    async list(actor: Principal, q: { includeInactive?: 'true' | 'false'; categoryId?: string }): Promise<{ items: RoutingRule[] }> {
      const rows = await repo.list({ paths: viewRoots(actor).map((r) => r.path), includeInactive: q.includeInactive === 'true', categoryId: q.categoryId });
      return { items: await withNames(rows) };
    },

    async create(actor: Principal, body: CreateRoutingRuleRequest, meta: RequestMeta): Promise<RoutingRule> {
      const region = await writableRegion(actor, body.regionId);
      const fields: FieldIssue[] = [];
      if (body.categoryId !== null) {
        const c = await repo.category(body.categoryId);
        if (c?.kind !== 'item') fields.push({ path: 'categoryId', code: 'unknown_category', message: '事项小类不存在 / no such catalogue item' });
      }
      const coIds = body.coOrgUnitIds;
      const units = new Map((await repo.orgUnits([body.leadOrgUnitId, ...coIds])).map((u) => [u.id, u]));
      const above = new Set(idsOnPath(region.path));
      const usable = (id: string) => {
        const u = units.get(id);
        return !!u && (canView(actor, u.region_path) || (u.kind === 'department' && above.has(u.region_id)));
      };
      if (!usable(body.leadOrgUnitId)) {
        fields.push({ path: 'leadOrgUnitId', code: 'unknown_unit', message: '牵头单位不存在或不在管辖范围内 / no such unit within your jurisdiction' });
      }
      coIds.forEach((id, i) => {
        if (!usable(id))
          fields.push({ path: `coOrgUnitIds.${i}`, code: 'unknown_unit', message: '协办单位不存在或不在管辖范围内 / no such unit within your jurisdiction' });
        else if (id === body.leadOrgUnitId)
          fields.push({ path: `coOrgUnitIds.${i}`, code: 'is_lead', message: '协办单位不能是牵头单位 / the lead unit cannot cooperate' });
        else if (coIds.indexOf(id) !== i) fields.push({ path: `coOrgUnitIds.${i}`, code: 'duplicate', message: '协办单位重复 / listed twice' });
      });
      if (fields.length) throw new AppError('VALIDATION_FAILED', { fields });
      const id = await repo.db.transaction().execute(async (trx) => {
        const id = await repo.insert(
          {
            categoryId: body.categoryId,
            regionId: region.id,
            leadOrgUnitId: body.leadOrgUnitId,
            coOrgUnitIds: coIds,
            priority: body.priority,
            createdBy: actor.kind === 'user' ? actor.userId : null,
          },
          trx,
        );
        await audit.append(
          {
            ...auditContext(actor, meta),
            action: 'routing_rule.created',
            outcome: 'ok',
            targetType: 'routing_rule',
            targetId: id,
            regionId: region.id,
            regionPath: region.path,
            details: { categoryId: body.categoryId, leadOrgUnitId: body.leadOrgUnitId, coOrgUnitIds: coIds, priority: body.priority },
          },
          trx,
        );
        return id;
      });
      const row = await repo.findById(id);
      if (!row) throw new AppError('NOT_FOUND');
      return (await withNames([row]))[0] as RoutingRule;
    },

    /** Deactivates a rule (kept for the record; cases dispatched by it still name it in their timeline). */
    async deactivate(actor: Principal, id: string, meta: RequestMeta): Promise<RoutingRule> {
      const rule = await repo.findById(id);
      if (!rule || !canView(actor, rule.region_path)) throw new AppError('NOT_FOUND');
      if (!mayWrite(actor, rule.region_path)) throw new AppError('OUT_OF_SCOPE');
      if (rule.active) {
        await repo.db.transaction().execute(async (trx) => {
          await repo.setActive(id, false, trx);
          await audit.append(
            {
              ...auditContext(actor, meta),
              action: 'routing_rule.deactivated',
              outcome: 'ok',
              targetType: 'routing_rule',
              targetId: id,
              regionId: rule.region_id,
              regionPath: rule.region_path,
              details: { categoryId: rule.category_id, leadOrgUnitId: rule.lead_org_unit_id },
            },
            trx,
          );
        });
      }
      const row = await repo.findById(id);
      return (await withNames([row ?? rule]))[0] as RoutingRule;
    },

    /** Where a case of the category in the region would go (the dispatcher's default). */
    async resolve(actor: Principal, q: { categoryId: string; regionId: string }): Promise<RoutingResolution> {
      const region = await repo.region(q.regionId);
      if (!region || !canView(actor, region.path)) throw new AppError('NOT_FOUND');
      const c = await repo.category(q.categoryId);
      if (c?.kind !== 'item') throw new AppError('CATEGORY_UNKNOWN');
      return resolveRouting(repo.db, q.categoryId, q.regionId);
    },
  };
}
export type RoutingService = ReturnType<typeof createRoutingService>;
