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
import { sql } from 'kysely';
import type { z } from 'zod';
import { AppError } from '../../http/app-error.js';
import { canCaptureRecord, canViewRecord, type Principal } from '../../http/principal.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import { pgErrorOf } from '../regions/regions.repository.js';
import { inSubtrees, viewRoots } from '../regions/subtree.js';
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
    const r = await sql<{
      id: string;
      user_id: string;
      user_name: string;
      person_id: string;
      person_name: string;
      reason: string;
      granted_at: Date;
      expires_at: Date;
      entries_seen: number;
      review_outcome: 'justified' | 'unjustified' | null;
      review_note: string | null;
      reviewer_name: string | null;
      reviewed_at: Date | null;
    }>`select b.id, b.user_id, u.display_name as user_name, b.person_id, p.name as person_name, b.reason, b.granted_at, b.expires_at, b.entries_seen,
          b.review_outcome, b.review_note, ru.display_name as reviewer_name, b.reviewed_at
        from break_glass_grant b join app_user u on u.id = b.user_id join person p on p.id = b.person_id left join app_user ru on ru.id = b.reviewed_by
        where b.id = ${id}`.execute(db);
    const g = r.rows[0];
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
          const row = await trx
            .insertInto('special_entry')
            .values({
              person_id: personId,
              type_code: t.code,
              sensitivity: t.sensitivity,
              level: input.level,
              fields: JSON.stringify(input.fields),
              since: input.since ?? null,
              until: input.until ?? null,
              note: input.note ?? null,
              created_by: p.userId,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
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
        await trx
          .updateTable('special_entry')
          .set({
            ...(input.level !== undefined ? { level: input.level } : {}),
            ...(input.fields !== undefined ? { fields: JSON.stringify(input.fields) } : {}),
            ...(input.since !== undefined ? { since: input.since } : {}),
            ...(input.until !== undefined ? { until: input.until } : {}),
            ...(input.note !== undefined ? { note: input.note } : {}),
            updated_at: sql`now()`,
          })
          .where('id', '=', id)
          .execute();
        await recordChange(trx, { entity: 'person', entityId: e.person_id, actor: p, action: 'special_updated', fields: [e.type_code, ...changed] });
        await audit.append(audited(p, meta, 'special.updated', e, 'special_entry', { personId: e.person_id, typeCode: e.type_code, fields: changed }), trx);
      });
      return entryView((await repo.entryById(id)) as EntryRow, false);
    },

    async end(p: Principal, id: string, input: { until?: string; note?: string }, meta: RequestMeta): Promise<Entry> {
      const e = await writableEntry(p, id);
      if (e.ended_at) throw new AppError('CONFLICT', { message: 'entry already ended' });
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('special_entry')
          .set({ ended_at: now(), until: input.until ?? e.until ?? sql`current_date`, note: input.note ?? e.note, updated_at: sql`now()` })
          .where('id', '=', id)
          .execute();
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
        const row = await trx
          .insertInto('break_glass_grant')
          .values({ user_id: p.userId, person_id: person.id, reason: req.reason, granted_at: now(), expires_at: expires, region_path: person.region_path })
          .returning('id')
          .executeTakeFirstOrThrow();
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
      let query = db.selectFrom('break_glass_grant as b');
      query = reviewer
        ? query.where(
            inSubtrees(
              'b.region_path',
              viewRoots(p).map((r) => r.path),
            ),
          )
        : query.where('b.user_id', '=', p.userId);
      if (q.pending === 'true') query = query.where('b.reviewed_at', 'is', null);
      if (q.pending === 'false') query = query.where('b.reviewed_at', 'is not', null);
      const total = (await query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
      const rows = await query.select('b.id').orderBy('b.granted_at', 'desc').orderBy('b.id').limit(q.limit).offset(q.offset).execute();
      const items: Grant[] = [];
      for (const r of rows) items.push(await grantView(r.id));
      return { items, total };
    },

    async review(p: Principal, id: string, req: z.infer<typeof BreakGlassReview>, meta: RequestMeta): Promise<Grant> {
      const g = await db.selectFrom('break_glass_grant').selectAll().where('id', '=', id).executeTakeFirst();
      if (!g || !viewRoots(p).some((r) => g.region_path.startsWith(r.path))) throw new AppError('NOT_FOUND');
      if (g.user_id === p.userId) throw new AppError('FORBIDDEN', { message: 'own grant' });
      if (g.reviewed_at) throw new AppError('BREAKGLASS_ALREADY_REVIEWED');
      const community = g.region_path.split('/').filter(Boolean).at(-1) ?? null;
      await db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('break_glass_grant')
          .set({ review_outcome: req.outcome, review_note: req.note ?? null, reviewed_by: p.userId, reviewed_at: now() })
          .where('id', '=', id)
          .where('reviewed_at', 'is', null)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) throw new AppError('BREAKGLASS_ALREADY_REVIEWED');
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
