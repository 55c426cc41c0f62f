import type { CaseAction, CaseActionRequest, CaseChannel, Rating } from '@gridgov/contracts/cases';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Principal } from '../http/principal.js';
import type { PiiCipher } from '../lib/pii-crypto.js';
import { createAuditRepository } from '../modules/audit/audit.repository.js';
import { createAuthRepository } from '../modules/auth/auth.repository.js';
import { loadPrincipal } from '../modules/auth/principal.loader.js';
import { createCalendarRepository } from '../modules/calendar/calendar.repository.js';
import { createCalendarService } from '../modules/calendar/calendar.service.js';
import { createCaseRecord } from '../modules/cases/case-create.js';
import { createCasesRepository } from '../modules/cases/cases.repository.js';
import { createWorkflowService } from '../modules/cases/workflow.service.js';

/**
 * A street's recent weeks of cases for the demo (not for the test template: tests build the cases they count).
 * Every case goes through the real intake record and the real workflow service, acting as the demo user whose
 * role and scope the step needs, on a simulated clock — so the timelines, stage clocks, indicator flags and
 * notifications are exactly what the running system would have written. Deterministic (seeded PRNG, fixed
 * offsets from the seeding moment).
 */

/** Where each case ends up; the steps are taken in order from 上报. */
type Plan = readonly (Step | 'stop')[];
interface Step {
  action: CaseAction;
  by: 'dispatcher' | 'handler' | 'grid' | 'reporter';
  note?: string;
  rating?: Rating;
  extra?: Partial<CaseActionRequest>;
}
const s = (action: CaseAction, by: Step['by'], note?: string, more: Partial<Step> = {}): Step => ({ action, by, note, ...more });

const accept = s('accept', 'dispatcher');
const file = s('file', 'dispatcher');
const dispatch = s('dispatch', 'dispatcher');
const claim = s('claim', 'handler');
const feedback = s('feedback', 'handler', '已到场处置完毕，附处置前后照片');
const pass = s('verify_pass', 'grid', '现场核查，问题已解决');
const close = s('close', 'dispatcher');

const PLANS: Record<string, Plan> = {
  reported: [],
  accepted: [accept],
  filed: [accept, file],
  dispatched: [accept, file, dispatch],
  handling: [accept, file, dispatch, claim],
  returned: [accept, file, dispatch, s('return', 'handler', '不属于本部门职责范围，请重新派遣')],
  feedback: [accept, file, dispatch, claim, feedback],
  verified: [accept, file, dispatch, claim, feedback, pass],
  closed: [accept, file, dispatch, claim, feedback, pass, close, s('rate', 'reporter', '处理及时，很满意', { rating: 'satisfied' })],
  closedRework: [
    accept,
    file,
    dispatch,
    claim,
    feedback,
    s('verify_fail', 'grid', '现场仍有残留，需返工'),
    s('feedback', 'handler', '已返工清理完毕'),
    pass,
    close,
    s('rate', 'reporter', '返工后解决了', { rating: 'basic' }),
  ],
  reviewing: [accept, file, dispatch, claim, feedback, pass, close, s('rate', 'reporter', '问题没有根本解决', { rating: 'dissatisfied' })],
  suspended: [accept, file, s('suspend', 'dispatcher', '需等待供暖季结束后统一施工', { extra: { reviewDate: '2027-03-20' } })],
  rejected: [s('reject', 'dispatcher', '重复反映，已在办理中')],
  cancelled: [accept, s('cancel', 'dispatcher', '经核实为误报')],
  selfDisposed: [s('self_dispose', 'grid', '已现场劝导并清理完毕')],
  supervised: [accept, file, dispatch, claim, s('supervise', 'dispatcher', '群众反映强烈，请加快处置', { extra: { supervision: 'yellow' } })],
};

