import type { CoordSystem } from '@gridgov/contracts/geojson';
import { generateGridCode, parseGridCode, validateGridCode } from '@gridgov/contracts/grid-code';
import {
  ImportFeatureProperties,
  type ImportGridsRequest,
  type ImportProblem,
  type ImportReport,
  ImportShapefileFields,
  importPropertyAliases,
} from '@gridgov/contracts/gridio';
import { gridTypeLabels, staffDutyLabels } from '@gridgov/contracts/grids';
import type { Kysely } from 'kysely';
import { fromJson } from '../../db/json.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/app-error.js';
import { canCapture, canView, type Principal } from '../../http/principal.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import { nextGridCode, templateOf } from '../adjustments/grid-codes.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { type MultiPolygonJson, normaliseArea } from '../grids/geometry.js';
import { todayInChina } from '../grids/today.js';
import { crsFromGeoJson, crsFromPrj, type DeclaredCrs } from './crs.js';
import type { GridioRepository, RegionRow } from './gridio.repository.js';
import { readShapefileZip } from './shapefile-zip.js';

export interface GridioServiceDeps {
  repo: GridioRepository;
  audit: Pick<AuditRepository, 'append'>;
  today?: () => string;
}

const MAX_FEATURES = 5000;
const round = (n: number) => Math.round(n * 100) / 100;
const m2 = (n: number) => `${round(n).toLocaleString('en-US')} m²`;
type GridType = '01' | '02' | '03';

interface Planned {
  index: number;
  name: string | null;
  gridType: GridType;
  dedicatedKind: string | null;
  /** Given or derived from `seq`; null until assigned. */
  code: string | null;
  seq: number | null;
  replaces: { id: string; code: string } | null;
  geometry: MultiPolygonJson | null;
  areaM2: number;
}

/** The first present, non-empty attribute among the aliases of each property. */
function readProperties(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, aliases] of Object.entries(importPropertyAliases)) {
    for (const a of aliases) {
      const v = props[a];
      if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) continue;
      out[key] = typeof v === 'number' && key !== 'seq' ? String(v) : v;
      break;
    }
  }
  // 1 / '1' → '01' for the type attribute (numeric DBF fields drop the zero).
  if (typeof out.type === 'string' && /^[123]$/.test(out.type.trim())) out.type = `0${out.type.trim()}`;
  return out;
}

/**
 * Grid import and export. An import is analysed whole — every feature's attributes, code, geometry
 * (validity with PostGIS's reason, inside the community, no overlap with another feature or with the
 * community's current grids unless it replaces them) — and written only when there is no problem,
 * in one transaction: nothing is ever half imported.
 */
