import type {
  BreakGlassGrant,
  BreakGlassQuery,
  BreakGlassRequest,
  BreakGlassReview,
  SpecialEntry,
  SpecialEntryInput,
  SpecialEntryQuery,
} from '@gridgov/contracts/registry';
import { checkSpecialFields, levelsOf, type SpecialGroupType, specialGroupByCode } from '@gridgov/contracts/special-groups';
import type { z } from 'zod';
import { AppError } from '../../http/app-error.js';
import { canCaptureRecord, canViewRecord, type Principal } from '../../http/principal.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import { pgErrorOf } from '../regions/regions.repository.js';
import { viewRoots } from '../regions/subtree.js';
import { recordChange } from '../registry-common/change-log.js';
import type { RegistryContext } from '../registry-common/context.js';
import type { EntryRow, PersonsRepository } from './persons.repository.js';
import { entryView, type PersonsService } from './persons.service.js';
import { visibleSensitivities } from './visibility.js';

type Entry = z.infer<typeof SpecialEntry>;
type Grant = z.infer<typeof BreakGlassGrant>;
type EntryInput = z.infer<typeof SpecialEntryInput>;

function checkEntry(t: SpecialGroupType, level: string | undefined, fields: Record<string, unknown>) {
  const issues = checkSpecialFields(t, fields).map((i) => ({ path: i.path, code: 'invalid', message: i.zh }));
  if (level !== undefined && !levelsOf(t).includes(level as never)) {
    issues.push({ path: 'level', code: 'invalid', message: `“${t.zh}”的等级应为 ${levelsOf(t).join('、')} 之一` });
  }
  if (issues.length) throw new AppError('SPECIAL_FIELDS_INVALID', { fields: issues });
}