/** How many cases end in each state (about 70 in all; the open ones recent, the closed ones older). */
const MIX: [keyof typeof PLANS, number][] = [
  ['reported', 6],
  ['accepted', 3],
  ['filed', 4],
  ['dispatched', 5],
  ['handling', 6],
  ['returned', 2],
  ['feedback', 4],
  ['verified', 3],
  ['closed', 18],
  ['closedRework', 4],
  ['reviewing', 2],
  ['suspended', 2],
  ['rejected', 2],
  ['cancelled', 2],
  ['selfDisposed', 5],
  ['supervised', 2],
];

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DESCRIPTIONS: Record<string, string[]> = {
  '0301': ['小区东门垃圾桶满溢，周边有暴露垃圾', '路口绿化带内堆有生活垃圾，气味较大'],
  '0303': ['单元门口和电线杆上贴满小广告', '公交站台被张贴大量办证小广告'],
  '0305': ['沿街水果店在人行道上摆摊经营', '饭店在门外摆放桌椅占用人行道'],
  '0307': ['共享单车大量堆放在盲道上', '地铁口非机动车乱停影响通行'],
  '0311': ['人行道地砖松动破损，老人易绊倒', '路面出现坑洼，雨后积水'],
  '0207': ['小区内两盏路灯不亮，夜间出行不便', '背街小巷路灯损坏已一周'],
  '0206': ['人行道井盖破损下陷，有安全隐患'],
  '0118': ['夜间广场舞音响声音过大扰民'],
  '0202': ['楼道内堆放旧家具和纸箱，影响疏散'],
  '0203': ['有居民从楼上飞线给电动车充电'],
  '0110': ['两户邻居因漏水问题发生争执，需要调解'],
  '0119': ['居民咨询高龄津贴申领条件和流程'],
};