export function createGridioService({ repo, audit, today = todayInChina }: GridioServiceDeps) {
  async function capturableCommunity(actor: Principal, id: string): Promise<RegionRow> {
    const c = await repo.region(id);
    if (!c || !canView(actor, c.path)) throw new AppError('NOT_FOUND');
    if (!canCapture(actor, c.path)) throw new AppError('OUT_OF_SCOPE');
    if (c.level !== 'community') {
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ path: 'communityId', code: 'not_community', message: '网格须导入到社区/村 / grids are imported into a community or village' }],
      });
    }
    return c;
  }

  /** The coordinate system to read the file in: the request's, else the file's declaration. */
  function resolveCrs(requested: CoordSystem | undefined, declared: DeclaredCrs): { coordSystem: CoordSystem; source: 'request' | 'file' } {
    if (requested) return { coordSystem: requested, source: 'request' };
    if (declared.kind === 'known') return { coordSystem: declared.coordSystem, source: 'file' };
    if (declared.kind === 'unknown') {
      throw new AppError('IMPORT_CRS_UNKNOWN', {
        fields: [
          {
            path: 'crs',
            code: 'unknown_crs',
            message: `文件声明的坐标系「${declared.name}」不受支持（支持 WGS84 / EPSG:4326 / CRS84、CGCS2000 / EPSG:4490、GCJ02、BD09 的经纬度） / the declared coordinate system "${declared.name}" is not supported (WGS84, CGCS2000, GCJ02, BD09 longitude/latitude)`,
          },
        ],
        details: { crs: declared.name },
      });
    }
    throw new AppError('IMPORT_CRS_UNDECLARED', {
      fields: [
        {
          path: 'coordSystem',
          code: 'crs_undeclared',
          message: '文件未声明坐标系，请求中也未指定 / neither the file nor the request declares the coordinate system',
        },
      ],
    });
  }

  /** Every problem of every feature, and the plan when there is none. */
  async function analyse(community: RegionRow, features: readonly unknown[], coordSystem: CoordSystem, trx?: Kysely<DB>) {
    const problems: ImportProblem[] = [];
    const add = (index: number | null, field: string, code: string, zh: string, en: string, extra: Partial<ImportProblem> = {}) =>
      problems.push({ index, field, code, message: `${zh} / ${en}`, ...extra });
    const template = templateOf(await repo.codeTemplate(trx));
    const defaultType: GridType = community.kind === 'rural' ? '02' : '01';

    const planned: Planned[] = features.map((raw, index) => {
      const p: Planned = { index, name: null, gridType: defaultType, dedicatedKind: null, code: null, seq: null, replaces: null, geometry: null, areaM2: 0 };
      const f = raw as { type?: unknown; properties?: unknown; geometry?: unknown } | null;
      if (!f || typeof f !== 'object' || f.type !== 'Feature') {
        add(index, 'type', 'not_feature', '不是 GeoJSON 要素（Feature）', 'not a GeoJSON Feature');
        return p;
      }
      const props = f.properties && typeof f.properties === 'object' ? readProperties(f.properties as Record<string, unknown>) : {};
      const parsed = ImportFeatureProperties.safeParse(props);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const key = String(issue.path[0] ?? 'properties');
          const missing = issue.code === 'invalid_type' && props[key] === undefined;
          if (missing) add(index, `properties.${key}`, 'required', `缺少属性 ${key}`, `the property ${key} is missing`);
          else add(index, `properties.${key}`, issue.code, `属性 ${key} 不合法：${issue.message}`, `the property ${key} is not valid: ${issue.message}`);
        }
      } else {
        p.name = parsed.data.name;
        p.code = parsed.data.code ?? null;
        p.seq = parsed.data.seq ?? null;
        p.dedicatedKind = parsed.data.dedicatedKind ?? null;
        const fromCode = p.code ? parseGridCode(template, p.code)?.gridType : null;
        p.gridType = parsed.data.type ?? fromCode ?? defaultType;
        if (p.gridType === '03' && !p.dedicatedKind)
          add(index, 'properties.dedicatedKind', 'required', '专属网格须注明类别', 'a dedicated grid needs its kind');
        if (p.gridType !== '03') p.dedicatedKind = null;
      }
      const area = normaliseArea(f.geometry, coordSystem, 'geometry');
      for (const g of area.problems) add(index, g.path, g.code, g.reason.zh, g.reason.en);
      p.geometry = area.geojson;
      return p;
    });

    // Codes: the template, the community, duplicates in the file, codes already given.
    const existing = new Map(
      (
        await repo.gridsByCodes(
          planned.flatMap((p) => (p.code ? [p.code] : [])),
          trx,
        )
      ).map((g) => [g.code, g]),
    );
    const seenCode = new Map<string, number>();
    for (const p of planned) {
      if (p.name === null) continue;
      if (p.code) {
        const check = validateGridCode(template, p.code, { communityCode12: community.code, gridType: p.gridType });
        if (!check.ok) {
          add(
            p.index,
            'properties.code',
            'grid_code',
            `编码第 ${check.position} 位：${check.reason.zh}`,
            `code position ${check.position}: ${check.reason.en}`,
          );
          continue;
        }
        const seq = parseGridCode(template, p.code)?.seq ?? null;
        if (p.seq !== null && seq !== p.seq)
          add(p.index, 'properties.seq', 'seq_mismatch', `序号 ${p.seq} 与编码中的 ${seq} 不一致`, `seq ${p.seq} differs from ${seq} in the code`);
        p.seq = seq;
        const ex = existing.get(p.code);
        if (ex) {
          if (ex.community_id !== community.id || ex.valid_to !== null || ex.level !== 'grid') {
            add(
              p.index,
              'properties.code',
              'code_taken',
              `编码 ${p.code} 已被其他网格使用（或已撤销）`,
              `code ${p.code} belongs to another (or a retired) grid`,
              { other: p.code },
            );
          } else if (ex.grid_type !== p.gridType) {
            add(p.index, 'properties.type', 'type_change', `网格 ${p.code} 不能改变类型`, `grid ${p.code} cannot change its type`);
          } else {
            p.replaces = { id: ex.id, code: ex.code };
          }
        }
      } else if (p.seq !== null) {
        const r = generateGridCode(template, { communityCode12: community.code, seq: p.seq, gridType: p.gridType });
        if (!r.ok) add(p.index, 'properties.seq', 'grid_code', `编码第 ${r.position} 位：${r.reason.zh}`, `code position ${r.position}: ${r.reason.en}`);
        else p.code = r.code;
      }
      if (p.code) {
        const first = seenCode.get(p.code);
        if (first !== undefined) {
          add(p.index, 'properties.code', 'duplicate_in_file', `编码 ${p.code} 与第 ${first} 个要素重复`, `code ${p.code} repeats feature ${first}`, {
            other: first,
          });
        } else seenCode.set(p.code, p.index);
      }
    }
    const used = await repo.usedSeqsAndCodes(community.id, trx);
    const generatedTaken = planned.filter((p) => p.code && !p.replaces && used.codes.has(p.code) && !existing.has(p.code));
    for (const p of generatedTaken) {
      add(p.index, 'properties.seq', 'seq_taken', `序号 ${p.seq} 已被本社区网格 ${p.code} 使用`, `seq ${p.seq} is already used by grid ${p.code}`, {
        other: p.code as string,
      });
    }

    // Geometry in PostGIS: validity, inside the community, overlaps.
    const shaped = planned.filter((p) => p.geometry !== null);
    const findings = await repo.checkGeometries(
      shaped.map((p) => JSON.stringify(p.geometry)),
      trx,
    );
    const valid: Planned[] = [];
    for (const [k, f] of findings.entries()) {
      const p = shaped[k] as Planned;
      if (!f.valid) add(p.index, 'geometry', 'invalid_geometry', `几何图形无效：${f.reason}`, `invalid geometry: ${f.reason}`);
      else if (f.area_m2 <= 1) add(p.index, 'geometry', 'empty', '面积为零', 'the area is zero');
      else {
        p.areaM2 = round(f.area_m2);
        valid.push(p);
      }
    }
    const texts = valid.map((p) => JSON.stringify(p.geometry));
    for (const o of await repo.outsideCommunity(texts, community.id, trx)) {
      const p = valid[o.idx] as Planned;
      add(p.index, 'geometry', 'outside_community', `有 ${m2(o.area_m2)} 超出「${community.name}」边界`, `${m2(o.area_m2)} lies outside ${community.name}`, {
        areaM2: round(o.area_m2),
      });
    }
    for (const o of await repo.mutualOverlaps(texts, trx)) {
      const a = valid[o.a] as Planned;
      const b = valid[o.b] as Planned;
      add(b.index, 'geometry', 'overlap', `与第 ${a.index} 个要素重叠 ${m2(o.area_m2)}`, `overlaps feature ${a.index} by ${m2(o.area_m2)}`, {
        other: a.index,
        areaM2: round(o.area_m2),
      });
    }
    const replaced = valid.flatMap((p) => (p.replaces ? [p.replaces.id] : []));
    for (const o of await repo.overlapsWithCurrentGrids(texts, community.id, replaced, trx)) {
      const p = valid[o.idx] as Planned;
      add(p.index, 'geometry', 'overlaps_grid', `与现有网格 ${o.code} 重叠 ${m2(o.area_m2)}`, `overlaps the existing grid ${o.code} by ${m2(o.area_m2)}`, {
        other: o.code,
        areaM2: round(o.area_m2),
      });
    }

    problems.sort((x, y) => (x.index ?? -1) - (y.index ?? -1));
    if (problems.length === 0) {
      for (const p of planned) if (p.code) used.codes.add(p.code);
      for (const p of planned) if (p.seq !== null) used.seqs.add(p.seq);
      for (const p of planned) {
        if (p.code) continue;
        const next = nextGridCode({ template, communityCode: community.code, areaCode: '00', gridType: p.gridType, used });
        p.code = next.code;
        p.seq = next.seq;
      }
    }
    return { problems, planned };
  }

  async function runImport(
    actor: Principal,
    community: RegionRow,
    input: {
      features: readonly unknown[];
      requested: CoordSystem | undefined;
      declared: DeclaredCrs;
      mode: 'validate' | 'commit';
      format: string;
      layer?: string;
    },
    meta: RequestMeta,
  ): Promise<ImportReport> {
    if (input.features.length === 0) {
      throw new AppError('IMPORT_EMPTY', { fields: [{ path: 'data.features', code: 'empty', message: '文件中没有要素 / the file has no features' }] });
    }
    if (input.features.length > MAX_FEATURES) {
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ path: 'data.features', code: 'too_many', message: `一次最多导入 ${MAX_FEATURES} 个要素 / at most ${MAX_FEATURES} features at a time` }],
      });
    }
    const { coordSystem, source } = resolveCrs(input.requested, input.declared);
    const report = (problems: ImportProblem[], planned: Planned[], ids: Map<number, string>, committed: boolean): ImportReport => ({
      mode: input.mode,
      ok: problems.length === 0,
      committed,
      coordSystem,
      crsSource: source,
      features: input.features.length,
      problems,
      grids:
        problems.length === 0
          ? planned.map((p) => ({
              index: p.index,
              action: p.replaces ? ('replace' as const) : ('create' as const),
              id: ids.get(p.index) ?? p.replaces?.id ?? null,
              code: p.code as string,
              name: p.name as string,
              gridType: p.gridType,
              areaM2: p.areaM2,
            }))
          : [],
    });

    if (input.mode === 'validate') {
      const { problems, planned } = await analyse(community, input.features, coordSystem);
      return report(problems, planned, new Map(), false);
    }

    return repo.transaction(async (trx) => {
      await repo.lockCommunity(community.id, trx);
      const { problems, planned } = await analyse(community, input.features, coordSystem, trx);
      if (problems.length > 0) {
        throw new AppError('IMPORT_INVALID', {
          fields: problems.slice(0, 200).map((p) => ({
            path: p.index === null ? p.field : `data.features.${p.index}.${p.field}`,
            code: p.code,
            message: p.index === null ? p.message : `第 ${p.index} 个要素：${p.message}`,
          })),
          details: { problems, features: input.features.length },
        });
      }
      const day = today();
      const ids = new Map<number, string>();
      for (const p of planned) {
        const geojson = JSON.stringify(p.geometry);
        if (p.replaces) {
          await repo.updateGrid(p.replaces.id, { name: p.name as string, dedicatedKind: p.dedicatedKind }, trx);
          await repo.replaceBoundary(p.replaces.id, geojson, day, actor.userId, trx);
          continue;
        }
        const id = await repo.insertGrid(
          {
            communityId: community.id,
            code: p.code as string,
            name: p.name as string,
            gridType: p.gridType,
            dedicatedKind: p.dedicatedKind,
            areaCode: '00',
            seq: p.seq as number,
            validFrom: day,
          },
          trx,
        );
        await repo.insertBoundary({ gridId: id, geojson, validFrom: day, adjustmentId: null, createdBy: actor.userId }, trx);
        ids.set(p.index, id);
      }
      await repo.bumpIndexVersion(trx);
      await audit.append(
        {
          ...auditContext(actor, meta),
          action: 'grid.imported',
          outcome: 'ok',
          targetType: 'region',
          targetId: community.id,
          regionId: community.id,
          regionPath: community.path,
          details: {
            format: input.format,
            layer: input.layer ?? null,
            coordSystem,
            crsSource: source,
            features: input.features.length,
            created: planned.filter((p) => !p.replaces).map((p) => p.code),
            replaced: planned.filter((p) => p.replaces).map((p) => p.code),
          },
        },
        trx,
      );
      return report([], planned, ids, true);
    });
  }

  return {
    /** POST /api/grids/import: a GeoJSON FeatureCollection. */
    async importGeojson(actor: Principal, body: ImportGridsRequest, meta: RequestMeta): Promise<ImportReport> {
      const community = await capturableCommunity(actor, body.communityId);
      return runImport(
        actor,
        community,
        { features: body.data.features, requested: body.coordSystem, declared: crsFromGeoJson(body.data.crs), mode: body.mode, format: 'geojson' },
        meta,
      );
    },

    /** POST /api/grids/import/shapefile: multipart fields + one .zip. */
    async importShapefile(actor: Principal, upload: { fields: Record<string, string>; file: Uint8Array | null }, meta: RequestMeta): Promise<ImportReport> {
      const parsed = ImportShapefileFields.safeParse(upload.fields);
      if (!parsed.success) {
        throw new AppError('VALIDATION_FAILED', {
          fields: parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'body', code: i.code, message: i.message })),
        });
      }
      const community = await capturableCommunity(actor, parsed.data.communityId);
      if (!upload.file) {
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ path: 'file', code: 'required', message: '请上传 shapefile 的 .zip 文件 / upload the shapefile as a .zip' }],
        });
      }
      const shp = await readShapefileZip(upload.file);
      return runImport(
        actor,
        community,
        {
          features: shp.features,
          requested: parsed.data.coordSystem,
          declared: crsFromPrj(shp.prj),
          mode: parsed.data.mode,
          format: 'shapefile',
          layer: shp.layer,
        },
        meta,
      );
    },

    /** GET /api/grids/export.geojson: a community's or street's grids on a date, with codes and staff (audited). */
    async exportGeojson(actor: Principal, q: { regionId: string; on?: string }, meta: RequestMeta) {
      const region = await repo.region(q.regionId);
      if (!region || !canView(actor, region.path)) throw new AppError('NOT_FOUND');
      if (region.level !== 'community' && region.level !== 'street') {
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ path: 'query.regionId', code: 'community_or_street', message: '按社区或街道导出 / export a community or a street' }],
        });
      }
      const on = q.on ?? today();
      const rows = await repo.exportRows(region.path, on);
      const features = rows.map((r) => {
        const staff = fromJson<{ name: string; duty: keyof typeof staffDutyLabels }[]>(r.staff);
        return {
          type: 'Feature' as const,
          properties: {
            code: r.code,
            name: r.name,
            type: r.grid_type,
            typeName: gridTypeLabels[r.grid_type].zh,
            dedicatedKind: r.dedicated_kind,
            community: r.community,
            communityCode: r.community_code,
            street: r.street ?? '',
            staff: staff.map((s) => ({ name: s.name, duty: s.duty, dutyName: staffDutyLabels[s.duty]?.zh ?? s.duty })),
            validFrom: r.valid_from,
          },
          geometry: fromJson(r.geometry),
        };
      });
      await audit.append({
        ...auditContext(actor, meta),
        action: 'export',
        outcome: 'ok',
        targetType: 'region',
        targetId: region.id,
        regionId: region.id,
        regionPath: region.path,
        details: { what: 'grids', format: 'geojson', on, regionCode: region.code, grids: features.length },
      });
      return {
        filename: `网格-${region.name}-${on}.geojson`,
        body: {
          type: 'FeatureCollection' as const,
          name: `${region.name}网格（${on}）`,
          // Declared so the file imports back as it is (RFC 7946 readers ignore the member).
          crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } },
          features,
        },
      };
    },
  };
}
export type GridioService = ReturnType<typeof createGridioService>;
