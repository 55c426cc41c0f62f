import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { testPii } from '../../../test/test-key.js';
import type { DB } from '../../db/schema.js';
import { createCalendarRepository } from '../calendar/calendar.repository.js';
import { createCalendarService } from '../calendar/calendar.service.js';
import { type CreateCaseInput, createCaseRecord } from './case-create.js';

/** Test helpers of the cases module: demo places and people, and cases created through createCaseRecord. */
export interface CaseFixtures {
  db: Kysely<DB>;
  users: Record<string, string>;
  /** 趵突泉社区 (wgy_baotuquan's grid) and 大明湖社区 (wgy_daminghu's grid). */
  home: { communityId: string; communityPath: string; gridId: string; point: { lng: number; lat: number } };
  other: { communityId: string; communityPath: string; gridId: string; point: { lng: number; lat: number } };
  category: (code: string) => Promise<string>;
  dept: (code: string) => Promise<string>;
}

export async function caseFixtures(db: Kysely<DB>): Promise<CaseFixtures> {
  const users = Object.fromEntries((await db.selectFrom('app_user').select(['id', 'username']).execute()).map((u) => [u.username, u.id]));
  const place = async (username: string) => {
    const r = await sql<{ grid_id: string; community_id: string; path: string; lng: number; lat: number }>`SELECT g.id AS grid_id, g.community_id, r.path,
        ST_X(ST_PointOnSurface(b.geom)) AS lng, ST_Y(ST_PointOnSurface(b.geom)) AS lat
      FROM grid_staff s JOIN app_user u ON u.id = s.user_id JOIN grid g ON g.id = s.grid_id AND g.valid_to IS NULL
      JOIN region r ON r.id = g.community_id JOIN grid_boundary b ON b.grid_id = g.id AND b.valid_to IS NULL
      WHERE u.username = ${username} ORDER BY g.code LIMIT 1`.execute(db);
    const p = r.rows[0];
    if (!p) throw new Error(`no grid for ${username}`);
    return { communityId: p.community_id, communityPath: p.path, gridId: p.grid_id, point: { lng: Number(p.lng), lat: Number(p.lat) } };
  };
  return {
    db,
    users,
    home: await place('wgy_baotuquan'),
    other: await place('wgy_daminghu'),
    category: async (code) => (await db.selectFrom('event_category').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id,
    dept: async (code) => (await db.selectFrom('org_unit').select('id').where('dept_code', '=', code).executeTakeFirstOrThrow()).id,
  };
}

/** A case reported by `reporter` in the home (or other) grid, through createCaseRecord. */
export async function newCase(
  fx: CaseFixtures,
  opts: { category?: string; reporter?: string; where?: 'home' | 'other'; reportedAt?: Date; over?: Partial<CreateCaseInput> } = {},
) {
  const at = opts.where === 'other' ? fx.other : fx.home;
  const reporter = opts.reporter ?? 'jumin';
  const calendar = createCalendarService({ repo: createCalendarRepository(fx.db), audit: { append: async () => {} } });
  // Outside the transaction: PGlite is one session.
  const categoryId = opts.over?.categoryId ?? (await fx.category(opts.category ?? '0207'));
  return fx.db.transaction().execute((trx) =>
    createCaseRecord(
      trx,
      { pii: testPii, calendar },
      {
        channel: reporter === 'jumin' ? 'resident' : 'grid_worker',
        categoryId,
        title: '路灯不亮',
        description: '小区东门路灯连续三晚不亮',
        urgency: 'normal',
        regionId: at.communityId,
        regionPath: at.communityPath,
        gridId: at.gridId,
        noGrid: false,
        point: at.point,
        address: '趵突泉南路 1 号东门',
        reporter: { userId: fx.users[reporter] ?? null, name: '吴先生', phone: '13912345678' },
        createdBy: fx.users[reporter] ?? null,
        reportedAt: opts.reportedAt ?? new Date(Date.now() - 60_000),
        ...opts.over,
      },
    ),
  );
}
