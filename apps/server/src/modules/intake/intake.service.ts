import { createHash } from 'node:crypto';
import type { CaseLocation } from '@gridgov/contracts/cases';
import { type CaseChannel, openStatuses, type Urgency } from '@gridgov/contracts/cases';
import type { FieldIssue } from '@gridgov/contracts/errors';
import {
  type CaseReportRequest,
  type CaseReportResult,
  type CaseSuggestResult,
  type DeviceAlarmRequest,
  deviceAlarmTypes,
  type HotlineCaseRequest,
} from '@gridgov/contracts/intake';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/app-error.js';
import { canCapture, type Principal } from '../../http/principal.js';
import type { PiiCipher } from '../../lib/pii-crypto.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import { type CreateCaseDeps, type CreateCaseInput, createCaseRecord, IdempotencyKeyTaken } from '../cases/case-create.js';
import { createCreationContextCache } from '../cases/creation-context-cache.js';
import type { GridIndexKeeper } from '../gridlookup/grid-index.js';
import { toWgs84Position } from '../grids/geometry.js';
import { isUniqueViolation } from '../places/common.js';
import { say } from './attachments.service.js';
import { catchAllCategory, suggestCategories } from './category-suggest.js';
import type { CaseResultRow, CategoryRow, IntakeRepository, RegionHit } from './intake.repository.js';

type Report = z.output<typeof CaseReportRequest>;
type Hotline = z.output<typeof HotlineCaseRequest>;
type Device = z.output<typeof DeviceAlarmRequest>;
type Location = z.output<typeof CaseLocation>;

/** A report may say it happened up to this far ahead (clock skew of a phone); later is TIMESTAMP_IN_FUTURE. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** Levels inside the installation's jurisdiction: a point in no grid goes to the deepest of these around it. */
const JURISDICTION_LEVELS = new Set(['district', 'street', 'community']);
const LEVEL_ZH: Record<string, string> = { province: '省', city: '市', district: '区县', street: '街道', community: '社区' };

export interface IntakeServiceDeps {
  repo: IntakeRepository;
  index: GridIndexKeeper;
  /** The grid lookup's address search (gridlookup.repository matchAddress). */
  matchAddress(address: string): Promise<{ grid_id: string; score: number; kind: string; text: string } | undefined>;
  pii: PiiCipher;
  calendar: CreateCaseDeps['calendar'];
  config: { duplicateRadiusM: number; duplicateWindowHours: number };
  /** The workflow's action entry point, for 自行处置 right after the report (absent until the workflow module is wired). */
  applyAction?: (p: Principal, caseId: string, body: { action: 'self_dispose'; note: string }, meta: RequestMeta) => Promise<unknown>;
  now?: () => Date;
}

interface Place {
  point: { lng: number; lat: number } | null;
  gridId: string | null;
  gridName: string | null;
  noGrid: boolean;
  region: { id: string; name: string; path: string };
  address: string | null;
}

const field = (path: string, code: string, message: string): FieldIssue => ({ path, code, message });
/** Where a new case is handled, as createCaseRecord takes it. */
const placed = (where: Place) => ({
  regionId: where.region.id,
  regionPath: where.region.path,
  gridId: where.gridId,
  noGrid: where.noGrid,
  point: where.point,
  address: where.address,
});

/** A stable JSON text: object keys sorted, so two equal bodies hash equally whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** sha-256 of the normalised report body (without the key itself; attachment order does not matter). */
export function reportHash(body: Report): string {
  const { idempotencyKey: _k, ...rest } = body;
  return createHash('sha256')
    .update(canonical({ ...rest, attachmentIds: [...rest.attachmentIds].sort() }))
    .digest('hex');
}