export function createSpecialEntriesService(ctx: RegistryContext, repo: PersonsRepository, persons: PersonsService, opts: { now?: () => Date } = {}) {
  const { db, audit, scope } = ctx;
  const now = opts.now ?? (() => new Date());

  const audited = (
    actor: Principal,
    meta: RequestMeta,
    action: string,
    e: { id: string; community_id: string; region_path: string },
    targetType: string,
    details = {},
  ) => ({
    ...auditContext(actor, meta),
    action,
    outcome: 'ok' as const,
    targetType,
    targetId: e.id,
    regionId: e.community_id,
    regionPath: e.region_path,
    details,
  });

  /** An entry the caller may write: its person in the capture scope and its sensitivity visible; else NOT_FOUND. */
  async function writableEntry(p: Principal, id: string): Promise<EntryRow> {
    const e = await repo.entryById(id);
    if (!e || !visibleSensitivities(p).includes(e.sensitivity) || !canViewRecord(p, { regionPath: e.region_path, gridId: e.grid_id })) {
      throw new AppError('NOT_FOUND');
    }
    if (!canCaptureRecord(p, { regionPath: e.region_path, gridId: e.grid_id })) throw new AppError('OUT_OF_SCOPE');
    return e;
  }

  async function grantView(id: string): Promise<Grant> {
    const g = await repo.grantRow(id);
    if (!g) throw new AppError('NOT_FOUND');
    return {
      id: g.id,
      userId: g.user_id,
      userName: g.user_name,
      personId: g.person_id,
      personName: g.person_name,
      reason: g.reason,
      grantedAt: g.granted_at.toISOString(),
      expiresAt: g.expires_at.toISOString(),
      active: g.expires_at.getTime() > now().getTime(),
      entriesSeen: g.entries_seen,
      review:
        g.review_outcome && g.reviewed_at
          ? { outcome: g.review_outcome, note: g.review_note, reviewerName: g.reviewer_name ?? '', reviewedAt: g.reviewed_at.toISOString() }
          : null,
    };
  }

  return {
    async list(p: Principal, q: z.infer<typeof SpecialEntryQuery>): Promise<{ items: Entry[]; total: number }> {
      await persons.checkFilterTargets(p, q);
      const grids = await scope.gridFilter(p, 'view', { regionId: q.regionId, gridId: q.gridId });
      if (grids !== null && grids.length === 0) return { items: [], total: 0 };
      const r = await repo.listEntries({ grids, visible: visibleSensitivities(p), typeCode: q.typeCode, level: q.level, limit: q.limit, offset: q.offset });
      return { items: r.rows.map((e) => entryView(e, false)), total: r.total };
    },

    async add(p: Principal, personId: string, input: EntryInput, meta: RequestMeta): Promise<Entry> {
      const person = await persons.capturable(p, personId);
      const t = specialGroupByCode.get(input.typeCode);
      if (!t) throw new AppError('SPECIAL_TYPE_UNKNOWN', { fields: [{ path: 'typeCode', code: 'unknown', message: '未知的特殊人群类型' }] });
      // Writing an entry one could not read back would hand out a register one may not see.
      if (!visibleSensitivities(p).includes(t.sensitivity)) throw new AppError('FORBIDDEN');
      checkEntry(t, input.level, input.fields);
      let id: string;
      try {
        id = await db.transaction().execute(async (trx) => {
          const entryId = await repo.insertEntry(
            {
              personId,
              typeCode: t.code,
              sensitivity: t.sensitivity,
              level: input.level,
              fields: input.fields,
              since: input.since ?? null,
              until: input.until ?? null,
              note: input.note ?? null,
              createdBy: p.userId,
            },
            trx,
          );
          const row = { id: entryId };
          await recordChange(trx, { entity: 'person', entityId: personId, actor: p, action: 'special_added', fields: [t.code] });
          await audit.append(
            audited(p, meta, 'special.added', { ...person, id: row.id }, 'special_entry', { personId, typeCode: t.code, sensitivity: t.sensitivity }),
            trx,
          );
          return row.id;
        });
      } catch (err) {
        if (pgErrorOf(err)?.code === '23505') {
          throw new AppError('CONFLICT', { fields: [{ path: 'typeCode', code: 'duplicate', message: '该人员已在此类人群中登记' }] });
        }
        throw err;
      }
      return entryView((await repo.entryById(id)) as EntryRow, false);
    },

    async update(p: Principal, id: string, input: Partial<EntryInput>, meta: RequestMeta): Promise<Entry> {
      const e = await writableEntry(p, id);
      if (e.ended_at) throw new AppError('CONFLICT', { message: 'entry ended' });
      if (input.typeCode !== undefined && input.typeCode !== e.type_code)
        throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'typeCode', code: 'fixed', message: '登记类型不能修改' }] });
      const t = specialGroupByCode.get(e.type_code) as SpecialGroupType;
      const fields = input.fields ?? e.fields;
      checkEntry(t, input.level, fields);
      const changed = Object.keys(input).filter((k) => k !== 'typeCode');
      await db.transaction().execute(async (trx) => {
        await repo.updateEntry(id, { level: input.level, fields: input.fields, since: input.since, until: input.until, note: input.note }, trx);
        await recordChange(trx, { entity: 'person', entityId: e.person_id, actor: p, action: 'special_updated', fields: [e.type_code, ...changed] });
        await audit.append(audited(p, meta, 'special.updated', e, 'special_entry', { personId: e.person_id, typeCode: e.type_code, fields: changed }), trx);
      });
      return entryView((await repo.entryById(id)) as EntryRow, false);
    },

    async end(p: Principal, id: string, input: { until?: string; note?: string }, meta: RequestMeta): Promise<Entry> {
      const e = await writableEntry(p, id);
      if (e.ended_at) throw new AppError('CONFLICT', { message: 'entry already ended' });
      await db.transaction().execute(async (trx) => {
        await repo.endEntry(id, { at: now(), until: input.until ?? e.until ?? null, note: input.note ?? e.note }, trx);
        await recordChange(trx, {
          entity: 'person',
          entityId: e.person_id,
          actor: p,
          action: 'special_ended',
          fields: [e.type_code],
          note: input.note ?? null,
        });
        await audit.append(audited(p, meta, 'special.ended', e, 'special_entry', { personId: e.person_id, typeCode: e.type_code }), trx);
      });
      return entryView((await repo.entryById(id)) as EntryRow, false);
    },

    /**
     * Break-the-glass: a time-limited grant on one person's entries hidden from the caller. Only when
     * something is hidden (otherwise BREAKGLASS_NOT_NEEDED); the reading itself is audited in the person page.
     */
    async openGrant(p: Principal, req: z.infer<typeof BreakGlassRequest>, meta: RequestMeta): Promise<Grant> {
      const person = await persons.viewable(p, req.personId);
      const visible = visibleSensitivities(p);
      const hidden = (await repo.entriesOf(person.id)).filter((e) => !visible.includes(e.sensitivity));
      if (hidden.length === 0) throw new AppError('BREAKGLASS_NOT_NEEDED');
      if (req.reason.trim().length < 10)
        throw new AppError('REASON_REQUIRED', { fields: [{ path: 'reason', code: 'too_short', message: '紧急查看须写明原因（至少 10 个字）' }] });
      const expires = new Date(now().getTime() + req.minutes * 60_000);
      const id = await db.transaction().execute(async (trx) => {
        const row = {
          id: await repo.insertGrant({ userId: p.userId, personId: person.id, reason: req.reason, at: now(), expires, regionPath: person.region_path }, trx),
        };
        await audit.append(
          audited(p, meta, 'breakglass.opened', { ...person, id: row.id }, 'break_glass_grant', {
            personId: person.id,
            reason: req.reason,
            minutes: req.minutes,
            hiddenEntries: hidden.length,
          }),
          trx,
        );
        return row.id;
      });
      return grantView(id);
    },

    /** Reviewers see the grants of their subtree (not their own to review); everyone else sees their own. */
    async listGrants(p: Principal, q: z.infer<typeof BreakGlassQuery>): Promise<{ items: Grant[]; total: number }> {
      const reviewer = p.permissions.has('registry.breakglass.review');
      const { ids, total } = await repo.grantIds({
        regionPaths: reviewer ? viewRoots(p).map((r) => r.path) : null,
        userId: p.userId,
        pending: q.pending === undefined ? undefined : q.pending === 'true',
        limit: q.limit,
        offset: q.offset,
      });
      const rows = ids.map((id) => ({ id }));
      const items: Grant[] = [];
      for (const r of rows) items.push(await grantView(r.id));
      return { items, total };
    },

    async review(p: Principal, id: string, req: z.infer<typeof BreakGlassReview>, meta: RequestMeta): Promise<Grant> {
      const g = await repo.grantById(id);
      if (!g || !viewRoots(p).some((r) => g.region_path.startsWith(r.path))) throw new AppError('NOT_FOUND');
      if (g.user_id === p.userId) throw new AppError('FORBIDDEN', { message: 'own grant' });
      if (g.reviewed_at) throw new AppError('BREAKGLASS_ALREADY_REVIEWED');
      const community = g.region_path.split('/').filter(Boolean).at(-1) ?? null;
      await db.transaction().execute(async (trx) => {
        if (!(await repo.reviewGrant(id, { outcome: req.outcome, note: req.note ?? null, by: p.userId, at: now() }, trx))) {
          throw new AppError('BREAKGLASS_ALREADY_REVIEWED');
        }
        await audit.append(
          audited(p, meta, 'breakglass.reviewed', { id, community_id: community as string, region_path: g.region_path }, 'break_glass_grant', {
            outcome: req.outcome,
            grantee: g.user_id,
            personId: g.person_id,
          }),
          trx,
        );
      });
      return grantView(id);
    },
  };
}
export type SpecialEntriesService = ReturnType<typeof createSpecialEntriesService>;
