import { type CaseChannel, caseChannelLabels, type Urgency } from '@gridgov/contracts/cases';
import { maskPhone } from '@gridgov/contracts/identifiers';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/app-error.js';
import type { PiiCipher } from '../../lib/pii-crypto.js';
import type { WorkCalendar } from '../calendar/working-time.js';
import { cstDate } from '../calendar/working-time.js';
import { computeStageClock, parseLimits } from './case-clock.js';
import { type CaseRow, type CategoryRules, createCasesRepository } from './cases.repository.js';
import type { CreationContextCache } from './creation-context-cache.js';

/** What every intake channel (report form, proxy entry, hotline, device, Open311) hands over to create a case. */
export interface CreateCaseInput {
  channel: CaseChannel;
  /** Proxy entry: phone | walk_in | opinion_box | other. */
  channelDetail?: string | null;
  /** The outside system's own id (12345 工单号, device alarm id, Open311 client id). */
  externalId?: string | null;
  /** Who may retry under one idempotency key: 'user:<id>' or 'token:<id>' (the caller checks for an earlier case first). */
  idemScope?: string | null;
  idempotencyKey?: string | null;
  /** A catalogue item; its current rules version is recorded on the case. */
  categoryId: string;
  title: string;
  description: string;
  urgency?: Urgency;
  /** Where the case is handled: the grid's community, or the enclosing region when the point lies in no grid. */
  regionId: string;
  regionPath: string;
  gridId: string | null;
  noGrid: boolean;
  /** WGS84 (convert other systems before). */
  point: { lng: number; lat: number } | null;
  address?: string | null;
  peopleInvolved?: string | null;
  reporter: { userId: string | null; name: string | null; phone: string | null };
  /** The user who entered it (the reporter, the proxy clerk, a token's owner). */
  createdBy: string | null;
  reportedAt: Date;
  /** The report body's hash under its idempotency key, and when the reporter says it happened. */
  intake?: { idemHash: string | null; occurredAt: Date | null };
  /** Attachments uploaded beforehand by `createdBy` (purpose 'report'). */
  attachmentIds?: readonly string[];
}

export interface CreateCaseDeps {
  pii: PiiCipher;
  /** The calendar service (calendar.service.ts); called with the transaction. */
  calendar: { calendarFor(regionId?: string, trx?: Kysely<DB>): Promise<WorkCalendar> };
  now?: () => Date;
  /** Intake's cache of what creation reads (creation-context-cache.ts); without it the context is read each time. */
  contexts?: CreationContextCache;
}

export interface CreatedCase {
  case: CaseRow;
  category: CategoryRules;
  /** Calendar warnings of the first stage clock (a year without a holiday schedule). */
  warnings: { code: string; zh: string; en: string }[];
}

/**
 * Creates one case with `trx`: allocates the case number (district code + CST date + sequence, e.g.
 * 370118-20261203-000042), records the category's current rules version, its handling level and default lead org
 * unit, encrypts and masks the reporter's phone, writes timeline entry 1 ('report'), links the attachments and
 * starts the acceptance clock. The case and its first entry are one statement, so `trx` may be the database itself
 * when there are no attachments (linking them is a second statement: pass a transaction). Refuses an unknown or
 * inactive category (CATEGORY_UNKNOWN), a future report time (TIMESTAMP_IN_FUTURE) and attachments that are not the
 * creator's unlinked uploads (ATTACHMENT_UNKNOWN); an idempotency key an earlier case holds throws
 * IdempotencyKeyTaken (nothing written).
 */