export async function seedDemoCases(db: Kysely<DB>, pii: PiiCipher): Promise<{ cases: number }> {
  const rand = prng(20261203);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const seededAt = Date.now();
  let clock = new Date(seededAt);
  const now = () => clock;
  const calendar = createCalendarService({ repo: createCalendarRepository(db), audit: createAuditRepository(db), now });
  const repo = createCasesRepository(db);
  const workflow = createWorkflowService({ repo, calendar, now });
  const auth = createAuthRepository(db);
  const principals = new Map<string, Principal>();
  const as = async (username: string) => {
    const cached = principals.get(username);
    if (cached) return cached;
    const user = await auth.findUserByLogin(username);
    if (!user) throw new Error(`demo cases: no user ${username}`);
    const p = await loadPrincipal(auth, user);
    principals.set(username, p);
    return p;
  };

  const categories = await db
    .selectFrom('event_category as c')
    .innerJoin('event_category_version as v', (j) => j.onRef('v.category_id', '=', 'c.id').onRef('v.version', '=', 'c.current_version'))
    .select(['c.id', 'c.code', 'c.name', 'v.dept_code'])
    .where('c.code', 'in', Object.keys(DESCRIPTIONS))
    .execute();
  const selfDisposable = new Set(['0202', '0203', '0110', '0119', '0303', '0307', '0305']);
  // Two points inside every current grid (deterministic: ST_GeneratePoints with a seed), with the grid's staff.
  const spots = await sql<{
    grid_id: string;
    grid_name: string;
    community_id: string;
    community_code: string;
    path: string;
    street_code: string;
    lng: number;
    lat: number;
    staff: string | null;
  }>`
    SELECT g.id AS grid_id, g.name AS grid_name, g.community_id, c.code AS community_code, c.path, s.code AS street_code,
           ST_X(p.geom) AS lng, ST_Y(p.geom) AS lat,
           (SELECT u.username FROM grid_staff gs JOIN app_user u ON u.id = gs.user_id
             WHERE gs.grid_id = g.id AND u.role = 'grid_worker' ORDER BY u.username LIMIT 1) AS staff
    FROM grid g
    JOIN grid_boundary b ON b.grid_id = g.id AND b.valid_to IS NULL
    JOIN region c ON c.id = g.community_id
    JOIN region s ON s.id = c.parent_id
    CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(b.geom, 2, 7)) AS p
    WHERE g.valid_to IS NULL AND g.level = 'grid' AND g.grid_type <> '03'
    ORDER BY g.code, ST_X(p.geom)`.execute(db);
  const staffed = spots.rows.filter((r) => r.staff);
  const dispatcherOf = (streetCode: string) => (streetCode === '370118001000' ? 'jd_quancheng' : streetCode === '370118002000' ? 'jd_liuyin' : 'qu_zhongxin');

  let count = 0;
  let k = 0;
  for (const [planName, n] of MIX) {
    for (let i = 0; i < n; i++, k++) {
      const plan = PLANS[planName] as Plan;
      const self = planName === 'selfDisposed';
      // 0203 belongs to 应急管理局, which has no demo account: only closed on the spot.
      const candidates = categories.filter((c) => (self ? selfDisposable.has(c.code) : c.code !== '0203'));
      const cat = pick(candidates);
      // 趵突泉 first (the community the demo accounts work in), then the rest of the district.
      // A matter the community itself handles needs a station account to handle it: only 趵突泉 has one in the demo.
      const pool = cat.dept_code || self ? staffed : staffed.filter((r) => r.community_code === '370118001001');
      const spot = k % 3 === 0 ? (pool[k % pool.length] as (typeof staffed)[number]) : pick(pool.filter((r) => r.street_code === '370118001000'));
      const open = !['closed', 'closedRework', 'reviewing', 'rejected', 'cancelled', 'selfDisposed'].includes(planName);
      // Open cases were reported in the last two days, finished ones over the last three weeks.
      const ageHours = open ? 1 + rand() * 40 : 60 + rand() * 440;
      clock = new Date(seededAt - ageHours * 3_600_000);
      // 复核 starts from the resident's own rating in the app.
      const channel: CaseChannel = self
        ? 'grid_worker'
        : planName === 'reviewing'
          ? 'resident'
          : pick(['grid_worker', 'resident', 'resident', 'staff_proxy', 'hotline'] as const);
      const reporterUser = channel === 'resident' ? 'jumin' : channel === 'grid_worker' ? (spot.staff as string) : null;
      const reporter = reporterUser ? await as(reporterUser) : null;
      const description = pick(DESCRIPTIONS[cat.code] ?? [cat.name]);
      const createdBy = reporter?.userId ?? (await as(dispatcherOf(spot.street_code))).userId;
      const created = await db.transaction().execute((trx) =>
        createCaseRecord(
          trx,
          { pii, calendar, now },
          {
            channel,
            channelDetail: channel === 'staff_proxy' ? 'phone' : null,
            externalId: channel === 'hotline' ? `12345-DEMO-${String(1000 + k)}` : null,
            categoryId: cat.id,
            title: `${cat.name}（${spot.grid_name}）`,
            description,
            urgency: rand() < 0.1 ? 'urgent' : 'normal',
            regionId: spot.community_id,
            regionPath: spot.path,
            gridId: spot.grid_id,
            noGrid: false,
            point: { lng: spot.lng, lat: spot.lat },
            address: `${spot.grid_name}内`,
            reporter: reporter
              ? { userId: reporter.userId, name: reporter.displayName, phone: null }
              : { userId: null, name: pick(['张先生', '李女士', '王阿姨', '刘师傅']), phone: `139${String(10000000 + Math.floor(rand() * 89999999))}` },
            createdBy,
            reportedAt: clock,
          },
        ),
      );
      count++;
      for (const step of plan) {
        if (step === 'stop') break;
        clock = new Date(Math.min(clock.getTime() + (20 + rand() * 300) * 60_000, seededAt - 60_000));
        const detail = await repo.getCase(created.case.id);
        const who =
          step.by === 'dispatcher'
            ? dispatcherOf(spot.street_code)
            : step.by === 'grid'
              ? (spot.staff as string)
              : step.by === 'reporter'
                ? channel === 'resident'
                  ? reporterUser
                  : null
                : await handlerFor(detail?.lead_org_unit_id ?? null);
        if (!who) {
          // Only a resident rates in the app; for the other channels the grid worker's callback records the rating.
          if (step.by === 'reporter') {
            await workflow.act(await as(spot.staff as string), created.case.id, {
              action: 'callback',
              note: `电话回访：${step.note ?? ''}`,
              rating: step.rating,
            });
          }
          continue;
        }
        await workflow.act(await as(who), created.case.id, { action: step.action, note: step.note, rating: step.rating, ...step.extra }).catch((e: Error) => {
          throw new Error(`demo case ${k} (${planName}, ${cat.code}, ${spot.grid_name}): ${step.action} as ${who} on ${detail?.status}: ${e.message}`);
        });
      }
    }
  }
  return { cases: count };

  /** A user of the org unit the case was dispatched to (区城市管理局 → bm_chengguan; a station → its grid worker). */
  async function handlerFor(orgUnitId: string | null): Promise<string> {
    if (!orgUnitId) throw new Error('demo cases: a case without a lead org unit');
    const u = await db
      .selectFrom('app_user')
      .select('username')
      .where('org_unit_id', '=', orgUnitId)
      .where('role', 'in', ['dept_handler', 'community_station', 'grid_worker', 'grid_leader', 'street_center', 'district_center'])
      .orderBy('role')
      .orderBy('username')
      .executeTakeFirst();
    if (!u) throw new Error(`demo cases: nobody works in org unit ${orgUnitId}`);
    return u.username;
  }
}
