import type { CaseStatus } from '@gridgov/contracts/cases';
import { type Insertable, isExpression, type Kysely, type RawBuilder, type Selectable, type SqlBool, sql, type Updateable } from 'kysely';
import { PREPARED } from '../../db/prepared-statements.js';
import type { DB, EventCaseTable } from '../../db/schema.js';
import { inSubtrees, likeLiteral } from '../regions/subtree.js';

/** One event_case row as selected (geometry left out; `lng`/`lat` added by the reads that need them). */
/** Case lists count at most this many rows; beyond it the total is a lower bound. */
export const LIST_COUNT_CAP = 10_001;

export type CaseRow = Omit<Selectable<EventCaseTable>, 'status' | 'geom'> & { status: CaseStatus };
export type NewCaseRow = Insertable<EventCaseTable>;
export type CasePatch = Omit<Updateable<EventCaseTable>, 'id' | 'version' | 'updated_at'>;

export interface SummaryNames {
  category_code: string;
  category_name: string;
  region_name: string;
  grid_name: string | null;
  lead_name: string | null;
}
export interface TimelineRow {
  id: string;
  seq: number;
  action: string;
  from_status: string | null;
  to_status: string | null;
  actor_name: string | null;
  actor_role: string | null;
  note: string | null;
  data: unknown;
  created_at: Date;
  attachment_ids: string[];
}
const summaryNames = sql`cat.code AS category_code, cat.name AS category_name, reg.name AS region_name, g.name AS grid_name, lead.name AS lead_name`;
const summaryJoins = sql`JOIN event_category cat ON cat.id = c.category_id JOIN region reg ON reg.id = c.region_id
  LEFT JOIN grid g ON g.id = c.grid_id LEFT JOIN org_unit lead ON lead.id = c.lead_org_unit_id`;

/** What case creation reads before it inserts (cases.repository creationContext). */
export interface CreationContext {
  category: CategoryRules;
  district: string | null;
  dept_id: string | null;
  center_id: string | null;
}

/** The rules of an item of the catalogue at one version. */
export interface CategoryRules {
  id: string;
  code: string;
  name: string;
  kind: 'class' | 'item';
  active: boolean;
  version: number;
  dept_code: string | null;
  level: 'grid' | 'community' | 'street' | 'district';
  limits: unknown;
  self_dispose: boolean;
  admitted: boolean;
}

/** Region ids of a materialised path '/a/b/c/' (root first). */
export const pathIds = (path: string) => path.split('/').filter(Boolean);

const caseColumns = sql`c.id, c.case_no, c.channel, c.channel_detail, c.external_id, c.idem_scope, c.idempotency_key, c.category_id,
  c.category_version, c.title, c.description, c.urgency, c.status, c.region_id, c.region_path, c.grid_id, c.no_grid, c.address,
  c.people_involved, c.reporter_user_id, c.reporter_name, c.reporter_phone_enc, c.reporter_phone_masked, c.created_by, c.parent_case_id,
  c.first_report, c.handling_level, c.lead_org_unit_id, c.co_org_unit_ids, c.stage, c.stage_started_at, c.stage_due_at, c.stage_extension,
  c.sla_level, c.suspended, c.supervision, c.reported_at, c.accepted_at, c.filed_at, c.dispatched_at, c.handled_at, c.verified_at,
  c.closed_at, c.handle_due_at, c.on_time_handle, c.on_time_close, c.self_disposed, c.rework_count, c.return_count, c.extension_count,
  c.suspend_count, c.satisfaction, c.callback_done, c.version, c.created_at, c.updated_at`;

/** Facts of the caller the list scope needs (from the principal). */
export interface ListScopeCaller {
  userId: string;
  orgUnitId: string | null;
  role: string;
  canRead: boolean;
  canDispatch: boolean;
  /** View ∪ capture roots, and capture roots alone (materialised paths). */
  viewPaths: readonly string[];
  capturePaths: readonly string[];
  /** Grid staff: the grids they serve (null: not narrowed). */
  grids: readonly string[] | null;
}