export async function createCaseRecord(trx: Kysely<DB>, deps: CreateCaseDeps, input: CreateCaseInput): Promise<CreatedCase> {
  const repo = createCasesRepository(trx);
  const now = (deps.now ?? (() => new Date()))();
  if (input.reportedAt.getTime() > now.getTime() + 60_000) throw new AppError('TIMESTAMP_IN_FUTURE');
  const phone = input.reporter.phone?.trim() || null;
  const phoneEnc = phone ? deps.pii.encrypt(phone) : null;
  const cal = await deps.calendar.calendarFor(input.regionId, trx);

  const load = () => repo.creationContext(input.categoryId, input.regionPath, trx);
  let fromCache = !!deps.contexts;
  let ctx = deps.contexts ? await deps.contexts.get(input.categoryId, input.regionPath, load) : await load();
  // A cached context is read again when it refuses the category or its rules version is no longer current (at
  // most twice: a catalogue edited twice within the round trip is not worth a loop).
  for (let attempt = 0; ; attempt++) {
    const category = ctx?.category;
    if (!ctx || category?.kind !== 'item' || !category.active) {
      if (!fromCache) throw new AppError('CATEGORY_UNKNOWN');
      deps.contexts?.drop(input.categoryId, input.regionPath);
      fromCache = false;
      ctx = await load();
      continue;
    }
    const limits = parseLimits(category.limits);
    if (!ctx.district) throw new Error(`case number: no region on path ${input.regionPath}`);
    // District code + CST date + a sequence, e.g. 370118-20261203-000042 (numbered by the database in the insert).
    const caseNo = sql<string>`${`${ctx.district.slice(0, 6)}-${cstDate(now.getTime()).replaceAll('-', '')}-`} || lpad(nextval('event_case_no_seq')::text, 6, '0')`;
    const lead = (category.dept_code ? ctx.dept_id : null) ?? ctx.center_id;
    const clock = computeStageClock(
      { status: 'reported', suspended: false, stageStartedAt: input.reportedAt, reportedAt: input.reportedAt, stageExtension: null },
      limits,
      cal,
      [],
      now.getTime(),
    );

    const made = await repo.insertReportedCase(
      {
        case_no: caseNo as unknown as string,
        channel: input.channel,
        channel_detail: input.channelDetail ?? null,
        external_id: input.externalId ?? null,
        idem_scope: input.idemScope ?? null,
        idempotency_key: input.idempotencyKey ?? null,
        category_id: category.id,
        category_version: category.version,
        title: input.title,
        description: input.description,
        urgency: input.urgency ?? 'normal',
        status: 'reported',
        region_id: input.regionId,
        region_path: input.regionPath,
        grid_id: input.gridId,
        no_grid: input.noGrid,
        address: input.address ?? null,
        people_involved: input.peopleInvolved ?? null,
        reporter_user_id: input.reporter.userId,
        reporter_name: input.reporter.name,
        reporter_phone_enc: phoneEnc,
        reporter_phone_masked: maskPhone(phone),
        created_by: input.createdBy,
        handling_level: category.level,
        lead_org_unit_id: lead,
        stage: clock.stage,
        stage_started_at: clock.stageStartedAt,
        stage_due_at: clock.stageDueAt,
        sla_level: clock.slaLevel,
        reported_at: input.reportedAt,
        ...(input.intake ? { idem_hash: input.intake.idemHash, occurred_at: input.intake.occurredAt } : {}),
      },
      input.point,
      {
        actorUserId: input.createdBy,
        fallbackName: input.reporter.name ?? caseChannelLabels[input.channel].zh,
        data: { channel: input.channel, ...(input.externalId ? { externalId: input.externalId } : {}) },
        at: now,
      },
      { rulesVersion: category.version },
      trx,
    );
    if (made.row) {
      const ids = [...new Set(input.attachmentIds ?? [])];
      // Linking runs in the caller's transaction (a report with attachments is created in one).
      if ((await repo.linkAttachments(made.row.id, made.actionId, ids, input.createdBy, trx)) !== ids.length) throw new AppError('ATTACHMENT_UNKNOWN');
      return { case: made.row, category, warnings: clock.warnings.map(({ code, zh, en }) => ({ code, zh, en })) };
    }
    if (made.idemTaken) throw new IdempotencyKeyTaken();
    deps.contexts?.drop(input.categoryId, input.regionPath);
    if (attempt >= 2) throw new AppError('CATEGORY_UNKNOWN');
    fromCache = false;
    ctx = await load();
  }
}

/**
 * The idempotency key of a new case is taken by an earlier case (seen by the insert itself, nothing written):
 * the caller returns that case, as for the unique violation of a concurrent twin.
 */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('idempotency key taken');
  }
}
