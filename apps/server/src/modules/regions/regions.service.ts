import type { FieldIssue } from '@gridgov/contracts/errors';
import { type CodeCheck, checkExtendsParent, checkRegionCode } from '@gridgov/contracts/region-code';
import type {
  CreateRegionRequest,
  RegionDetail,
  RegionLevel,
  RegionLevelInfo,
  RegionNode,
  RegionSearchHit,
  UpdateRegionLevelRequest,
  UpdateRegionRequest,
} from '@gridgov/contracts/regions';
import { AppError } from '../../http/app-error.js';
import { canCapture, canView, type Principal } from '../../http/principal.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { pgErrorOf, type RegionRow, type RegionsRepository } from './regions.repository.js';
import { idsOnPath, viewRoots } from './subtree.js';

export interface RegionsServiceDeps {
  repo: RegionsRepository;
  audit: Pick<AuditRepository, 'append'>;
}

export const toNode = (r: RegionRow): RegionNode => ({
  id: r.id,
  parentId: r.parent_id,
  level: r.level,
  code: r.code,
  name: r.name,
  kind: r.kind,
  childCount: r.child_count,
  sortOrder: r.sort_order,
});

type LevelRow = Awaited<ReturnType<RegionsRepository['levels']>>[number];
const toLevel = (l: LevelRow): RegionLevelInfo => ({
  key: l.key as RegionLevel,
  depth: l.depth,
  nameZh: l.name_zh,
  nameEn: l.name_en,
  codeLength: l.code_length === 12 ? 12 : 6,
});

function codeIssue(path: string, code: string, check: Exclude<CodeCheck, { ok: true }>): FieldIssue {
  return { path, code, message: `第 ${check.position} 位：${check.reason.zh} / position ${check.position}: ${check.reason.en}` };
}

const kindNotApplicable = (): AppError =>
  new AppError('VALIDATION_FAILED', {
    fields: [{ path: 'kind', code: 'not_applicable', message: '只有社区/村可以设置城乡类型 / only a community or village has an urban/rural kind' }],
  });

/**
 * The region tree: browsing within the caller's view scope, and creating, renaming and deleting
 * divisions within the capture scope. A node outside the view scope does not exist for the caller.
 */
