import type { CaseStatus } from '@gridgov/contracts/cases';
import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { DB, EventCaseTable } from '../../db/schema.js';

/** One event_case row as selected (geometry left out; `lng`/`lat` added by the reads that need them). */
export type CaseRow = Omit<Selectable<EventCaseTable>, 'status' | 'geom'> & { status: CaseStatus };
export type NewCaseRow = Insertable<EventCaseTable>;

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

    /** Code of the district (or the shallowest region) on a path, for case numbers. */
    async districtCode(regionPath: string, trx: Kysely<DB> = db): Promise<string> {
      const r = await sql<{ code: string }>`SELECT code FROM region WHERE id = ANY(${pathIds(regionPath)}::uuid[])
        ORDER BY (level = 'district') DESC, length(path) ASC LIMIT 1`.execute(trx);
      const code = r.rows[0]?.code;
      if (!code) throw new Error(`case number: no region on path ${regionPath}`);
      return code.slice(0, 6);
    },

    async nextCaseSeq(trx: Kysely<DB> = db): Promise<number> {
      const r = await sql<{ n: string }>`SELECT nextval('event_case_no_seq')::text AS n`.execute(trx);
      return Number(r.rows[0]?.n);
    },

    /** The department with `deptCode` nearest up the path (the district's own), if any. */
    async departmentByCode(regionPath: string, deptCode: string, trx: Kysely<DB> = db): Promise<string | null> {
      const r = await sql<{ id: string }>`SELECT o.id FROM org_unit o JOIN region r ON r.id = o.region_id
        WHERE o.region_id = ANY(${pathIds(regionPath)}::uuid[]) AND o.kind = 'department' AND o.dept_code = ${deptCode}
        ORDER BY length(r.path) DESC, o.name LIMIT 1`.execute(trx);
      return r.rows[0]?.id ?? null;
    },

    /**
     * The center or station of the region of `level` on the path (community → its station, street → its center,
     * district → the district center); else the nearest center or station up the path.
     */
    async centerFor(regionPath: string, level: 'community' | 'street' | 'district', trx: Kysely<DB> = db): Promise<string | null> {
      const r = await sql<{ id: string }>`SELECT o.id FROM org_unit o JOIN region r ON r.id = o.region_id
        WHERE o.region_id = ANY(${pathIds(regionPath)}::uuid[]) AND o.kind IN ('center', 'station')
        ORDER BY (r.level = ${level}) DESC, length(r.path) DESC, o.name LIMIT 1`.execute(trx);
      return r.rows[0]?.id ?? null;
    },

    async userLabel(userId: string, trx: Kysely<DB> = db): Promise<{ display_name: string; role: string } | undefined> {
      return trx.selectFrom('app_user').select(['display_name', 'role']).where('id', '=', userId).executeTakeFirst();
    },

    async insertCase(values: NewCaseRow, point: { lng: number; lat: number } | null, trx: Kysely<DB> = db): Promise<CaseRow> {
      const geom = point ? sql<string>`ST_SetSRID(ST_MakePoint(${point.lng}, ${point.lat}), 4326)` : null;
      const inserted = await trx
        .insertInto('event_case')
        .values({ ...values, geom })
        .returning('id')
        .executeTakeFirstOrThrow();
      return (await this.getCase(inserted.id, trx)) as CaseRow;
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
  };
}
export type CasesRepository = ReturnType<typeof createCasesRepository>;
