import type { FieldIssue } from '@gridgov/contracts/errors';
import type { CreateOrgUnitRequest, OrgUnit, OrgUnitKind, OrgUnitListQuery, RegionLevel, UpdateOrgUnitRequest } from '@gridgov/contracts/regions';
import { AppError } from '../../http/app-error.js';
import { canCapture, canView, type Principal } from '../../http/principal.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { pgErrorOf } from '../regions/regions.repository.js';
import { idsOnPath, viewRoots } from '../regions/subtree.js';
import type { OrgUnitRow, OrgUnitsRepository } from './orgunits.repository.js';

export interface OrgUnitsServiceDeps {
  repo: OrgUnitsRepository;
  audit: Pick<AuditRepository, 'append'>;
}

const toOrgUnit = (o: OrgUnitRow): OrgUnit => ({
  id: o.id,
  regionId: o.region_id,
  regionName: o.region_name,
  regionLevel: o.region_level,
  kind: o.kind,
  name: o.name,
  deptCode: o.dept_code,
  phone: o.phone,
});

const invalid = (issue: FieldIssue) => new AppError('VALIDATION_FAILED', { fields: [issue] });

/** 网格化服务管理中心 sit at district/street level, 工作站 at communities; departments serve a district or street. */
function checkKindAtLevel(kind: OrgUnitKind, level: RegionLevel) {
  const community = level === 'community';
  if (kind === 'station' && !community) {
    throw invalid({ path: 'kind', code: 'kind_level_mismatch', message: '工作站只能设在社区/村 / a station belongs to a community or village' });
  }
  if (kind !== 'station' && community) {
    throw invalid({
      path: 'kind',
      code: 'kind_level_mismatch',
      message: '社区/村只能设工作站，中心和职能部门设在区县或街道/乡镇 / a community has a station; centers and departments sit at district or street level',
    });
  }
}

const nameTaken = (name: string) =>
  new AppError('CONFLICT', {
    fields: [{ path: 'name', code: 'taken', message: `该区划下已有名为「${name}」的机构 / an org unit named "${name}" already exists at this division` }],
  });

/**
 * Centers, stations and departments. Anyone with region.read lists those in their view scope, plus
 * the departments at ancestor regions, which serve the regions below them; writes need capture scope.
 */
export function createOrgUnitsService({ repo, audit }: OrgUnitsServiceDeps) {
  /** A unit the caller may see (in view scope, or a department serving it from above), else NOT_FOUND. */
  async function visible(actor: Principal, id: string): Promise<OrgUnitRow> {
    const o = await repo.findById(id);
    if (!o) throw new AppError('NOT_FOUND');
    const servesScope = o.kind === 'department' && viewRoots(actor).some((root) => root.path.startsWith(o.region_path));
    if (!canView(actor, o.region_path) && !servesScope) throw new AppError('NOT_FOUND');
    return o;
  }

  async function unique(regionId: string, name: string, exceptId?: string) {
    if (await repo.nameTaken(regionId, name, exceptId)) throw nameTaken(name);
  }

  function mapUnique(err: unknown, name: string | undefined): never {
    const pg = pgErrorOf(err);
    if (pg?.code === '23505' && name) throw nameTaken(name);
    throw err;
  }

  return {
    async list(actor: Principal, q: OrgUnitListQuery): Promise<{ items: OrgUnit[]; total: number }> {
      let filter: { regionIds: string[]; subtreePaths: string[]; departmentRegionIds: string[] };
      if (q.regionId) {
        const region = await repo.region(q.regionId);
        if (!region || !canView(actor, region.path)) throw new AppError('NOT_FOUND');
        filter = { regionIds: [region.id], subtreePaths: [], departmentRegionIds: idsOnPath(region.path).slice(0, -1) };
      } else {
        const roots = viewRoots(actor);
        const above = new Set<string>();
        for (const root of roots) for (const id of idsOnPath(root.path).slice(0, -1)) above.add(id);
        filter = { regionIds: [], subtreePaths: roots.map((r) => r.path), departmentRegionIds: [...above] };
      }
      const { rows, total } = await repo.list({ ...filter, kind: q.kind, limit: q.limit, offset: q.offset });
      return { items: rows.map(toOrgUnit), total };
    },

    async create(actor: Principal, body: CreateOrgUnitRequest, meta: RequestMeta): Promise<OrgUnit> {
      const region = await repo.region(body.regionId);
      if (!region || !canView(actor, region.path)) throw new AppError('NOT_FOUND');
      if (!canCapture(actor, region.path)) throw new AppError('OUT_OF_SCOPE');
      checkKindAtLevel(body.kind, region.level);
      if (body.deptCode && body.kind !== 'department') {
        throw invalid({ path: 'deptCode', code: 'not_applicable', message: '只有职能部门有部门代码 / only a department has a department code' });
      }
      await unique(region.id, body.name);
      try {
        return await repo.transaction(async (trx) => {
          const id = await repo.insert(
            { regionId: region.id, kind: body.kind, name: body.name, deptCode: body.deptCode ?? null, phone: body.phone ?? null },
            trx,
          );
          await audit.append(
            {
              ...auditContext(actor, meta),
              action: 'orgunit.created',
              outcome: 'ok',
              targetType: 'org_unit',
              targetId: id,
              regionId: region.id,
              regionPath: region.path,
              details: { name: body.name, kind: body.kind, deptCode: body.deptCode ?? null },
            },
            trx,
          );
          const row = await repo.findById(id, trx);
          if (!row) throw new Error('inserted org unit not found');
          return toOrgUnit(row);
        });
      } catch (err) {
        mapUnique(err, body.name);
      }
    },

    async update(actor: Principal, id: string, body: UpdateOrgUnitRequest, meta: RequestMeta): Promise<OrgUnit> {
      const o = await visible(actor, id);
      if (!canCapture(actor, o.region_path)) throw new AppError('OUT_OF_SCOPE');
      if (body.deptCode && o.kind !== 'department') {
        throw invalid({ path: 'deptCode', code: 'not_applicable', message: '只有职能部门有部门代码 / only a department has a department code' });
      }
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      if (body.name !== undefined && body.name !== o.name) changes.name = { from: o.name, to: body.name };
      if (body.deptCode !== undefined && body.deptCode !== o.dept_code) changes.deptCode = { from: o.dept_code, to: body.deptCode };
      if (body.phone !== undefined && body.phone !== o.phone) changes.phone = { from: o.phone, to: body.phone };
      if (Object.keys(changes).length === 0) return toOrgUnit(o);
      if (changes.name) await unique(o.region_id, body.name as string, o.id);
      try {
        return await repo.transaction(async (trx) => {
          await repo.update(id, body, trx);
          await audit.append(
            {
              ...auditContext(actor, meta),
              action: 'orgunit.updated',
              outcome: 'ok',
              targetType: 'org_unit',
              targetId: id,
              regionId: o.region_id,
              regionPath: o.region_path,
              details: { name: o.name, changes },
            },
            trx,
          );
          const row = await repo.findById(id, trx);
          if (!row) throw new AppError('NOT_FOUND');
          return toOrgUnit(row);
        });
      } catch (err) {
        mapUnique(err, body.name);
      }
    },
  };
}
export type OrgUnitsService = ReturnType<typeof createOrgUnitsService>;
