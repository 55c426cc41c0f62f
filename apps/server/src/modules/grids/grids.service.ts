import type { AreaGeometry } from '@gridgov/contracts/geojson';
import {
  DEFAULT_GRID_CODE_TEMPLATE,
  GridCodeTemplate,
  generateGridCode,
  gridSeqPosition,
  maxGridSeq,
  parseGridCode,
  validateGridCode,
} from '@gridgov/contracts/grid-code';
import {
  type CreateGridRequest,
  type GridDetail,
  type GridFeatureCollection,
  type GridFeatureQuery,
  type GridListQuery,
  type GridSummary,
  gridCodeTemplateInfo,
  type SetGridCodeTemplateRequest,
  type UpdateBoundaryRequest,
  type UpdateGridRequest,
} from '@gridgov/contracts/grids';
import type { CodeCheck } from '@gridgov/contracts/region-code';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/app-error.js';
import { canCapture, canView, type Principal } from '../../http/principal.js';
import { actorOf, auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { pgErrorOf } from '../regions/regions.repository.js';
import { viewRoots } from '../regions/subtree.js';
import { type GeometryProblem, normaliseArea, parseBBox } from './geometry.js';
import type { GeometryRepository, Overlap } from './geometry.repository.js';
import type { GridPatch, GridRow, GridsRepository, RegionRef } from './grids.repository.js';
import { gridFlags } from './size-norms.js';
import { todayInChina } from './today.js';

export const CODE_TEMPLATE_KEY = 'grid.code_template';

export interface GridsServiceDeps {
  repo: GridsRepository;
  geo: GeometryRepository;
  audit: Pick<AuditRepository, 'append'>;
  /** The date grids are valid on when none is asked (China Standard Time). */
  today?: () => string;
}

type StaffRow = Awaited<ReturnType<GridsRepository['staffOf']>>[number];
type Failure = Extract<CodeCheck, { ok: false }>;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** PostGIS reasons (ST_IsValidDetail) in Chinese; others fall back to a general phrase with the original. */
const VALIDITY_ZH: Record<string, string> = {
  'Self-intersection': '边界自相交',
  'Ring Self-intersection': '环自相交',
  'Too few points': '坐标点过少',
  'Hole lies outside shell': '内环位于外环之外',
  'Nested holes': '内环相互嵌套',
  'Interior is disconnected': '多边形内部不连通',
  'Nested shells': '多边形相互嵌套',
  'Duplicate Rings': '存在重复的环',
  'Invalid Coordinate': '坐标无效',
};

export function geometryProblemsError(problems: GeometryProblem[]): AppError {
  const first = problems[0];
  return new AppError('GEOMETRY_INVALID', {
    fields: problems.map(({ path, code, message }) => ({ path, code, message })),
    details: { reason: first?.reason.en, reasonZh: first?.reason.zh, problems: problems.map(({ path, code, reason }) => ({ path, code, reason })) },
  });
}

export function codeError(check: Failure, template: GridCodeTemplate, path = 'code'): AppError {
  return new AppError('GRID_CODE_INVALID', {
    fields: [{ path, code: 'grid_code', message: `第 ${check.position} 位：${check.reason.zh} / position ${check.position}: ${check.reason.en}` }],
    details: { position: check.position, reason: check.reason, template },
  });
}

const codeTaken = (code: string) =>
  new AppError('GRID_CODE_TAKEN', { fields: [{ path: 'code', code: 'taken', message: `网格编码 ${code} 已存在 / grid code ${code} already exists` }] });

export function overlapError(overlaps: Overlap[], path = 'geometry'): AppError {
  return new AppError('GRID_OVERLAP', {
    fields: overlaps.map((o) => ({
      path,
      code: 'overlap',
      message: `与网格 ${o.code}（${o.name}）重叠 ${round2(o.areaM2)} 平方米 / overlaps grid ${o.code} (${o.name}) by ${round2(o.areaM2)} m²`,
    })),
    details: { overlaps: overlaps.map((o) => ({ gridId: o.id, code: o.code, name: o.name, areaM2: round2(o.areaM2) })) },
  });
}

export function outsideError(outsideM2: number, container: 'community' | 'parent', path = 'geometry'): AppError {
  const what = container === 'community' ? { zh: '所属社区/村的边界', en: 'the community boundary' } : { zh: '上级网格的边界', en: 'the parent grid' };
  return new AppError('GRID_OUTSIDE_COMMUNITY', {
    fields: [
      {
        path,
        code: 'outside_container',
        message: `有 ${round2(outsideM2)} 平方米超出${what.zh} / ${round2(outsideM2)} m² lie outside ${what.en}`,
      },
    ],
    details: { outsideAreaM2: round2(outsideM2), container },
  });
}

/**
 * Shape, CRS conversion (GCJ-02 / BD-09 → WGS84) and PostGIS validity of an area input: the WGS84
 * MultiPolygon as GeoJSON text, or GEOMETRY_INVALID with the reason (and where, for self-intersections).
 */
export async function checkedArea(geo: Pick<GeometryRepository, 'invalidity'>, geometry: unknown, coordSystem: string, path = 'geometry'): Promise<string> {
  const n = normaliseArea(geometry, coordSystem, path);
  if (!n.geojson) throw geometryProblemsError(n.problems);
  const json = JSON.stringify(n.geojson);
  const bad = await geo.invalidity(json);
  if (bad) {
    const zh = VALIDITY_ZH[bad.reason] ?? '边界图形不合法';
    const at = bad.location ? ` [${bad.location[0]}, ${bad.location[1]}]` : '';
    throw new AppError('GEOMETRY_INVALID', {
      fields: [{ path, code: 'invalid_geometry', message: `${zh}${at}（${bad.reason}） / ${bad.reason}${at}` }],
      details: { reason: bad.reason, reasonZh: zh, location: bad.location },
    });
  }
  return json;
}

const toSummary = (r: GridRow): GridSummary => ({
  id: r.id,
  code: r.code,
  name: r.name,
  level: r.level,
  gridType: r.grid_type,
  dedicatedKind: r.dedicated_kind as GridSummary['dedicatedKind'],
  communityId: r.community_id,
  communityName: r.community_name,
  parentGridId: r.parent_grid_id,
  areaM2: r.area_m2 === null ? null : round2(r.area_m2),
  households: r.baseline_households,
  population: r.baseline_population,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  flags: gridFlags(r),
});

/**
 * Grids: creation with a templated code and a checked boundary, attributes, versioned boundaries, the
 * list and the map features, all within the caller's scope (the grid's community path). Any write bumps
 * grid_index_version in its transaction, so every process's point→grid index reloads.
 */
export function createGridsService({ repo, geo, audit, today = todayInChina }: GridsServiceDeps) {
  async function viewableRegion(actor: Principal, id: string): Promise<RegionRef> {
    const r = await repo.region(id);
    if (!r || !canView(actor, r.path)) throw new AppError('NOT_FOUND');
    return r;
  }

  async function communityFor(actor: Principal, id: string): Promise<RegionRef> {
    const c = await viewableRegion(actor, id);
    if (c.level !== 'community') {
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ path: 'communityId', code: 'not_community', message: '网格只能归属社区/村 / a grid belongs to a community or village' }],
      });
    }
    if (!canCapture(actor, c.path)) throw new AppError('OUT_OF_SCOPE');
    return c;
  }

  async function viewableGrid(actor: Principal, id: string) {
    const g = await repo.find(id, today());
    if (!g || !canView(actor, g.community_path)) throw new AppError('NOT_FOUND');
    return g;
  }

  /** A grid the caller may change: in the capture scope and not retired. */
  async function writableGrid(actor: Principal, id: string) {
    const g = await viewableGrid(actor, id);
    if (!canCapture(actor, g.community_path)) throw new AppError('OUT_OF_SCOPE');
    if (g.valid_to !== null && g.valid_to <= today()) {
      throw new AppError('CONFLICT', {
        fields: [{ path: 'id', code: 'retired', message: `网格已于 ${g.valid_to} 撤销 / the grid was retired on ${g.valid_to}` }],
      });
    }
    return g;
  }

  async function template(): Promise<GridCodeTemplate> {
    const parsed = GridCodeTemplate.safeParse(await repo.setting(CODE_TEMPLATE_KEY));
    return parsed.success ? parsed.data : DEFAULT_GRID_CODE_TEMPLATE;
  }

  const checkedGeometry = (geometry: AreaGeometry, coordSystem: string) => checkedArea(geo, geometry, coordSystem);

  /** Inside the community (or parent grid), and no overlap with siblings unless saved as a draft. */
  async function checkPlacement(
    json: string,
    g: { communityId: string; level: string; parentGridId: string | null; excludeGridId?: string; draft: boolean },
    trx: Kysely<DB>,
  ): Promise<Overlap[]> {
    const on = today();
    const container = g.parentGridId ? { parentGridId: g.parentGridId, on } : { communityId: g.communityId };
    const outside = await geo.outsideM2(json, container, trx);
    if (outside !== null && outside > 0) throw outsideError(outside, g.parentGridId ? 'parent' : 'community');
    const overlaps = await geo.overlaps(json, { ...g, on }, trx);
    if (overlaps.length > 0 && !g.draft) throw overlapError(overlaps);
    return overlaps;
  }

  async function detail(id: string): Promise<GridDetail> {
    const g = await repo.find(id, today());
    if (!g) throw new AppError('NOT_FOUND');
    return toDetail(g, await repo.staffOf([id]));
  }

  function toDetail(g: GridRow & { geojson: string | null }, staff: StaffRow[]): GridDetail {
    return {
      ...toSummary(g),
      areaCode: g.area_code,
      seq: g.seq,
      landmarks: g.landmarks,
      station: (g.station as GridDetail['station']) ?? null,
      criteria: (g.criteria ?? {}) as GridDetail['criteria'],
      staff: staff.map((s) => ({ userId: s.user_id, username: s.username, displayName: s.display_name, duty: s.duty, since: s.since })),
      geometry: g.geojson ? (JSON.parse(g.geojson) as AreaGeometry) : null,
      flags: gridFlags(g),
    };
  }

  function audited(
    actor: Principal,
    meta: RequestMeta,
    action: string,
    g: { id: string; communityId: string; communityPath: string },
    details: Record<string, unknown>,
  ) {
    return {
      ...actorOf(actor),
      action,
      outcome: 'ok' as const,
      targetType: 'grid',
      targetId: g.id,
      regionId: g.communityId,
      regionPath: g.communityPath,
      ip: meta.ip,
      requestId: meta.requestId,
      details,
    };
  }

  return {
    async codeTemplate() {
      return gridCodeTemplateInfo(await template());
    },

    /** Changes the code layout new grids get; existing codes stay as they are (codes are published). */
    async setCodeTemplate(actor: Principal, body: z.infer<typeof SetGridCodeTemplateRequest>, meta: RequestMeta) {
      const before = await template();
      if (before !== body.template) {
        await repo.transaction(async (trx) => {
          await repo.putSetting(CODE_TEMPLATE_KEY, body.template, actor.kind === 'user' ? actor.userId : null, trx);
          await audit.append(
            {
              ...auditContext(actor, meta),
              action: 'setting.changed',
              outcome: 'ok',
              targetType: 'app_setting',
              targetId: CODE_TEMPLATE_KEY,
              details: { key: CODE_TEMPLATE_KEY, from: before, to: body.template },
            },
            trx,
          );
        });
      }
      return gridCodeTemplateInfo(body.template);
    },

    async create(actor: Principal, body: z.infer<typeof CreateGridRequest>, meta: RequestMeta): Promise<GridDetail> {
      const community = await communityFor(actor, body.communityId);
      if (body.gridType === '03' && !body.dedicatedKind) {
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ path: 'dedicatedKind', code: 'required', message: '专属网格须注明类别 / a dedicated grid needs its kind' }],
        });
      }
      if (body.gridType !== '03' && body.dedicatedKind) {
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ path: 'dedicatedKind', code: 'not_applicable', message: '只有专属网格（03）有类别 / only a dedicated grid (03) has a kind' }],
        });
      }
      let parentGridId: string | null = null;
      if (body.level === 'grid' && body.parentGridId) {
        throw new AppError('VALIDATION_FAILED', {
          fields: [
            {
              path: 'parentGridId',
              code: 'not_applicable',
              message: '网格不设上级网格；微网格和楼栋单元才有 / only micro-grids and building units have a parent grid',
            },
          ],
        });
      }
      if (body.level !== 'grid') {
        const parent = body.parentGridId ? await repo.find(body.parentGridId, today()) : undefined;
        if (!parent || parent.community_id !== community.id || (parent.valid_to !== null && parent.valid_to <= today())) {
          throw new AppError('VALIDATION_FAILED', {
            fields: [
              {
                path: 'parentGridId',
                code: 'invalid_parent',
                message: '微网格和楼栋单元须指定本社区现行的上级网格 / micro-grids and building units need a current parent grid of the same community',
              },
            ],
          });
        }
        parentGridId = parent.id;
      }

      const json = await checkedGeometry(body.geometry, body.coordSystem);
      const tpl = await template();
      const maxSeq = maxGridSeq(tpl);

      const id = crypto.randomUUID();
      const validFrom = today();
      try {
        return await repo.transaction(async (trx) => {
          let code: string;
          let seq: number;
          let areaCode = body.areaCode;
          if (body.code !== undefined) {
            const check = validateGridCode(tpl, body.code, { communityCode12: community.code, gridType: body.gridType });
            if (!check.ok) throw codeError(check, tpl);
            const parsed = parseGridCode(tpl, body.code);
            if (!parsed) throw new Error('a validated code did not parse');
            if (body.seq !== undefined && body.seq !== parsed.seq) {
              throw codeError(
                {
                  ok: false,
                  position: gridSeqPosition(tpl),
                  reason: { zh: `网格顺序码应为 ${body.seq}（与 seq 一致）`, en: `the grid sequence must be ${body.seq}, as seq says` },
                },
                tpl,
              );
            }
            code = body.code;
            seq = parsed.seq;
            if (parsed.area !== null) areaCode = parsed.area;
          } else {
            seq = body.seq ?? (await repo.nextSeq(community.id, trx));
            if (seq > maxSeq) {
              throw new AppError('GRID_CODE_INVALID', {
                fields: [
                  { path: 'seq', code: 'seq_exhausted', message: `社区网格顺序码已满（最多 ${maxSeq}） / no free grid sequence number left (max ${maxSeq})` },
                ],
                details: { template: tpl, max: maxSeq },
              });
            }
            const generated = generateGridCode(tpl, { communityCode12: community.code, areaCode, seq, gridType: body.gridType });
            if (!generated.ok) throw codeError(generated, tpl, body.seq !== undefined && generated.position === gridSeqPosition(tpl) ? 'seq' : 'code');
            code = generated.code;
          }
          if (await repo.codeTaken(code, trx)) throw codeTaken(code);

          const overlaps = await checkPlacement(json, { communityId: community.id, level: body.level, parentGridId, draft: body.draft }, trx);
          await repo.insertGrid(
            {
              id,
              communityId: community.id,
              parentGridId,
              level: body.level,
              code,
              name: body.name,
              gridType: body.gridType,
              dedicatedKind: body.dedicatedKind ?? null,
              areaCode,
              seq,
              landmarks: body.landmarks,
              station: body.station ?? null,
              criteria: body.criteria,
              validFrom,
            },
            trx,
          );
          await repo.insertBoundary({ gridId: id, geojson: json, validFrom, userId: actor.userId }, trx);
          await repo.bumpIndexVersion(trx);
          await audit.append(
            audited(
              actor,
              meta,
              'grid.created',
              { id, communityId: community.id, communityPath: community.path },
              {
                code,
                name: body.name,
                gridType: body.gridType,
                level: body.level,
                template: tpl,
                coordSystem: body.coordSystem,
                areaM2: round2(await geo.areaM2(json, trx)),
                draft: body.draft,
                ...(overlaps.length ? { overlaps: overlaps.map((o) => ({ code: o.code, areaM2: round2(o.areaM2) })) } : {}),
              },
            ),
            trx,
          );
          const g = await repo.find(id, validFrom, trx);
          if (!g) throw new Error('inserted grid not found');
          return toDetail(g, []);
        });
      } catch (err) {
        const pg = pgErrorOf(err);
        if (pg?.code === '23505' && pg.constraint.includes('code')) throw codeTaken(body.code ?? '');
        throw err;
      }
    },

    async list(actor: Principal, q: z.infer<typeof GridListQuery>) {
      const paths = q.regionId ? [(await viewableRegion(actor, q.regionId)).path] : viewRoots(actor).map((r) => r.path);
      const { rows, total } = await repo.list({
        paths,
        on: q.on ?? today(),
        q: q.q || undefined,
        gridType: q.gridType,
        flagged: q.flagged === undefined ? undefined : q.flagged === 'true',
        limit: q.limit,
        offset: q.offset,
      });
      return { items: rows.map(toSummary), total };
    },

    async get(actor: Principal, id: string): Promise<GridDetail> {
      const g = await viewableGrid(actor, id);
      return toDetail(g, await repo.staffOf([id]));
    },

    async update(actor: Principal, id: string, body: z.infer<typeof UpdateGridRequest>, meta: RequestMeta): Promise<GridDetail> {
      const g = await writableGrid(actor, id);
      const patch: GridPatch = {};
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      const note = <K extends keyof GridPatch>(key: K, from: unknown, to: GridPatch[K]) => {
        if (to === undefined || JSON.stringify(from) === JSON.stringify(to)) return;
        patch[key] = to;
        changes[key] = { from, to };
      };
      note('name', g.name, body.name);
      note('gridType', g.grid_type, body.gridType);
      note('landmarks', g.landmarks, body.landmarks);
      note('station', g.station, body.station as GridPatch['station']);
      note('criteria', g.criteria, body.criteria as GridPatch['criteria']);
      note('baselineHouseholds', g.baseline_households, body.baselineHouseholds);
      note('baselinePopulation', g.baseline_population, body.baselinePopulation);

      const type = body.gridType ?? g.grid_type;
      let kind = body.dedicatedKind === undefined ? g.dedicated_kind : body.dedicatedKind;
      if (type !== '03' && body.dedicatedKind === undefined) kind = null;
      if (type === '03' && !kind) {
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ path: 'dedicatedKind', code: 'required', message: '专属网格须注明类别 / a dedicated grid needs its kind' }],
        });
      }
      if (type !== '03' && kind) {
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ path: 'dedicatedKind', code: 'not_applicable', message: '只有专属网格（03）有类别 / only a dedicated grid (03) has a kind' }],
        });
      }
      note('dedicatedKind', g.dedicated_kind, kind);
      if (patch.baselineHouseholds !== undefined || patch.baselinePopulation !== undefined) patch.baselineAt = today();

      // The Shandong code carries the type in its last two digits: a new type gives a new code.
      const tpl = await template();
      if (patch.gridType && parseGridCode(tpl, g.code)?.gridType) {
        const code = `${g.code.slice(0, -2)}${patch.gridType}`;
        if (await repo.codeTaken(code)) throw codeTaken(code);
        note('code', g.code, code);
      }
      if (Object.keys(changes).length === 0) return toDetail(g, await repo.staffOf([id]));
      await repo.transaction(async (trx) => {
        await repo.updateGrid(id, patch, trx);
        await repo.bumpIndexVersion(trx);
        await audit.append(
          audited(actor, meta, 'grid.updated', { id, communityId: g.community_id, communityPath: g.community_path }, { code: g.code, changes }),
          trx,
        );
      });
      return detail(id);
    },

    /**
     * A new boundary version from today: the open version is closed (valid_to = today) and a new one opened;
     * a second change on the same day replaces today's version instead. Overlaps are refused unless draft.
     */
    async setBoundary(actor: Principal, id: string, body: z.infer<typeof UpdateBoundaryRequest>, meta: RequestMeta): Promise<GridDetail> {
      const g = await writableGrid(actor, id);
      const json = await checkedGeometry(body.geometry, body.coordSystem);
      const on = today();
      await repo.transaction(async (trx) => {
        const overlaps = await checkPlacement(
          json,
          {
            communityId: g.community_id,
            level: g.level,
            parentGridId: g.parent_grid_id,
            excludeGridId: id,
            draft: body.draft,
          },
          trx,
        );
        const open = await repo.openBoundary(id, trx);
        if (open && open.valid_from > on) {
          throw new AppError('CONFLICT', {
            fields: [
              {
                path: 'geometry',
                code: 'future_version',
                message: `已有自 ${open.valid_from} 起生效的边界 / a boundary taking effect on ${open.valid_from} is pending`,
              },
            ],
          });
        }
        let replaced = false;
        if (open && open.valid_from === on) {
          await repo.replaceBoundaryGeom(open.id, json, actor.userId, trx);
          replaced = true;
        } else {
          if (open) await repo.closeBoundary(open.id, on, trx);
          await repo.insertBoundary({ gridId: id, geojson: json, validFrom: on, userId: actor.userId }, trx);
        }
        await repo.bumpIndexVersion(trx);
        await audit.append(
          audited(
            actor,
            meta,
            'grid.boundary_changed',
            { id, communityId: g.community_id, communityPath: g.community_path },
            {
              code: g.code,
              validFrom: on,
              replacedSameDay: replaced,
              fromAreaM2: open ? round2(open.area_m2) : null,
              toAreaM2: round2(await geo.areaM2(json, trx)),
              coordSystem: body.coordSystem,
              draft: body.draft,
              ...(overlaps.length ? { overlaps: overlaps.map((o) => ({ code: o.code, areaM2: round2(o.areaM2) })) } : {}),
            },
          ),
          trx,
        );
      });
      return detail(id);
    },

    /** GeoJSON for the map: grids meeting the box, in the caller's view scope, at most `limit`. */
    async features(actor: Principal, q: z.infer<typeof GridFeatureQuery>): Promise<z.infer<typeof GridFeatureCollection>> {
      const box = parseBBox(q.bbox);
      if (!box.ok) throw new AppError('VALIDATION_FAILED', { fields: [{ path: box.problem.path, code: box.problem.code, message: box.problem.message }] });
      const rows = await repo.features({ bbox: box.bbox, on: q.on ?? today(), paths: viewRoots(actor).map((r) => r.path), limit: q.limit });
      const truncated = rows.length > q.limit;
      return {
        type: 'FeatureCollection',
        truncated,
        features: rows.slice(0, q.limit).map((r) => ({
          type: 'Feature' as const,
          id: r.id,
          geometry: JSON.parse(r.geojson) as AreaGeometry,
          properties: {
            id: r.id,
            code: r.code,
            name: r.name,
            gridType: r.grid_type,
            level: r.level,
            communityId: r.community_id,
            flags: gridFlags(r).map((f) => f.code),
          },
        })),
      };
    },
  };
}
export type GridsService = ReturnType<typeof createGridsService>;
