import { type CaseStage, type CaseStatus, caseActionLabels, caseStageLabels, caseStatusLabels, openStatuses, terminalStatuses } from '@gridgov/contracts/cases';
import type { ErrorCode } from '@gridgov/contracts/errors';
import { maskIdNumber, maskPhone } from '@gridgov/contracts/identifiers';
import {
  OPEN311_COORD_DECIMALS,
  OPEN311_DEFAULT_DAYS,
  OPEN311_MAX_REQUESTS,
  type Open311CreatedRequest,
  type Open311CreateRequest,
  type Open311LifecycleStep,
  type Open311ListQuery,
  type Open311Service,
  type Open311ServiceDefinition,
  type Open311ServiceRequest,
  open311PrivateCategoryCodes,
  open311StatusOf,
} from '@gridgov/contracts/open311';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/app-error.js';
import { canCapture, type Principal } from '../../http/principal.js';
import type { PiiCipher } from '../../lib/pii-crypto.js';
import type { LimitUnit, WorkCalendar } from '../calendar/working-time.js';
import { toCstIso } from '../calendar/working-time.js';
import { createCaseRecord } from '../cases/case-create.js';
import { createCasesRepository } from '../cases/cases.repository.js';
import type { RateLimiter } from '../gridlookup/rate-limit.js';
import type { IncomingFile } from '../intake/attachments.service.js';
import { MediaFetchError, openMediaUrl } from './media-fetch.js';
import type { Open311Repository, RequestRow, ServiceRow, TimelineRow } from './open311.repository.js';

/** Where a point is handled (the intake's location rule: grid → its community; no grid → the enclosing region, flagged). */
export interface CaseLocator {
  locate(lng: number, lat: number): Promise<{ regionId: string; regionPath: string; gridId: string | null; noGrid: boolean }>;
  /** An address without a point (the grid lookup's address match); null when it matches nothing well enough. */
  locateAddress(address: string): Promise<{ regionId: string; regionPath: string; gridId: string | null; noGrid: boolean } | null>;
}

export interface Open311ServiceDeps {
  db: Kysely<DB>;
  repo: Open311Repository;
  /** tokens.service resolve: the principal behind an API token. */
  resolveToken(token: string): Promise<{ principal: Principal } | { failure: ErrorCode }>;
  locator: CaseLocator;
  pii: PiiCipher;
  calendar: { calendarFor(regionId?: string, trx?: Kysely<DB>): Promise<WorkCalendar> };
  /** Public (key-less) reads, per client address. */
  limiter: RateLimiter;
  /** media_url: downloaded and stored as the case's photo through the attachments' checks (left as a link when absent). */
  media?: {
    ingestPhoto(userId: string, file: IncomingFile): Promise<{ id: string }>;
    timeoutMs: number;
    maxBytes: number;
    privateHosts: boolean;
  };
  now?: () => Date;
}

/** Timeline actions the public never sees (internal notes, the resident's callback and rating, 催办). */
const HIDDEN_ACTIONS = ['note', 'callback', 'rate', 'urge', 'extension_request', 'extension_reject'];
/** Actions whose note is the public answer to the reporter (status_notes). */
const PUBLIC_NOTE_ACTIONS = ['reject', 'feedback', 'verify_pass', 'close', 'self_dispose', 'cancel', 'uphold'];
const PRIVATE = new Set(open311PrivateCategoryCodes);

const unitZh: Record<LimitUnit, string> = { working_hours: '个工作小时', working_days: '个工作日', natural_hours: '小时（自然时）' };

/** Phone and 身份证 numbers typed into free text are masked before the public sees it. */
export function maskPublicText(s: string): string {
  return s.replace(/(?<!\d)\d{17}[\dXx](?!\d)/g, (m) => maskIdNumber(m) ?? '').replace(/(?<!\d)1[3-9]\d{9}(?!\d)/g, (m) => maskPhone(m) ?? '');
}

function maskEmail(e: string): string {
  const at = e.indexOf('@');
  if (at <= 0) return '***';
  return `${e.slice(0, 1)}***${e.slice(at)}`;
}

const round = (v: number | null) => (v === null ? null : Number(v.toFixed(OPEN311_COORD_DECIMALS)));
const iso = (d: Date | string | null) => (d === null ? null : toCstIso(new Date(d).getTime()));

function keywordsOf(v: unknown): string[] {
  const k = typeof v === 'string' ? JSON.parse(v) : v;
  return Array.isArray(k) ? k.map(String) : [];
}