/**
 * The list condition: what the caller may see (the SQL twin of case-access.ts `canViewCase`) AND what the view
 * shows — queue: the dispatcher's capture subtree; inbox: cases dispatched to the caller's org unit (lead or 联办);
 * mine: the caller's grids; reported: the caller's own reports (and those merged into a case).
 */
export function listScope(p: ListScopeCaller, view: 'queue' | 'inbox' | 'mine' | 'reported'): RawBuilder<SqlBool> {
  const reporter = sql<SqlBool>`(c.reporter_user_id = ${p.userId}
    OR EXISTS (SELECT 1 FROM event_case ch WHERE ch.parent_case_id = c.id AND ch.reporter_user_id = ${p.userId}))`;
  const member = p.orgUnitId ? sql<SqlBool>`(c.lead_org_unit_id = ${p.orgUnitId} OR ${p.orgUnitId}::uuid = ANY(c.co_org_unit_ids))` : sql<SqlBool>`false`;
  const gridStaff = p.role === 'grid_worker' || p.role === 'grid_leader';
  const grids = gridStaff ? sql<SqlBool>`c.grid_id = ANY(${[...(p.grids ?? [])]}::uuid[])` : sql<SqlBool>`true`;
  const region = p.role === 'dept_handler' ? sql<SqlBool>`false` : sql<SqlBool>`(${inSubtrees('c.region_path', p.viewPaths)} AND ${grids})`;
  // The queue shows the capture subtree. When that lies inside the region part of `visible` (a reader who is
  // neither grid staff nor a department handler, each capture root under a view root: loadPrincipal makes it so),
  // the OR of `visible` adds nothing, and leaving it out lets the planner estimate the subtree and walk its index.
  if (
    view === 'queue' &&
    p.canDispatch &&
    p.canRead &&
    !gridStaff &&
    p.role !== 'dept_handler' &&
    p.capturePaths.every((c) => p.viewPaths.some((v) => c.startsWith(v)))
  ) {
    return sql<SqlBool>`${inSubtrees('c.region_path', p.capturePaths)}`;
  }
  const visible = p.canRead ? sql<SqlBool>`(${reporter} OR ${member} OR ${region})` : reporter;
  const shown: Record<typeof view, RawBuilder<SqlBool>> = {
    queue: p.canDispatch ? sql<SqlBool>`${inSubtrees('c.region_path', p.capturePaths)}` : sql<SqlBool>`false`,
    inbox: sql<SqlBool>`(${member} AND c.dispatched_at IS NOT NULL)`,
    mine: p.grids ? sql<SqlBool>`c.grid_id = ANY(${[...p.grids]}::uuid[])` : sql<SqlBool>`false`,
    reported: reporter,
  };
  return sql<SqlBool>`(${visible} AND ${shown[view]})`;
}

/**
 * The SQL of the case record (creation parts used by case-create.ts; the workflow's reads and writes are
 * added below). Every method takes the transaction to run in; `createCasesRepository(trx)` binds one.
 */
