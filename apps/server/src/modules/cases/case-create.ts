import { type CaseChannel, caseChannelLabels, type Urgency } from '@gridgov/contracts/cases';
import { maskPhone } from '@gridgov/contracts/identifiers';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/app-error.js';
import type { PiiCipher } from '../../lib/pii-crypto.js';
import type { WorkCalendar } from '../calendar/working-time.js';
import { cstDate } from '../calendar/working-time.js';
import { computeStageClock, parseLimits } from './case-clock.js';
import { type CaseRow, type CasesRepository, type CategoryRules, createCasesRepository } from './cases.repository.js';

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
  /** Attachments uploaded beforehand by `createdBy` (purpose 'report'). */
  attachmentIds?: readonly string[];
}

export interface CreateCaseDeps {
  pii: PiiCipher;
  /** The calendar service (calendar.service.ts); called with the transaction. */
  calendar: { calendarFor(regionId?: string, trx?: Kysely<DB>): Promise<WorkCalendar> };
  now?: () => Date;
}

export interface CreatedCase {
  case: CaseRow;
  category: CategoryRules;
  /** Calendar warnings of the first stage clock (a year without a holiday schedule). */
  warnings: { code: string; zh: string; en: string }[];
}

/** The org unit a new case is led by: the item's department, or the station/center of its handling level. */
export async function defaultLeadOrgUnit(repo: CasesRepository, regionPath: string, category: Pick<CategoryRules, 'dept_code' | 'level'>, trx: Kysely<DB>) {
  if (category.dept_code) {
    const dept = await repo.departmentByCode(regionPath, category.dept_code, trx);
    if (dept) return dept;
  }
  const level = category.level === 'grid' ? 'community' : category.level;
  return repo.centerFor(regionPath, level, trx);
}

/**
 * Creates one case inside the caller's transaction `trx`: allocates the case number (district code + CST date +
 * sequence, e.g. 370118-20261203-000042), records the category's current rules version, its handling level and
 * default lead org unit, encrypts and masks the reporter's phone, writes timeline entry 1 ('report'), links the
 * attachments and starts the acceptance clock. Refuses an unknown or inactive category (CATEGORY_UNKNOWN), a
 * future report time (TIMESTAMP_IN_FUTURE) and attachments that are not the creator's unlinked uploads
 * (ATTACHMENT_UNKNOWN). Idempotency (an earlier case under the same key) is the caller's check before this.
 */
export async function createCaseRecord(trx: Kysely<DB>, deps: CreateCaseDeps, input: CreateCaseInput): Promise<CreatedCase> {
  const repo = createCasesRepository(trx);
  const now = (deps.now ?? (() => new Date()))();
  if (input.reportedAt.getTime() > now.getTime() + 60_000) throw new AppError('TIMESTAMP_IN_FUTURE');

  const category = await repo.categoryRules(input.categoryId, undefined, trx);
  if (category?.kind !== 'item' || !category.active) throw new AppError('CATEGORY_UNKNOWN');
  const limits = parseLimits(category.limits);

  const district = await repo.districtCode(input.regionPath, trx);
  const seq = await repo.nextCaseSeq(trx);
  const caseNo = `${district}-${cstDate(now.getTime()).replaceAll('-', '')}-${String(seq).padStart(6, '0')}`;
  const lead = await defaultLeadOrgUnit(repo, input.regionPath, category, trx);

  const cal = await deps.calendar.calendarFor(input.regionId, trx);
  const clock = computeStageClock(
    { status: 'reported', suspended: false, stageStartedAt: input.reportedAt, reportedAt: input.reportedAt, stageExtension: null },
    limits,
    cal,
    [],
    now.getTime(),
  );

  const phone = input.reporter.phone?.trim() || null;
  const row = await repo.insertCase(
    {
      case_no: caseNo,
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
      reporter_phone_enc: phone ? deps.pii.encrypt(phone) : null,
      reporter_phone_masked: maskPhone(phone),
      created_by: input.createdBy,
      handling_level: category.level,
      lead_org_unit_id: lead,
      stage: clock.stage,
      stage_started_at: clock.stageStartedAt,
      stage_due_at: clock.stageDueAt,
      sla_level: clock.slaLevel,
      reported_at: input.reportedAt,
    },
    input.point,
    trx,
  );

  const actor = input.createdBy ? await repo.userLabel(input.createdBy, trx) : undefined;
  const entry = await repo.appendAction(
    {
      caseId: row.id,
      action: 'report',
      fromStatus: null,
      toStatus: 'reported',
      actorUserId: input.createdBy,
      actorName: actor?.display_name ?? input.reporter.name ?? caseChannelLabels[input.channel].zh,
      actorRole: actor?.role ?? null,
      note: null,
      data: { channel: input.channel, ...(input.externalId ? { externalId: input.externalId } : {}) },
      at: now,
    },
    trx,
  );
  const ids = [...new Set(input.attachmentIds ?? [])];
  if ((await repo.linkAttachments(row.id, entry.id, ids, input.createdBy, trx)) !== ids.length) throw new AppError('ATTACHMENT_UNKNOWN');

  return { case: row, category, warnings: clock.warnings.map(({ code, zh, en }) => ({ code, zh, en })) };
}