export function createRegionsService({ repo, audit }: RegionsServiceDeps) {
  /** The region if the caller may see it; otherwise NOT_FOUND, as if it did not exist. */
  async function viewable(actor: Principal, id: string): Promise<RegionRow> {
    const r = await repo.findById(id);
    if (!r || !canView(actor, r.path)) throw new AppError('NOT_FOUND');
    return r;
  }

  async function capturable(actor: Principal, id: string): Promise<RegionRow> {
    const r = await viewable(actor, id);
    if (!canCapture(actor, r.path)) throw new AppError('OUT_OF_SCOPE');
    return r;
  }

  return {
    async levels(): Promise<RegionLevelInfo[]> {
      return (await repo.levels()).map(toLevel);
    },

    /** Renames a level for the whole deployment (街道/乡镇 → 乡镇); the route requires system.configure. */
    async renameLevel(actor: Principal, key: RegionLevel, body: UpdateRegionLevelRequest, meta: RequestMeta): Promise<RegionLevelInfo> {
      return repo.transaction(async (trx) => {
        const before = (await repo.levels(trx)).find((l) => l.key === key);
        const after = await repo.renameLevel(key, body, trx);
        if (!before || !after) throw new AppError('NOT_FOUND');
        await audit.append(
          {
            ...auditContext(actor, meta),
            action: 'region.level_renamed',
            outcome: 'ok',
            targetType: 'region_level',
            targetId: key,
            details: { from: { nameZh: before.name_zh, nameEn: before.name_en }, to: body },
          },
          trx,
        );
        return toLevel(after);
      });
    },

    /** Children of a node the caller can see; without a parent, the roots of the caller's view scope. */
    async list(actor: Principal, parentId: string | undefined): Promise<RegionNode[]> {
      if (parentId === undefined) {
        const roots = viewRoots(actor);
        const rows = await repo.findByIds(roots.map((r) => r.regionId));
        return rows.sort((a, b) => a.code.localeCompare(b.code)).map(toNode);
      }
      const parent = await viewable(actor, parentId);
      return (await repo.children(parent.id)).map(toNode);
    },

    /** A node with its breadcrumb; ancestors above the caller's scope are shown by name only. */
    async get(actor: Principal, id: string): Promise<RegionDetail> {
      const r = await viewable(actor, id);
      const ancestorIds = idsOnPath(r.path).slice(0, -1);
      const ancestors = await repo.findByIds(ancestorIds);
      ancestors.sort((a, b) => a.path.length - b.path.length);
      return {
        node: toNode(r),
        ancestors: ancestors.map((a) => ({ id: canView(actor, a.path) ? a.id : null, level: a.level, code: a.code, name: a.name })),
        canManage: actor.permissions.has('region.manage') && canCapture(actor, r.path),
        orgUnitCount: await repo.orgUnitCount(r.id),
      };
    },

    /** Name fragment or leading code digits, within the view scope; at most `limit` (≤ 50) hits. */
    async search(actor: Principal, q: string, limit: number): Promise<RegionSearchHit[]> {
      const roots = viewRoots(actor);
      const rows = await repo.search({ q, rootPaths: roots.map((r) => r.path), limit: Math.min(limit, 50) });
      // Breadcrumb names from the caller's scope root down: one query for all ancestors of all hits.
      const ids = new Set<string>();
      for (const r of rows) for (const a of idsOnPath(r.path).slice(0, -1)) ids.add(a);
      const byId = new Map((await repo.findByIds([...ids])).map((a) => [a.id, a]));
      return rows.map((r) => {
        const names = idsOnPath(r.path)
          .slice(0, -1)
          .map((a) => byId.get(a))
          .filter((a): a is RegionRow => !!a && canView(actor, a.path))
          .map((a) => a.name);
        return { ...toNode(r), pathName: [...names, r.name].join(' / ') };
      });
    },

    /** A child of a node in the caller's capture scope, with its code checked against the parent. */
    async create(actor: Principal, body: CreateRegionRequest, meta: RequestMeta): Promise<RegionNode> {
      const parent = await capturable(actor, body.parentId);
      const levels = await repo.levels();
      const parentLevel = levels.find((l) => l.key === parent.level);
      const childLevel = parentLevel && levels.find((l) => l.depth === parentLevel.depth + 1);
      if (!childLevel) {
        throw new AppError('REGION_PARENT_INVALID', {
          fields: [
            {
              path: 'parentId',
              code: 'deepest_level',
              message: `「${parent.name}」已是最低一级区划，不能再设下级 / "${parent.name}" is at the deepest level and cannot have children`,
            },
          ],
        });
      }
      const level = childLevel.key as RegionLevel;
      const code = checkRegionCode(body.code, level);
      if (!code.ok) {
        throw new AppError('REGION_CODE_INVALID', {
          fields: [codeIssue('code', 'region_code', code)],
          details: { position: code.position, reason: code.reason, level },
        });
      }
      const extends_ = checkExtendsParent(parent.code, body.code);
      if (!extends_.ok) {
        throw new AppError('REGION_PARENT_INVALID', {
          fields: [codeIssue('code', 'not_under_parent', extends_)],
          details: { position: extends_.position, reason: extends_.reason, parentCode: parent.code },
        });
      }
      if (body.kind && level !== 'community') throw kindNotApplicable();
      const taken = () =>
        new AppError('REGION_CODE_TAKEN', {
          fields: [{ path: 'code', code: 'taken', message: `区划代码 ${body.code} 已存在 / code ${body.code} already exists` }],
        });
      if (await repo.codeTaken(body.code)) throw taken();

      const id = crypto.randomUUID();
      const path = `${parent.path}${id}/`;
      try {
        return await repo.transaction(async (trx) => {
          const sortOrder = body.sortOrder ?? (await repo.nextSortOrder(parent.id, trx));
          await repo.insert({ id, parentId: parent.id, level, code: body.code, name: body.name, path, kind: body.kind ?? null, sortOrder }, trx);
          await audit.append(
            {
              ...auditContext(actor, meta),
              action: 'region.created',
              outcome: 'ok',
              targetType: 'region',
              targetId: id,
              regionId: id,
              regionPath: path,
              details: { code: body.code, name: body.name, level, parentId: parent.id, parentCode: parent.code },
            },
            trx,
          );
          const row = await repo.findById(id, trx);
          if (!row) throw new Error('inserted region not found');
          return toNode(row);
        });
      } catch (err) {
        const pg = pgErrorOf(err);
        if (pg?.code === '23505' && pg.constraint.includes('code')) throw taken();
        throw err;
      }
    },

    /** Renames, reclassifies or reorders a node in the capture scope. */
    async update(actor: Principal, id: string, body: UpdateRegionRequest, meta: RequestMeta): Promise<RegionNode> {
      const r = await capturable(actor, id);
      if (body.kind !== undefined && body.kind !== null && r.level !== 'community') throw kindNotApplicable();
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      if (body.name !== undefined && body.name !== r.name) changes.name = { from: r.name, to: body.name };
      if (body.kind !== undefined && body.kind !== r.kind) changes.kind = { from: r.kind, to: body.kind };
      if (body.sortOrder !== undefined && body.sortOrder !== r.sort_order) changes.sortOrder = { from: r.sort_order, to: body.sortOrder };
      if (Object.keys(changes).length === 0) return toNode(r);
      return repo.transaction(async (trx) => {
        await repo.update(id, body, trx);
        await audit.append(
          {
            ...auditContext(actor, meta),
            action: 'region.updated',
            outcome: 'ok',
            targetType: 'region',
            targetId: id,
            regionId: id,
            regionPath: r.path,
            details: { code: r.code, changes },
          },
          trx,
        );
        const row = await repo.findById(id, trx);
        if (!row) throw new AppError('NOT_FOUND');
        return toNode(row);
      });
    },

    /** Deletes a leaf nobody refers to: no children, org units, user scopes or live API tokens. */
    async remove(actor: Principal, id: string, meta: RequestMeta): Promise<void> {
      const r = await capturable(actor, id);
      try {
        await repo.transaction(async (trx) => {
          const deps = await repo.dependents(id, trx);
          if (deps.children > 0) throw new AppError('REGION_HAS_CHILDREN', { details: { children: deps.children } });
          if (deps.orgUnits > 0 || deps.userScopes > 0 || deps.apiTokens > 0) {
            throw new AppError('CONFLICT', {
              fields: [
                {
                  path: 'id',
                  code: 'in_use',
                  message: '该区划仍被机构、用户管辖范围或 API 令牌引用 / the division is still used by org units, user scopes or API tokens',
                },
              ],
              details: { orgUnits: deps.orgUnits, userScopes: deps.userScopes, apiTokens: deps.apiTokens },
            });
          }
          await repo.delete(id, trx);
          await audit.append(
            {
              ...auditContext(actor, meta),
              action: 'region.deleted',
              outcome: 'ok',
              targetType: 'region',
              targetId: id,
              regionId: id,
              regionPath: r.path,
              details: { code: r.code, name: r.name, level: r.level, parentId: r.parent_id },
            },
            trx,
          );
        });
      } catch (err) {
        // A record of another module still points here (foreign key): refuse rather than fail.
        if (pgErrorOf(err)?.code === '23503') {
          throw new AppError('CONFLICT', {
            fields: [{ path: 'id', code: 'in_use', message: '该区划仍被其他数据引用 / the division is still referenced by other records' }],
          });
        }
        throw err;
      }
    },
  };
}
export type RegionsService = ReturnType<typeof createRegionsService>;
