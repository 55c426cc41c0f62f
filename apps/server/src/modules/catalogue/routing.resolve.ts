import type { HandlingLevel } from '@gridgov/contracts/cases';
import type { RoutingResolution } from '@gridgov/contracts/catalogue';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { idsOnPath } from '../regions/subtree.js';
import { type CandidateRule, createRoutingRepository } from './routing.repository.js';

const depth = (path: string) => idsOnPath(path).length;

/**
 * The most specific of the rules that apply: an exact category beats "any", a deeper region beats a
 * shallower one, then higher priority, then the newer rule. Pure, so it is unit-tested on its own.
 */
export function pickRule<R extends Pick<CandidateRule, 'category_id' | 'region_path' | 'priority' | 'created_at'>>(rules: readonly R[]): R | undefined {
  return [...rules].sort(
    (a, b) =>
      Number(b.category_id !== null) - Number(a.category_id !== null) ||
      depth(b.region_path) - depth(a.region_path) ||
      b.priority - a.priority ||
      new Date(b.created_at).getTime() - new Date(a.created_at).getTime(),
  )[0];
}

/** The region level whose station/center handles an item of a handling level (a grid's matters go to its community's station). */
const unitLevel: Record<HandlingLevel, string> = { grid: 'community', community: 'community', street: 'street', district: 'district' };

/**
 * Where a case of `categoryId` located in `regionId` goes (C12, C14):
 *  1. the most specific active routing rule at the region or an ancestor (see `pickRule`);
 *  2. else the department with the category's dept_code nearest above the region (the district's);
 *  3. else, by the item's handling level, the community station (grid/community) or the street or
 *     district center on the region's path — the deepest unit at or above that level;
 *  4. else `source: 'none'` (the dispatcher chooses by hand).
 * `version` picks the rules a case was opened under (default: the current version).
 * Pass a transaction as `db` inside one. Scope is the caller's business: this only answers the question.
 */
export async function resolveRouting(db: Kysely<DB>, categoryId: string, regionId: string, opts: { version?: number } = {}): Promise<RoutingResolution> {
  const repo = createRoutingRepository(db);
  const none: RoutingResolution = { source: 'none', ruleId: null, lead: null, co: [] };
  const region = await repo.region(regionId);
  if (!region) return none;
  const path = idsOnPath(region.path);

  const rule = pickRule(await repo.candidates(categoryId, path));
  if (rule) {
    const units = await repo.orgUnits([rule.lead_org_unit_id, ...rule.co_org_unit_ids]);
    const byId = new Map(units.map((u) => [u.id, { id: u.id, name: u.name }]));
    const lead = byId.get(rule.lead_org_unit_id);
    if (lead) {
      const co = rule.co_org_unit_ids.flatMap((id) => {
        const u = byId.get(id);
        return u && id !== lead.id ? [u] : [];
      });
      return { source: 'rule', ruleId: rule.id, lead, co };
    }
  }

  const rules = await repo.categoryRules(categoryId, opts.version);
  if (!rules) return none;
  const deepest = <U extends { region_path: string }>(us: U[]) => us.sort((a, b) => depth(b.region_path) - depth(a.region_path))[0];

  if (rules.dept_code) {
    const dept = deepest(await repo.unitsAt(path, { kinds: ['department'], deptCode: rules.dept_code }));
    if (dept) return { source: 'category_department', ruleId: null, lead: { id: dept.id, name: dept.name }, co: [] };
  }

  const ancestors = await repo.regions(path);
  const at = ancestors.find((a) => a.level === unitLevel[rules.level]);
  const limit = depth(at?.path ?? region.path);
  const local = deepest((await repo.unitsAt(path, { kinds: ['station', 'center'] })).filter((u) => depth(u.region_path) <= limit));
  if (local) return { source: 'handling_level', ruleId: null, lead: { id: local.id, name: local.name }, co: [] };
  return none;
}