export function createCasesRepository(db: Kysely<DB>) {
  return {
    db,
    transaction<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    /** A category with the rules of `version` (default: its current version). */
    async categoryRules(categoryId: string, version?: number, trx: Kysely<DB> = db): Promise<CategoryRules | undefined> {
      const r = await sql<CategoryRules>`SELECT c.id, c.code, c.name, c.kind, c.active, v.version, v.dept_code, v.level, v.limits,
          v.self_dispose, v.admitted
        FROM event_category c JOIN event_category_version v ON v.category_id = c.id AND v.version = ${version ?? sql`c.current_version`}
        WHERE c.id = ${categoryId}`.execute(trx);
      return r.rows[0];
    },

    /**
     * Everything case creation reads, in one round trip: the category's current rules, the district code for the
     * case number, the item department's unit nearest up the path and the center/station of the handling level
     * (the fallback lead). No row: unknown category. Intake caches the answer (creation-context-cache.ts).
     */
    async creationContext(categoryId: string, regionPath: string, trx: Kysely<DB> = db): Promise<CreationContext | undefined> {
      const ids = pathIds(regionPath);
      const r = await sql<CreationContext>`
        WITH cat AS (SELECT c.id, c.code, c.name, c.kind, c.active, v.version, v.dept_code, v.level, v.limits, v.self_dispose, v.admitted
          FROM event_category c JOIN event_category_version v ON v.category_id = c.id AND v.version = c.current_version WHERE c.id = ${categoryId})
        SELECT row_to_json(cat) AS category,
          (SELECT code FROM region WHERE id = ANY(${ids}::uuid[]) ORDER BY (level = 'district') DESC, length(path) ASC LIMIT 1) AS district,
          (SELECT o.id FROM org_unit o JOIN region r ON r.id = o.region_id
            WHERE o.region_id = ANY(${ids}::uuid[]) AND o.kind = 'department' AND o.dept_code = cat.dept_code
            ORDER BY length(r.path) DESC, o.name LIMIT 1) AS dept_id,
          (SELECT o.id FROM org_unit o JOIN region r ON r.id = o.region_id
            WHERE o.region_id = ANY(${ids}::uuid[]) AND o.kind IN ('center', 'station')
            ORDER BY (r.level = CASE cat.level WHEN 'grid' THEN 'community' ELSE cat.level END) DESC, length(r.path) DESC, o.name LIMIT 1) AS center_id
        FROM cat`.execute(trx);
      return r.rows[0];
    },

    /**
     * A new case and its first timeline entry ('report', seq 1) in one statement, so a report needs no
     * transaction of its own (intake is the hot path). Nothing is written, and `inserted` is false, when
     * `guard.rulesVersion` is no longer the category's current active version (the caller's rules were read
     * earlier, from a cache) or when the idempotency key is taken already (`idemTaken`); the snapshot of the
     * statement decides both. The actor's name and role are those of `action.actorUserId` when it is a user,
     * else `action.fallbackName`.
     */
    async insertReportedCase(
      values: NewCaseRow,
      point: { lng: number; lat: number } | null,
      action: { actorUserId: string | null; fallbackName: string; data: Record<string, unknown>; at: Date },
      guard: { rulesVersion: number },
      trx: Kysely<DB> = db,
    ): Promise<{ row: CaseRow; actionId: number } | { row: null; idemTaken: boolean; rulesCurrent: boolean }> {
      const geom = point ? sql`ST_SetSRID(ST_MakePoint(${point.lng}::float8, ${point.lat}::float8), 4326)` : null;
      const cols = Object.entries({ ...values, geom }).filter(([, v]) => v !== undefined);
      const expr = (v: unknown) => (isExpression(v) ? (v as RawBuilder<unknown>) : sql.val(v));
      const idem =
        values.idem_scope && values.idempotency_key
          ? sql<SqlBool>`EXISTS (SELECT 1 FROM event_case WHERE idem_scope = ${values.idem_scope} AND idempotency_key = ${values.idempotency_key})`
          : sql<SqlBool>`false`;
      const r = await sql<CaseRow & { action_id: string | null; idem_taken: boolean; rules_current: boolean }>`${sql.raw(PREPARED)}
        WITH f AS (
          SELECT ${idem} AS idem_taken,
            EXISTS (SELECT 1 FROM event_category WHERE id = ${values.category_id} AND current_version = ${guard.rulesVersion} AND active)
              AS rules_current),
        c AS (
          INSERT INTO event_case (${sql.join(cols.map(([k]) => sql.ref(k)))})
          SELECT ${sql.join(cols.map(([, v]) => expr(v)))} FROM f WHERE f.rules_current AND NOT f.idem_taken
          RETURNING *),
        a AS (
          INSERT INTO event_case_action (case_id, seq, action, from_status, to_status, actor_user_id, actor_name, actor_role, note, data, created_at)
          SELECT c.id, 1, 'report', NULL, c.status, ${action.actorUserId}::uuid, coalesce(u.display_name, ${action.fallbackName}), u.role, NULL,
            ${JSON.stringify(action.data)}::jsonb, ${action.at}::timestamptz
          FROM c LEFT JOIN app_user u ON u.id = ${action.actorUserId}::uuid
          RETURNING id)
        SELECT ${caseColumns}, (SELECT id::text FROM a) AS action_id, f.idem_taken, f.rules_current
        FROM f LEFT JOIN c ON true`.execute(trx);
      const { action_id, idem_taken, rules_current, ...row } = r.rows[0] as CaseRow & { action_id: string | null; idem_taken: boolean; rules_current: boolean };
      if (!row.id || action_id === null) return { row: null, idemTaken: idem_taken, rulesCurrent: rules_current };
      return { row: row as CaseRow, actionId: Number(action_id) };
    },

    async getCase(id: string, trx: Kysely<DB> = db): Promise<CaseRow | undefined> {
      const r = await sql<CaseRow>`SELECT ${caseColumns} FROM event_case c WHERE c.id = ${id}`.execute(trx);
      return r.rows[0];
    },

    /** The case row locked for an action (SELECT … FOR UPDATE). */
    async lockCase(id: string, trx: Kysely<DB>): Promise<CaseRow | undefined> {
      const r = await sql<CaseRow>`SELECT ${caseColumns} FROM event_case c WHERE c.id = ${id} FOR UPDATE`.execute(trx);
      return r.rows[0];
    },

    async appendAction(
      v: {
        caseId: string;
        action: string;
        fromStatus: string | null;
        toStatus: string | null;
        actorUserId: string | null;
        actorName: string | null;
        actorRole: string | null;
        note: string | null;
        data?: Record<string, unknown>;
        at?: Date;
      },
      trx: Kysely<DB> = db,
    ): Promise<{ id: number; seq: number }> {
      const r = await sql<{ id: string; seq: number }>`INSERT INTO event_case_action
          (case_id, seq, action, from_status, to_status, actor_user_id, actor_name, actor_role, note, data, created_at)
        VALUES (${v.caseId}, (SELECT coalesce(max(seq), 0) + 1 FROM event_case_action WHERE case_id = ${v.caseId}), ${v.action},
          ${v.fromStatus}, ${v.toStatus}, ${v.actorUserId}, ${v.actorName}, ${v.actorRole}, ${v.note},
          ${JSON.stringify(v.data ?? {})}::jsonb, ${v.at ?? sql`now()`})
        RETURNING id::text AS id, seq`.execute(trx);
      const row = r.rows[0] as { id: string; seq: number };
      return { id: Number(row.id), seq: row.seq };
    },

    /**
     * Links uploaded attachments to a case and a timeline entry. Only attachments not yet linked and uploaded
     * by `uploadedBy` qualify; returns how many were linked (the caller compares with the count asked for).
     */
    async linkAttachments(caseId: string, actionId: number, ids: readonly string[], uploadedBy: string | null, trx: Kysely<DB> = db): Promise<number> {
      if (ids.length === 0) return 0;
      const r = await sql`UPDATE event_case_attachment SET case_id = ${caseId}, action_id = ${actionId}
        WHERE id = ANY(${[...ids]}::uuid[]) AND case_id IS NULL AND uploaded_by IS NOT DISTINCT FROM ${uploadedBy}`.execute(trx);
      return Number(r.numAffectedRows ?? 0);
    },

    async pauses(caseId: string, trx: Kysely<DB> = db): Promise<{ id: number; from_at: Date; to_at: Date | null; kind: string; reason: string }[]> {
      return trx.selectFrom('event_case_pause').select(['id', 'from_at', 'to_at', 'kind', 'reason']).where('case_id', '=', caseId).orderBy('from_at').execute();
    },

    /** Reporters of the cases merged into `caseId`. */
    async childReporterIds(caseId: string, trx: Kysely<DB> = db): Promise<string[]> {
      const r = await trx
        .selectFrom('event_case')
        .select('reporter_user_id')
        .where('parent_case_id', '=', caseId)
        .where('reporter_user_id', 'is not', null)
        .execute();
      return [...new Set(r.map((x) => x.reporter_user_id as string))];
    },

    async updateCase(id: string, patch: CasePatch, trx: Kysely<DB>): Promise<void> {
      await trx
        .updateTable('event_case')
        .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` } as never)
        .where('id', '=', id)
        .execute();
    },

    async region(id: string, trx: Kysely<DB> = db): Promise<{ id: string; parent_id: string | null; path: string; name: string; level: string } | undefined> {
      return trx.selectFrom('region').select(['id', 'parent_id', 'path', 'name', 'level']).where('id', '=', id).executeTakeFirst();
    },

    async orgUnits(ids: readonly string[], trx: Kysely<DB> = db): Promise<{ id: string; name: string; kind: string; region_path: string }[]> {
      if (ids.length === 0) return [];
      const r = await sql<{ id: string; name: string; kind: string; region_path: string }>`SELECT o.id, o.name, o.kind, r.path AS region_path
        FROM org_unit o JOIN region r ON r.id = o.region_id WHERE o.id = ANY(${[...ids]}::uuid[])`.execute(trx);
      return r.rows;
    },

    async openPause(caseId: string, v: { at: Date; reason: string; reviewDate: string | null }, trx: Kysely<DB>): Promise<void> {
      await trx
        .insertInto('event_case_pause')
        .values({ case_id: caseId, kind: 'suspend', from_at: v.at, reason: v.reason, review_date: v.reviewDate })
        .execute();
    },

    async closePauses(caseId: string, at: Date, trx: Kysely<DB>): Promise<void> {
      await trx.updateTable('event_case_pause').set({ to_at: at }).where('case_id', '=', caseId).where('to_at', 'is', null).execute();
    },

    /** The last 延期 entry (request, approval, refusal) of the current stage, if any. */
    async lastExtensionEntry(caseId: string, since: Date | null, trx: Kysely<DB>): Promise<{ action: string; data: unknown } | undefined> {
      let q = trx
        .selectFrom('event_case_action')
        .select(['action', 'data'])
        .where('case_id', '=', caseId)
        .where('action', 'in', ['extension_request', 'extension_approve', 'extension_reject']);
      if (since) q = q.where('created_at', '>=', since);
      return q.orderBy('seq', 'desc').limit(1).executeTakeFirst();
    },

    async notify(rows: { userId?: string | null; orgUnitId?: string | null; caseId: string; kind: string; title: string; body?: string }[], trx: Kysely<DB>) {
      const values = rows
        .filter((r) => r.userId || r.orgUnitId)
        .map((r) => ({ user_id: r.userId ?? null, org_unit_id: r.orgUnitId ?? null, case_id: r.caseId, kind: r.kind, title: r.title, body: r.body ?? '' }));
      if (values.length) await trx.insertInto('notification').values(values).execute();
    },

    async gridStaffIds(gridId: string, trx: Kysely<DB>): Promise<string[]> {
      const r = await trx.selectFrom('grid_staff').select('user_id').where('grid_id', '=', gridId).execute();
      return [...new Set(r.map((x) => x.user_id))];
    },

    async hasRating(caseId: string, userId: string, trx: Kysely<DB> = db): Promise<boolean> {
      const r = await trx.selectFrom('event_case_rating').select('id').where('case_id', '=', caseId).where('rater_user_id', '=', userId).executeTakeFirst();
      return !!r;
    },

    async insertRating(
      v: {
        caseId: string;
        raterUserId: string | null;
        source: 'resident' | 'callback';
        rating: 'satisfied' | 'basic' | 'dissatisfied';
        comment: string | null;
      },
      trx: Kysely<DB>,
    ) {
      await trx
        .insertInto('event_case_rating')
        .values({ case_id: v.caseId, rater_user_id: v.raterUserId, source: v.source, rating: v.rating, comment: v.comment })
        .execute();
    },

    async hasChildren(caseId: string, trx: Kysely<DB>): Promise<boolean> {
      return !!(await trx.selectFrom('event_case').select('id').where('parent_case_id', '=', caseId).limit(1).executeTakeFirst());
    },

    async timeline(caseId: string, trx: Kysely<DB> = db) {
      const r = await sql<TimelineRow>`SELECT a.id::text AS id, a.seq, a.action, a.from_status, a.to_status, a.actor_name, a.actor_role, a.note, a.data,
          a.created_at, coalesce((SELECT array_agg(x.id::text ORDER BY x.created_at) FROM event_case_attachment x WHERE x.action_id = a.id), '{}') AS attachment_ids
        FROM event_case_action a WHERE a.case_id = ${caseId} ORDER BY a.seq`.execute(trx);
      return r.rows;
    },

    async timelineLength(caseId: string, trx: Kysely<DB> = db): Promise<number> {
      const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM event_case_action WHERE case_id = ${caseId}`.execute(trx);
      return r.rows[0]?.n ?? 0;
    },

    async attachments(caseId: string, trx: Kysely<DB> = db) {
      return trx
        .selectFrom('event_case_attachment')
        .select(['id', 'kind', 'purpose', 'mime', 'size_bytes', 'original_name', 'created_at'])
        .where('case_id', '=', caseId)
        .orderBy('created_at')
        .execute();
    },

    async children(caseId: string, trx: Kysely<DB> = db) {
      return trx.selectFrom('event_case').select(['id', 'case_no', 'reported_at']).where('parent_case_id', '=', caseId).orderBy('reported_at').execute();
    },

    /** Names and the point of a case for its detail. */
    async detailExtras(caseId: string, trx: Kysely<DB> = db) {
      const r = await sql<SummaryNames & { lng: number | null; lat: number | null }>`SELECT ${summaryNames},
          ST_X(c.geom) AS lng, ST_Y(c.geom) AS lat
        FROM event_case c ${summaryJoins} WHERE c.id = ${caseId}`.execute(trx);
      return r.rows[0];
    },

    /**
     * One page of cases, newest first. `scope` is the caller's visibility AND the view's condition, applied in SQL
     * before paging and counting.
     */
    async list(
      f: {
        scope: RawBuilder<SqlBool>;
        statuses?: readonly string[];
        categoryId?: string;
        regionPath?: string;
        gridId?: string;
        sla?: readonly string[];
        q?: string;
        limit: number;
        offset: number;
      },
      trx: Kysely<DB> = db,
    ): Promise<{ rows: (CaseRow & SummaryNames)[]; total: number; totalIsLowerBound: boolean }> {
      const conds: RawBuilder<SqlBool>[] = [f.scope];
      if (f.statuses?.length) conds.push(sql<SqlBool>`c.status = ANY(${[...f.statuses]}::text[])`);
      if (f.categoryId)
        conds.push(sql<SqlBool>`(c.category_id = ${f.categoryId} OR c.category_id IN (SELECT id FROM event_category WHERE parent_id = ${f.categoryId}))`);
      if (f.regionPath) conds.push(sql<SqlBool>`c.region_path LIKE ${`${likeLiteral(f.regionPath)}%`}`);
      if (f.gridId) conds.push(sql<SqlBool>`c.grid_id = ${f.gridId}`);
      if (f.sla?.length) conds.push(sql<SqlBool>`c.sla_level = ANY(${[...f.sla]}::text[])`);
      if (f.q) {
        const like = `%${likeLiteral(f.q)}%`;
        conds.push(sql<SqlBool>`(c.case_no LIKE ${like} OR c.title LIKE ${like})`);
      }
      const where = sql.join(conds, sql` AND `);
      const rows = await sql<CaseRow & SummaryNames>`SELECT ${caseColumns}, ${summaryNames}
        FROM event_case c ${summaryJoins}
        WHERE ${where} ORDER BY c.reported_at DESC, c.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`.execute(trx);
      // A district's whole history can hold millions of cases: the count stops at LIST_COUNT_CAP (a lower bound then).
      const total = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT 1 FROM event_case c WHERE ${where} LIMIT ${LIST_COUNT_CAP}) x`.execute(trx);
      const n = total.rows[0]?.n ?? 0;
      return { rows: rows.rows, total: n, totalIsLowerBound: n >= LIST_COUNT_CAP };
    },
  };
}
export type CasesRepository = ReturnType<typeof createCasesRepository>;