function limitsOf(v: unknown): Record<string, { amount: number; unit: LimitUnit }> {
  return (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, { amount: number; unit: LimitUnit }>;
}

function toService(s: ServiceRow): Open311Service {
  const handle = limitsOf(s.limits).handle;
  const limit = handle ? `处置时限 ${handle.amount}${unitZh[handle.unit]}` : '';
  return {
    service_code: s.code,
    service_name: s.name,
    description: [`${s.class_name} · ${s.name}`, limit, s.closure ? `结案标准：${s.closure}` : ''].filter(Boolean).join('。'),
    metadata: false,
    type: 'realtime',
    keywords: keywordsOf(s.keywords).join(','),
    group: s.class_name,
  };
}

/** Family name first for Chinese names (张 + 三), given name first otherwise. */
export function reporterName(first?: string, last?: string): string | null {
  if (!first && !last) return null;
  if (first && last) return /[\u4e00-\u9fff]/.test(first + last) ? `${last}${first}` : `${first} ${last}`;
  return (first ?? last) as string;
}

/** Open311 GeoReport v2 over the catalogue and the cases (see contracts/open311.ts for the decisions). */
export function createOpen311Service(deps: Open311ServiceDeps) {
  const { repo, db, locator, pii, calendar, limiter } = deps;
  const now = deps.now ?? (() => new Date());

  /** A key-less read counts against the caller's address; a valid api_key lifts the limit. */
  async function admitRead(apiKey: string | undefined, ip: string | null) {
    if (apiKey) {
      const r = await deps.resolveToken(apiKey);
      if ('principal' in r) return;
      throw new AppError(r.failure);
    }
    const wait = limiter.take(ip);
    if (wait > 0) throw new AppError('RATE_LIMITED', { details: { retryAfterSeconds: wait } });
  }

  function toRequest(r: RequestRow, steps: TimelineRow[]): Open311ServiceRequest {
    const status = r.status as CaseStatus;
    const open = open311StatusOf(status) === 'open';
    const isPublic = !PRIVATE.has(r.category_code);
    const lastNote = [...steps].reverse().find((s) => s.note)?.note ?? null;
    const stage = r.stage as CaseStage | null;
    const lifecycle: Open311LifecycleStep[] = steps.map((s) => ({
      action: s.action,
      action_zh: caseActionLabels[s.action as keyof typeof caseActionLabels]?.zh ?? s.action,
      status: s.to_status,
      status_zh: s.to_status ? (caseStatusLabels[s.to_status as CaseStatus]?.zh ?? s.to_status) : null,
      datetime: iso(s.created_at) as string,
    }));
    return {
      service_request_id: r.case_no,
      status: open311StatusOf(status),
      status_notes: isPublic && lastNote ? maskPublicText(lastNote) : null,
      service_name: r.category_name,
      service_code: r.category_code,
      description: isPublic ? maskPublicText(r.description) : null,
      agency_responsible: r.lead_name ?? r.region_name,
      service_notice: null,
      requested_datetime: iso(r.reported_at) as string,
      updated_datetime: iso(r.updated_at) as string,
      // The handle stage's due time once it is known, before that the current stage's; none once closed.
      expected_datetime: open ? iso(r.handle_due_at ?? r.stage_due_at) : null,
      address: isPublic ? (r.address ? maskPublicText(r.address) : null) : null,
      address_id: null,
      zipcode: null,
      lat: isPublic ? round(r.lat) : null,
      long: isPublic ? round(r.lng) : null,
      media_url: isPublic ? r.media_url : null,
      extended_attributes: {
        // Why media_url is not among the case's photos (the report was kept without it).
        media_error: isPublic ? r.media_error : null,
        case_no: r.case_no,
        status_code: status,
        status_zh: caseStatusLabels[status]?.zh ?? status,
        status_en: caseStatusLabels[status]?.en ?? status,
        stage,
        stage_zh: stage ? (caseStageLabels[stage]?.zh ?? stage) : null,
        channel: r.channel,
        public: isPublic,
        lifecycle,
      },
    };
  }

  async function withTimelines(rows: RequestRow[]): Promise<Open311ServiceRequest[]> {
    const steps = await repo.timelines(
      rows.map((r) => r.id),
      HIDDEN_ACTIONS,
      PUBLIC_NOTE_ACTIONS,
    );
    const byCase = new Map<string, TimelineRow[]>();
    for (const s of steps) {
      const list = byCase.get(s.case_id) ?? [];
      list.push(s);
      byCase.set(s.case_id, list);
    }
    return rows.map((r) => toRequest(r, byCase.get(r.id) ?? []));
  }

  /**
   * media_url as the case's photo, uploaded by the token's owner, before the case's transaction (a download must
   * not hold it open). Any failure — unreachable, refused address, not a picture, too large, the store down — is
   * returned, never thrown: the report is kept and the reason noted. Should the case's transaction fail after a
   * stored download, the photo stays unlinked and the cleanup job deletes it (ATTACHMENT_UNLINKED_MAX_HOURS).
   */
  async function storeMedia(url: string, userId: string): Promise<{ attachmentId: string } | { error: { zh: string; en: string } }> {
    const media = deps.media as NonNullable<Open311ServiceDeps['media']>;
    let file: Awaited<ReturnType<typeof openMediaUrl>> | null = null;
    try {
      file = await openMediaUrl(url, { timeoutMs: media.timeoutMs, maxBytes: media.maxBytes, privateHosts: media.privateHosts });
      const row = await media.ingestPhoto(userId, { stream: file.stream, filename: file.filename, truncated: file.truncated });
      return { attachmentId: row.id };
    } catch (err) {
      if (err instanceof MediaFetchError) return { error: { zh: err.zh, en: err.en } };
      if (err instanceof AppError && err.code === 'ATTACHMENT_TYPE')
        return { error: { zh: '不是 JPEG、PNG 或 WebP 图片', en: 'not a JPEG, PNG or WebP picture' } };
      if (err instanceof AppError && err.code === 'ATTACHMENT_TOO_LARGE') {
        const limit = Math.round((media.maxBytes / 1048576) * 10) / 10;
        return { error: { zh: `图片超过大小限制（最大 ${limit} MB）`, en: `the picture is larger than ${limit} MB` } };
      }
      return { error: { zh: '图片未能保存', en: 'the picture could not be stored' } };
    } finally {
      file?.stream.destroy();
    }
  }

  return {
    async services(apiKey: string | undefined, ip: string | null): Promise<Open311Service[]> {
      await admitRead(apiKey, ip);
      return (await repo.listServices()).map(toService);
    },

    /** metadata is false for every service: the definition has no attributes. */
    async serviceDefinition(code: string, apiKey: string | undefined, ip: string | null): Promise<Open311ServiceDefinition> {
      await admitRead(apiKey, ip);
      const s = await repo.serviceByCode(code);
      if (!s) throw new AppError('CATEGORY_UNKNOWN');
      return { service_code: s.code, attributes: [] };
    },

    /**
     * A report from an Open311 client: the api_key's token must hold `case.report`, the point must lie in the
     * token's regions; the case is created by createCaseRecord (channel open311, the token's owner as creator)
     * and the client fields are kept beside it, in one transaction.
     */
    async create(input: Open311CreateRequest): Promise<Open311CreatedRequest[]> {
      if (!input.api_key) throw new AppError('OPEN311_API_KEY_REQUIRED');
      const resolved = await deps.resolveToken(input.api_key);
      if (!('principal' in resolved)) throw new AppError(resolved.failure);
      const p = resolved.principal;
      if (!p.permissions.has('case.report') || !p.tokenId) throw new AppError('FORBIDDEN');

      const service = await repo.serviceByCode(input.service_code);
      if (!service) {
        throw new AppError('CATEGORY_UNKNOWN', { fields: [{ path: 'service_code', code: 'unknown', message: `未知的服务代码 ${input.service_code}` }] });
      }
      const hasPoint = input.lat !== undefined && input.long !== undefined;
      if (!hasPoint && !input.address_string) {
        throw new AppError('LOCATION_REQUIRED', { fields: [{ path: 'lat', code: 'required', message: '请提供 lat 与 long（WGS84 坐标）或 address_string' }] });
      }
      // Before the transaction: on PGlite the grid index refresh reads through `db`.
      const place = hasPoint ? await locator.locate(input.long as number, input.lat as number) : await locator.locateAddress(input.address_string as string);
      if (!place) {
        throw new AppError('LOCATION_REQUIRED', {
          fields: [{ path: 'address_string', code: 'not_found', message: '未能根据地址确定位置，请补充小区、道路或门牌，或提供 lat 与 long' }],
        });
      }
      if (!canCapture(p, place.regionPath)) {
        throw new AppError('LOCATION_OUTSIDE_JURISDICTION', {
          fields: [{ path: 'lat', code: 'outside', message: '该位置不在本接口令牌的管辖范围内' }],
        });
      }

      const description = input.description ?? service.name;
      const firstLine = description.split(/\r?\n/)[0]?.trim() || service.name;
      const title = firstLine.length > 40 ? `${firstLine.slice(0, 39)}…` : firstLine;
      const email = input.email ?? null;
      const media = input.media_url && deps.media ? await storeMedia(input.media_url, p.userId) : null;
      const mediaError = media && 'error' in media ? media.error : null;
      const at = now();
      const created = await db.transaction().execute(async (trx) => {
        const c = await createCaseRecord(
          trx,
          { pii, calendar, now: () => at },
          {
            channel: 'open311',
            categoryId: service.id,
            title,
            description,
            regionId: place.regionId,
            regionPath: place.regionPath,
            gridId: place.gridId,
            noGrid: place.noGrid,
            point: hasPoint ? { lng: input.long as number, lat: input.lat as number } : null,
            address: input.address_string ?? null,
            reporter: { userId: null, name: reporterName(input.first_name, input.last_name), phone: input.phone ?? null },
            createdBy: p.userId,
            reportedAt: at,
            attachmentIds: media && 'attachmentId' in media ? [media.attachmentId] : [],
          },
        );
        if (mediaError) {
          // For the staff on the case page (a note: the public lifecycle leaves notes out).
          await createCasesRepository(trx).appendAction(
            {
              caseId: c.case.id,
              action: 'note',
              fromStatus: c.case.status,
              toStatus: c.case.status,
              actorUserId: null,
              actorName: '系统',
              actorRole: 'system',
              note: `Open311 附件（media_url）未能获取：${mediaError.zh}。报告已保存，附件可联系上报方补充 / media_url could not be fetched: ${mediaError.en}; the report was kept`,
              data: { mediaUrl: input.media_url },
              at,
            },
            trx,
          );
        }
        await repo.insertRequest(
          {
            caseId: c.case.id,
            tokenId: p.tokenId as string,
            jurisdictionId: input.jurisdiction_id ?? null,
            deviceId: input.device_id ?? null,
            accountId: input.account_id ?? null,
            addressId: input.address_id ?? null,
            emailEnc: email ? pii.encrypt(email) : null,
            emailMasked: email ? maskEmail(email) : null,
            mediaUrl: input.media_url ?? null,
            mediaError: mediaError ? `${mediaError.zh} / ${mediaError.en}` : null,
          },
          trx,
        );
        return c;
      });
      const due = created.case.stage_due_at ? toCstIso(new Date(created.case.stage_due_at).getTime()) : null;
      return [
        {
          service_request_id: created.case.case_no,
          service_notice: `已收到您的反映，案卷编号 ${created.case.case_no}${due ? `，将于 ${due.slice(0, 16).replace('T', ' ')} 前受理` : ''}。${mediaError ? `附件图片未能获取（${mediaError.zh}），报告已保存。` : ''}`,
          account_id: input.account_id ?? null,
        },
      ];
    },

    /** The public list: the spec's filters; private categories left out; newest first, at most 1000. */
    async list(q: Open311ListQuery, apiKey: string | undefined, ip: string | null): Promise<Open311ServiceRequest[]> {
      await admitRead(apiKey, ip);
      const statuses = q.status?.length === 1 ? (q.status[0] === 'open' ? openList : closedList) : undefined;
      const byIds = !!q.service_request_id?.length;
      const to = q.end_date ? endOf(q.end_date) : undefined;
      let from = q.start_date ? startOf(q.start_date) : undefined;
      // The spec's default window: the last 90 days (unless ids are asked for).
      if (!from && !byIds) from = new Date((to ?? now()).getTime() - OPEN311_DEFAULT_DAYS * 86_400_000);
      if (from && to && from.getTime() > to.getTime()) {
        throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'end_date', code: 'before_start', message: 'end_date 早于 start_date' }] });
      }
      const rows = await repo.listRequests({
        caseNos: q.service_request_id,
        serviceCodes: q.service_code,
        from,
        to,
        statuses,
        excludeCodes: open311PrivateCategoryCodes,
        limit: Math.min(q.max_requests ?? OPEN311_MAX_REQUESTS, OPEN311_MAX_REQUESTS),
      });
      return withTimelines(rows);
    },

    /** One request by its id (our case number); a private category's case shows status and dates only. */
    async get(id: string, apiKey: string | undefined, ip: string | null): Promise<Open311ServiceRequest[]> {
      await admitRead(apiKey, ip);
      const row = await repo.requestByCaseNo(id);
      if (!row) throw new AppError('NOT_FOUND');
      return withTimelines([row]);
    },
  };
}
export type Open311Api = ReturnType<typeof createOpen311Service>;

const openList = openStatuses;
const closedList = terminalStatuses;

/** A bare date means the day in CST: start_date from its midnight, end_date through its end. */
const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);
const startOf = (v: string) => (isDay(v) ? new Date(Date.parse(`${v}T00:00:00+08:00`)) : new Date(v));
const endOf = (v: string) => (isDay(v) ? new Date(Date.parse(`${v}T00:00:00+08:00`) + 86_400_000) : new Date(v));