const toResult = (r: CaseResultRow, created: boolean, selfDisposeError: string | null = null): CaseReportResult => ({
  id: r.id,
  caseNo: r.case_no,
  title: r.title,
  status: r.status as CaseReportResult['status'],
  channel: r.channel as CaseReportResult['channel'],
  categoryId: r.category_id,
  categoryName: r.category_name,
  regionId: r.region_id,
  regionName: r.region_name,
  gridId: r.grid_id,
  gridName: r.grid_name,
  noGrid: r.no_grid,
  reportedAt: r.reported_at.toISOString(),
  created,
  selfDisposeError,
});

/**
 * Every intake channel: the report form (grid worker, resident, staff entering for a caller), the 12345 hotline
 * and device alarms (API tokens), category suggestions and duplicate candidates. Each creates its case through
 * the workflow's createCaseRecord in one transaction; an idempotency key (or the outside system's own id) makes
 * a retried submission return the case the first one made.
 */
export function createIntakeService(deps: IntakeServiceDeps) {
  const { repo } = deps;
  const now = deps.now ?? (() => new Date());
  const contexts = createCreationContextCache();
  let itemsCache: { at: number; items: CategoryRow[] } | null = null;

  /** Active catalogue items, cached for a few seconds (suggestions run on every keystroke of the form). */
  async function items(): Promise<CategoryRow[]> {
    const t = Date.now();
    if (!itemsCache || t - itemsCache.at > 5_000) itemsCache = { at: t, items: await repo.activeItems() };
    return itemsCache.items;
  }

  /** The category a report names, or the best match of its text, or the catch-all item. */
  async function chooseCategory(p: Principal, categoryId: string | undefined, text: string, path: string): Promise<CategoryRow> {
    const all = await items();
    if (categoryId) {
      const c = all.find((i) => i.id === categoryId) ?? (await repo.activeItems()).find((i) => i.id === categoryId);
      if (!c) throw new AppError('CATEGORY_UNKNOWN', { fields: [field(path, 'unknown', say(p, '未知或已停用的事项类别', 'unknown or inactive category'))] });
      return c;
    }
    const [best] = suggestCategories(all, text, 1);
    const c = (best && all.find((i) => i.id === best.id)) ?? catchAllCategory(all);
    if (!c) throw new AppError('CATEGORY_UNKNOWN', { fields: [field(path, 'required', say(p, '请选择事项类别', 'choose a category'))] });
    return c;
  }

  /** A point outside every district/street/community boundary: refused, naming the known region around it. */
  function outside(p: Principal, hits: RegionHit[]): AppError {
    const known = hits.find((h) => !JURISDICTION_LEVELS.has(h.level));
    const zh = known
      ? `该位置位于${known.name}，不在本平台管辖范围内，请向${known.name}相关部门反映`
      : '该位置不在本平台管辖范围内（不属于本平台任何区、街道或社区），请向当地相关部门反映';
    const en = known
      ? `The location is in ${known.name}, outside this jurisdiction; report it to ${known.name}`
      : 'The location is outside every district, street and community of this platform';
    return new AppError('LOCATION_OUTSIDE_JURISDICTION', {
      message: say(p, zh, en),
      fields: [field('location', 'outside', say(p, zh, en))],
      details: { region: known ? { name: known.name, level: known.level, levelName: LEVEL_ZH[known.level] ?? known.level } : null },
    });
  }

  /**
   * Grid → its community and name, kept while the grid index is the same object (grid writes rebuild it) and for
   * at most 30 s (a renamed grid shows its new name within that).
   */
  let communities: { index: unknown; at: number; byGrid: Map<string, Promise<Awaited<ReturnType<IntakeRepository['communityOfGrid']>>>> } | null = null;
  function communityOf(index: unknown, gridId: string) {
    const t = performance.now();
    if (!communities || communities.index !== index || t - communities.at > 30_000) communities = { index, at: t, byGrid: new Map() };
    const byGrid = communities.byGrid;
    let c = byGrid.get(gridId);
    if (!c) {
      c = repo.communityOfGrid(gridId);
      byGrid.set(gridId, c);
      c.then(
        (v) => {
          if (!v) byGrid.delete(gridId);
        },
        () => byGrid.delete(gridId),
      );
    }
    return c;
  }

  /** Location → grid (in-process index) → community; in no grid → the enclosing street/community, flagged. */
  async function place(
    p: Principal,
    location: Location | undefined,
    address: string | undefined,
    paths = { location: 'location', address: 'address' },
  ): Promise<Place> {
    if (location) {
      const [lng, lat] = toWgs84Position([location.lng, location.lat], location.crs);
      const index = await deps.index.ensureFresh();
      const gridId = index.lookup(lng, lat);
      if (gridId) {
        const community = await communityOf(index, gridId);
        if (community) return { point: { lng, lat }, gridId, gridName: community.grid_name, noGrid: false, region: community, address: address ?? null };
      }
      const hits = await repo.regionsAt(lng, lat);
      const inside = hits.find((h) => JURISDICTION_LEVELS.has(h.level));
      if (!inside) throw outside(p, hits);
      return {
        point: { lng, lat },
        gridId: null,
        gridName: null,
        noGrid: true,
        region: { id: inside.id, name: inside.name, path: inside.path },
        address: address ?? null,
      };
    }
    if (address) {
      const best = await deps.matchAddress(address);
      if (best && best.score >= 0.5) {
        const community = await repo.communityOfGrid(best.grid_id);
        if (community) {
          // A community name alone does not say which grid: the community's station takes it, flagged as no grid.
          if (best.kind === 'community') return { point: null, gridId: null, gridName: null, noGrid: true, region: community, address };
          return { point: null, gridId: best.grid_id, gridName: community.grid_name, noGrid: false, region: community, address };
        }
      }
      throw new AppError('LOCATION_REQUIRED', {
        message: say(
          p,
          '未能根据地址确定位置，请补充小区、道路或门牌，或在地图上标注',
          'The address could not be placed; add detail or mark the location on the map',
        ),
        fields: [field(paths.address, 'not_found', say(p, '未能根据地址确定位置', 'address not found'))],
      });
    }
    throw new AppError('LOCATION_REQUIRED', {
      message: say(p, '请标注位置或填写地址', 'Give a location or an address'),
      fields: [field(paths.location, 'required', say(p, '请标注位置或填写地址', 'give a location or an address'))],
    });
  }

  function checkTime(p: Principal, iso: string | undefined, path: string): Date | null {
    if (!iso) return null;
    const t = new Date(iso);
    if (t.getTime() > now().getTime() + FUTURE_TOLERANCE_MS) {
      throw new AppError('TIMESTAMP_IN_FUTURE', { fields: [field(path, 'in_future', say(p, '时间不能晚于当前时间', 'must not be in the future'))] });
    }
    return t;
  }

  function checkScope(p: Principal, where: Place) {
    // Residents report anywhere in the jurisdiction; staff and tokens within their capture scope.
    if (p.role === 'resident' && p.kind === 'user') return;
    if (!canCapture(p, where.region.path)) {
      throw new AppError('OUT_OF_SCOPE', {
        message: say(p, `该位置属于${where.region.name}，不在您的管辖范围内`, `The location is in ${where.region.name}, outside your jurisdiction`),
      });
    }
  }

  const defaultTitle = (category: CategoryRow, where: Place) => `${category.name} · ${where.address ?? where.region.name}`.slice(0, 120);

  /**
   * Runs the creation in one transaction; a unique violation on the idempotency key or the outside id means a
   * concurrent submission won: its case is read back instead (the loser's transaction wrote nothing).
   */
  async function createOnce(
    input: CreateCaseInput,
    extra: { idemHash: string | null; occurredAt: Date | null },
    names: { category: CategoryRow; where: Place },
    existing: () => Promise<CaseResultRow | undefined>,
  ): Promise<{ row: CaseResultRow; created: boolean }> {
    try {
      const create = async (trx: Kysely<DB>) =>
        (await createCaseRecord(trx, { pii: deps.pii, calendar: deps.calendar, now, contexts }, { ...input, intake: extra })).case;
      // Without attachments the case and its first entry are one statement: no transaction, one round trip.
      const c = input.attachmentIds?.length ? await repo.transaction(create) : await create(repo.db);
      // The answer from what was written (no read-back: intake is the hot path).
      const row: CaseResultRow = {
        id: c.id,
        case_no: c.case_no,
        title: c.title,
        status: c.status,
        channel: c.channel,
        category_id: c.category_id,
        category_name: names.category.name,
        region_id: c.region_id,
        region_name: names.where.region.name,
        grid_id: c.grid_id,
        grid_name: names.where.gridName,
        no_grid: c.no_grid,
        reported_at: c.reported_at,
        idem_hash: extra.idemHash,
        reporter_user_id: c.reporter_user_id,
        region_path: c.region_path,
      };
      return { row, created: true };
    } catch (err) {
      if (err instanceof IdempotencyKeyTaken || isUniqueViolation(err, 'event_case_idem_uq') || isUniqueViolation(err, 'event_case_external_uq')) {
        const row = await existing();
        if (row) return { row, created: false };
      }
      throw err;
    }
  }

  function conflictIfDifferent(row: CaseResultRow, hash: string) {
    if (row.idem_hash !== null && row.idem_hash !== hash) {
      throw new AppError('IDEMPOTENCY_CONFLICT', { details: { caseId: row.id, caseNo: row.case_no } });
    }
  }

  /** A report's checks, then its case (report() answers a retry with the first submission's case). */
  async function createReported(
    p: Principal,
    body: Report,
    key: string | undefined,
    scope: string,
    hash: string,
    meta: RequestMeta,
  ): Promise<CaseReportResult> {
    const occurredAt = checkTime(p, body.occurredAt, 'occurredAt');
    const isResident = p.role === 'resident';
    if (body.proxy && (isResident || p.kind === 'token')) {
      throw new AppError('FORBIDDEN', { message: say(p, '只有工作人员可以代录', 'Only staff may enter a report for a caller') });
    }
    const where = await place(p, body.location, body.address);
    const category = await chooseCategory(p, body.categoryId, body.description, 'categoryId');
    checkScope(p, where);
    if (body.selfDispose) {
      if (!['grid_worker', 'grid_leader'].includes(p.role) || body.proxy) {
        throw new AppError('CASE_ACTION_FORBIDDEN', { message: say(p, '只有网格员可以自行处置', 'Only grid staff may resolve on the spot') });
      }
      if (!category.self_dispose) {
        throw new AppError('CASE_ACTION_FORBIDDEN', {
          message: say(p, `“${category.name}”不允许网格员自行处置`, `"${category.name}" may not be resolved on the spot`),
          fields: [field('selfDispose', 'not_allowed', say(p, '该事项不允许自行处置', 'not allowed for this category'))],
        });
      }
      if (!body.selfDisposeNote)
        throw new AppError('CASE_NOTE_REQUIRED', { fields: [field('selfDisposeNote', 'required', say(p, '请填写处置情况', 'describe what was done'))] });
    }

    const channel: CaseChannel = body.proxy ? 'staff_proxy' : isResident ? 'resident' : 'grid_worker';
    const t = now();
    const { row, created } = await createOnce(
      {
        channel,
        channelDetail: body.proxy?.channelDetail ?? null,
        idemScope: key ? scope : null,
        idempotencyKey: key ?? null,
        categoryId: category.id,
        title: body.title ?? defaultTitle(category, where),
        description: body.description,
        urgency: body.urgency,
        ...placed(where),
        peopleInvolved: body.peopleInvolved ?? null,
        reporter: body.proxy
          ? { userId: null, name: body.proxy.callerName, phone: body.proxy.callerPhone ?? null }
          : { userId: p.userId, name: p.displayName, phone: null },
        createdBy: p.userId,
        reportedAt: t,
        attachmentIds: body.attachmentIds,
      },
      { idemHash: key ? hash : null, occurredAt },
      { category, where },
      () => (key ? repo.caseByIdem(scope, key) : Promise.resolve(undefined)),
    );
    if (!created) {
      conflictIfDifferent(row, hash);
      return toResult(row, false);
    }
    if (!body.selfDispose) return toResult(row, true);
    if (!deps.applyAction)
      return toResult(row, true, say(p, '自行处置暂不可用，案件已按上报处理', 'Resolving on the spot is not available; the case was reported'));
    try {
      await deps.applyAction(p, row.id, { action: 'self_dispose', note: body.selfDisposeNote as string }, meta);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return toResult(row, true, err.message !== err.code ? err.message : err.code);
    }
    return toResult((await repo.caseResult(row.id)) ?? row, true);
  }

  return {
    /** POST /api/cases: a report by a grid worker, a resident, or staff entering for a caller. */
    async report(p: Principal, body: Report, headerKey: string | undefined, meta: RequestMeta): Promise<CaseReportResult> {
      const key = headerKey ?? body.idempotencyKey;
      if (headerKey && body.idempotencyKey && headerKey !== body.idempotencyKey) {
        throw new AppError('VALIDATION_FAILED', {
          fields: [field('idempotencyKey', 'mismatch', say(p, '请求头与请求体中的幂等键不一致', 'the Idempotency-Key header and the body disagree'))],
        });
      }
      const scope = p.kind === 'token' ? `token:${p.tokenId}` : `user:${p.userId}`;
      const hash = reportHash({ ...body, idempotencyKey: undefined });
      // A retry is answered with the first submission's case: the insert itself finds the key taken (no read
      // first: intake is the hot path), and a retry that the checks below would now refuse (the category was
      // retired meanwhile, the grid redrawn) looks for it before refusing.
      try {
        return await createReported(p, body, key, scope, hash, meta);
      } catch (err) {
        if (!key || !(err instanceof AppError)) throw err;
        const earlier = await repo.caseByIdem(scope, key);
        if (!earlier) throw err;
        conflictIfDifferent(earlier, hash);
        return toResult(earlier, false);
      }
    },

    /** POST /api/cases/suggest: categories for the text, open cases of that category nearby. */
    async suggest(p: Principal, body: { text?: string; location?: Location; categoryId?: string }): Promise<CaseSuggestResult> {
      const all = await items();
      const categories = body.text ? suggestCategories(all, body.text) : [];
      const radiusM = deps.config.duplicateRadiusM;
      const windowHours = deps.config.duplicateWindowHours;
      let duplicates: CaseSuggestResult['duplicates'] = [];
      if (body.location) {
        const [lng, lat] = toWgs84Position([body.location.lng, body.location.lat], body.location.crs);
        const categoryIds = body.categoryId ? [body.categoryId] : categories.length ? categories.slice(0, 3).map((c) => c.id) : null;
        // Staff see candidates in their view; a resident (no case.read) sees candidates anywhere, titled by category only.
        const reader = p.permissions.has('case.read');
        const rows = await repo.duplicates({
          lng,
          lat,
          radiusM,
          since: new Date(now().getTime() - windowHours * 3600_000),
          categoryIds,
          openStatuses,
          scopePaths: reader ? [...p.view, ...p.capture].map((s) => s.path) : null,
          limit: 10,
        });
        duplicates = rows.map((r) => ({
          id: r.id,
          caseNo: r.case_no,
          title: reader ? r.title : r.category_name,
          status: r.status as CaseSuggestResult['duplicates'][number]['status'],
          categoryName: r.category_name,
          distanceM: Math.round(r.distance_m * 10) / 10,
          reportedAt: r.reported_at.toISOString(),
        }));
      }
      return { categories, duplicates, radiusM, windowHours };
    },

    /** POST /api/integrations/hotline/cases: a 12345 工单; a re-sent 工单号 returns the case made the first time. */
    async hotline(p: Principal, body: Hotline): Promise<CaseReportResult> {
      requireToken(p);
      const earlier = await repo.caseByExternal('hotline', body.工单号);
      if (earlier) return toResult(earlier, false);
      const acceptedAt = checkTime(p, body.受理时间, '受理时间');
      const where = await place(p, body.坐标, body.地址, { location: '坐标', address: '地址' });
      let categoryId: string | undefined;
      if (body.类别) {
        const c = await repo.categoryByCode(body.类别);
        if (c?.kind !== 'item' || !c.active) {
          throw new AppError('CATEGORY_UNKNOWN', {
            fields: [field('类别', 'unknown', say(p, `未知或已停用的事项类别：${body.类别}`, `unknown category ${body.类别}`))],
          });
        }
        categoryId = c.id;
      }
      const category = await chooseCategory(p, categoryId, body.诉求内容, '类别');
      checkScope(p, where);
      const t = now();
      const { row, created } = await createOnce(
        {
          channel: 'hotline',
          externalId: body.工单号,
          categoryId: category.id,
          title: body.标题 ?? defaultTitle(category, where),
          description: body.诉求内容,
          urgency: body.紧急程度 as Urgency,
          ...placed(where),
          reporter: { userId: null, name: body.来电人 ?? null, phone: body.电话 ?? null },
          createdBy: p.userId,
          // The hotline's acceptance time starts our clock (never later than now).
          reportedAt: acceptedAt && acceptedAt < t ? acceptedAt : t,
          attachmentIds: body.附件,
        },
        { idemHash: null, occurredAt: acceptedAt },
        { category, where },
        () => repo.caseByExternal('hotline', body.工单号),
      );
      return toResult(row, created);
    },

    /** POST /api/integrations/devices/alarms: a device or video alarm; a re-sent alarm returns its case. */
    async deviceAlarm(p: Principal, body: Device): Promise<CaseReportResult> {
      requireToken(p);
      const externalId = `${body.deviceId}:${body.alarmId}`;
      const earlier = await repo.caseByExternal('device', externalId);
      if (earlier) return toResult(earlier, false);
      const occurredAt = checkTime(p, body.occurredAt, 'occurredAt');
      const where = await place(p, body.location, undefined);
      const type = deviceAlarmTypes[body.alarmType];
      const code = body.categoryCode ?? type.code;
      const c = await repo.categoryByCode(code);
      if (c?.kind !== 'item' || !c.active) {
        throw new AppError('CATEGORY_UNKNOWN', {
          fields: [field('categoryCode', 'unknown', say(p, `未知或已停用的事项类别：${code}`, `unknown category ${code}`))],
        });
      }
      const category = await chooseCategory(p, c.id, '', 'categoryCode');
      checkScope(p, where);
      const { row, created } = await createOnce(
        {
          channel: 'device',
          channelDetail: body.deviceId,
          externalId,
          categoryId: category.id,
          title: `${type.zh}告警 · ${where.region.name}`.slice(0, 120),
          description: body.description || `设备 ${body.deviceId} 告警：${type.zh}`,
          urgency: body.urgency as Urgency,
          ...placed(where),
          address: null,
          reporter: { userId: null, name: `设备 ${body.deviceId}`, phone: null },
          createdBy: p.userId,
          reportedAt: now(),
          attachmentIds: body.snapshotAttachmentId ? [body.snapshotAttachmentId] : [],
        },
        { idemHash: null, occurredAt },
        { category, where },
        () => repo.caseByExternal('device', externalId),
      );
      return toResult(row, created);
    },
  };
}

/** The integration endpoints answer API tokens only (a person uses the report form). */
function requireToken(p: Principal) {
  if (p.kind !== 'token') {
    throw new AppError('FORBIDDEN', { message: say(p, '集成接口须使用 API 令牌调用', 'Integration endpoints take an API token') });
  }
}

export type IntakeService = ReturnType<typeof createIntakeService>;
