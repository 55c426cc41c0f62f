import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB, EventCaseTable } from '../../db/schema.js';
import type { TimeLimit } from '../calendar/working-time.js';

/** A catalogue item of its own with the given limits (so tests do not depend on the default catalogue's numbers). */
export async function slaCategory(db: Kysely<DB>, limits: Record<'accept' | 'dispatch' | 'handle' | 'verify', TimeLimit>) {
  const code = `T${randomBytes(4).toString('hex')}`;
  const parent = await db.selectFrom('event_category').select('id').where('kind', '=', 'class').orderBy('code').executeTakeFirstOrThrow();
  const c = await db
    .insertInto('event_category')
    .values({ parent_id: parent.id, code, name: `测试事项${code}`, kind: 'item' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('event_category_version')
    .values({ category_id: c.id, version: 1, dept_code: 'cg', level: 'community', limits: JSON.stringify(limits) })
    .execute();
  return { categoryId: c.id, version: 1 };
}

let n = 0;
/** A case row inserted directly in the given state (the workflow's own columns set as the test needs them). */
export async function insertCase(
  db: Kysely<DB>,
  v: {
    category: { categoryId: string; version: number };
    region: { id: string; path: string };
    status: string;
    reportedAt: Date;
    stageStartedAt?: Date | null;
    stageDueAt?: Date | null;
    leadOrgUnitId?: string | null;
    gridId?: string | null;
    suspended?: boolean;
    more?: Partial<Record<keyof EventCaseTable, unknown>>;
  },
): Promise<string> {
  n++;
  const row = await db
    .insertInto('event_case')
    .values({
      case_no: `TEST-${process.pid}-${Date.now()}-${n}-${randomBytes(2).toString('hex')}`,
      channel: 'grid_worker',
      category_id: v.category.categoryId,
      category_version: v.category.version,
      title: `测试案件${n}`,
      description: '测试',
      status: v.status,
      region_id: v.region.id,
      region_path: v.region.path,
      grid_id: v.gridId ?? null,
      handling_level: 'community',
      lead_org_unit_id: v.leadOrgUnitId ?? null,
      stage_started_at: v.stageStartedAt ?? v.reportedAt,
      stage_due_at: v.stageDueAt ?? null,
      suspended: v.suspended ?? false,
      reported_at: v.reportedAt,
      ...(v.more as object),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`INSERT INTO event_case_action (case_id, seq, action, to_status, actor_name, note) VALUES (${row.id}, 1, 'report', ${v.status}, '测试', '上报')`.execute(
    db,
  );
  return row.id;
}
