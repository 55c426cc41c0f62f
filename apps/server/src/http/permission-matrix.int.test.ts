import { type Role, roleCan, roles } from '@gridgov/contracts/roles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgUnit, createRegion, createUser, regionByCode } from '../../test/factories.js';
import { createTestApp, type TestApp, type TestSession } from '../../test/test-app.js';
import type { RegisteredRoute } from '../app.js';

/**
 * Every endpoint × every role × a target inside and outside the caller's scope (plus no session).
 * The route list comes from the running app: a new endpoint without a case here fails this test.
 *
 * Expected outcome, derived from the route's declared access and the role's permissions:
 *  - no session: 401 (public routes: their own answer)
 *  - role lacks the permission: 403
 *  - in scope: the case's success status; out of scope: 404 (records) or the case's own status
 */
type Target = 'in' | 'out';
interface Who {
  role: Role;
  username: string;
  session: TestSession;
  /** The community inside this user's scope used for in-scope targets. */
  home: Home;
}
interface Home {
  community: { id: string; code: string };
  street: { id: string; code: string };
  station: string;
  user: string;
}
interface Fx {
  out: Home;
  seq(): number;
  t: TestApp;
  tokenOf(w: Who): Promise<string>;
}
interface Req {
  method: string;
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}
interface Case {
  build(fx: Fx, who: Who, target: Target): Req | Promise<Req>;
  /** Success status for an allowed, in-scope call (default 200). */
  ok?: number;
  /** Status for an allowed call aimed out of scope; null: the endpoint has no scoped target. */
  out?: number | null;
  /** Status without a session (default 401; public routes set their own). */
  anon?: number;
  /** Status for a signed-in caller on a public route that still refuses them (the CLI bridge). */
  fixed?: number;
}

const STRONG = 'Matrix#Pass2026';
const get = (url: string): Req => ({ method: 'GET', url });

const cases: Record<string, Case> = {
  'GET /api/health': { build: () => get('/api/health'), out: null, anon: 200 },
  'GET /api/openapi.json': { build: () => get('/api/openapi.json'), out: null, anon: 200 },
  'POST /api/cli': { build: () => ({ method: 'POST', url: '/api/cli', payload: { command: 'migrate' } }), out: null, anon: 401, fixed: 401 },

  'POST /api/auth/login': {
    build: (_f, w) => ({ method: 'POST', url: '/api/auth/login', payload: { login: w.username, password: 'Gridgov@2026' } }),
    out: null,
    anon: 200,
  },
  'POST /api/auth/logout': {
    // A second session of the same user, so the matrix's own session survives.
    build: async (f, w) => {
      const s = await f.t.login(w.username);
      return { method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } };
    },
    out: null,
  },
  'GET /api/auth/session': { build: () => get('/api/auth/session'), out: null },
  'GET /api/auth/sessions': { build: () => get('/api/auth/sessions'), out: null },
  'DELETE /api/auth/sessions/:id': {
    build: async (f, w, target) => {
      const username = target === 'in' ? w.username : 'wgy_outside';
      await f.t.login(username);
      const row = await f.t.database.db
        .selectFrom('user_session as s')
        .innerJoin('app_user as u', 'u.id', 's.user_id')
        .select('s.id')
        .where('u.username', '=', username)
        .where('s.revoked_at', 'is', null)
        .orderBy('s.created_at', 'desc')
        .executeTakeFirstOrThrow();
      return { method: 'DELETE', url: `/api/auth/sessions/${row.id}` };
    },
  },
  // A wrong current password: passing the gate is what is checked (400 from the service, not 401/403).
  'POST /api/auth/password': {
    build: () => ({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'not-my-password', newPassword: STRONG } }),
    ok: 400,
    out: null,
  },
  'PUT /api/auth/locale': { build: () => ({ method: 'PUT', url: '/api/auth/locale', payload: { locale: 'zh-CN' } }), out: null },

  'GET /api/tokens': { build: () => get('/api/tokens'), out: null },
  'POST /api/tokens': {
    build: (_f, w, target) => ({
      method: 'POST',
      url: '/api/tokens',
      payload: { name: 'matrix', permissions: ['region.read'], regionIds: [target === 'in' ? w.home.community.id : _f.out.community.id] },
    }),
    ok: 201,
    out: 403,
  },
  'DELETE /api/tokens/:id': {
    build: async (f, w) => ({ method: 'DELETE', url: `/api/tokens/${await f.tokenOf(w)}` }),
    out: null,
  },

  'GET /api/region-levels': { build: () => get('/api/region-levels'), out: null },
  'PUT /api/region-levels/:key': {
    build: () => ({ method: 'PUT', url: '/api/region-levels/street', payload: { nameZh: '街道/乡镇', nameEn: 'Street/town' } }),
    out: null,
  },
  'GET /api/regions': { build: (f, w, t) => get(`/api/regions?parentId=${t === 'in' ? w.home.community.id : f.out.street.id}`) },
  'GET /api/regions/search': { build: () => get(`/api/regions/search?q=${encodeURIComponent('社区')}`), out: null },
  'GET /api/regions/:id': { build: (f, w, t) => get(`/api/regions/${t === 'in' ? w.home.community.id : f.out.community.id}`) },
  'POST /api/regions': {
    build: (f, w, t) => {
      const street = t === 'in' ? w.home.street : f.out.street;
      const village = String(100 + f.seq()).padStart(3, '0');
      return {
        method: 'POST',
        url: '/api/regions',
        payload: { parentId: street.id, code: `${street.code.slice(0, 9)}${village}`, name: `矩阵社区${village}` },
      };
    },
    ok: 201,
  },
  'PATCH /api/regions/:id': {
    build: (f, w, t) => ({ method: 'PATCH', url: `/api/regions/${t === 'in' ? w.home.community.id : f.out.community.id}`, payload: { sortOrder: 5 } }),
  },
  'DELETE /api/regions/:id': {
    build: async (f, w, t) => {
      const street = t === 'in' ? w.home.street : f.out.street;
      const parent = await regionByCode(f.t.database.db, street.code);
      const leaf = await createRegion(f.t.database.db, {
        parent,
        level: 'community',
        code: `${street.code.slice(0, 9)}${String(300 + f.seq()).padStart(3, '0')}`,
        name: '待删社区',
      });
      return { method: 'DELETE', url: `/api/regions/${leaf.id}` };
    },
  },

  'GET /api/org-units': { build: (f, w, t) => get(`/api/org-units?regionId=${t === 'in' ? w.home.community.id : f.out.community.id}`) },
  'POST /api/org-units': {
    build: (f, w, t) => ({
      method: 'POST',
      url: '/api/org-units',
      payload: { regionId: t === 'in' ? w.home.community.id : f.out.community.id, kind: 'station', name: `矩阵工作站${f.seq()}` },
    }),
    ok: 201,
  },
  'PATCH /api/org-units/:id': {
    build: (f, w, t) => ({ method: 'PATCH', url: `/api/org-units/${t === 'in' ? w.home.station : f.out.station}`, payload: { phone: '0531-8800 0000' } }),
  },

  'GET /api/audit': { build: (f, w, t) => get(`/api/audit?regionId=${t === 'in' ? w.home.community.id : f.out.community.id}`) },
  'GET /api/audit/actions': { build: () => get('/api/audit/actions'), out: null },

  'GET /api/users': { build: (f, w, t) => get(`/api/users?regionId=${t === 'in' ? w.home.community.id : f.out.community.id}`) },
  'GET /api/users/:id': { build: (f, w, t) => get(`/api/users/${t === 'in' ? w.home.user : f.out.user}`) },
  'POST /api/users': {
    build: (f, w, t) => ({
      method: 'POST',
      url: '/api/users',
      payload: {
        username: `matrix_${f.seq()}`,
        displayName: '矩阵用户',
        role: 'grid_worker',
        captureRegionIds: [t === 'in' ? w.home.community.id : f.out.community.id],
        password: STRONG,
      },
    }),
    ok: 201,
    out: 403,
  },
  'PATCH /api/users/:id': {
    build: (f, w, t) => ({ method: 'PATCH', url: `/api/users/${t === 'in' ? w.home.user : f.out.user}`, payload: { displayName: '目标用户' } }),
  },
  'PUT /api/users/:id/scopes': {
    build: (f, w, t) => {
      const h = t === 'in' ? w.home : f.out;
      return { method: 'PUT', url: `/api/users/${h.user}/scopes`, payload: { captureRegionIds: [h.community.id], viewRegionIds: [h.community.id] } };
    },
  },
  'POST /api/users/:id/password': {
    build: (f, w, t) => ({ method: 'POST', url: `/api/users/${t === 'in' ? w.home.user : f.out.user}/password`, payload: { password: STRONG } }),
  },
  'POST /api/users/:id/unlock': { build: (f, w, t) => ({ method: 'POST', url: `/api/users/${t === 'in' ? w.home.user : f.out.user}/unlock` }) },
};

const demoUserOf: Record<Role, string> = {
  system_admin: 'admin',
  district_center: 'qu_zhongxin',
  street_center: 'jd_liuyin',
  community_station: 'sq_baotuquan',
  grid_leader: 'wgz_baotuquan',
  grid_worker: 'wgy_daminghu',
  dept_handler: 'bm_chengguan',
  resident: 'jumin',
};

function expected(route: RegisteredRoute, c: Case, role: Role | null, target: Target): number {
  const access = route.access;
  if (access === 'public') return role === null ? (c.anon ?? 200) : (c.fixed ?? c.ok ?? 200);
  if (role === null) return c.anon ?? 401;
  if (typeof access === 'object' && !roleCan(role, access.permission)) return 403;
  if (target === 'out') return c.out ?? 404;
  return c.ok ?? 200;
}

describe('permission matrix: every endpoint × role × scope', () => {
  let t: TestApp;
  let fx: Fx;
  const who = new Map<Role, Who>();

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    // A second district nobody in the demo may see.
    const d = await createRegion(db, { level: 'district', code: '370119', name: '外区' });
    const s = await createRegion(db, { parent: d, level: 'street', code: '370119001000', name: '外区街道' });
    const c = await createRegion(db, { parent: s, level: 'community', code: '370119001001', name: '外区社区' });
    const outStation = await createOrgUnit(db, { regionId: c.id, kind: 'station', name: '外区工作站' });
    const outUser = await createUser(db, { username: 'wgy_outside', role: 'grid_worker', scopeRegionIds: [c.id] });
    const homeOf = async (communityCode: string, target: string): Promise<Home> => {
      const community = await regionByCode(db, communityCode);
      const street = await regionByCode(db, `${communityCode.slice(0, 9)}000`);
      const station = await db
        .selectFrom('org_unit')
        .select('id')
        .where('region_id', '=', community.id)
        .where('kind', '=', 'station')
        .executeTakeFirstOrThrow();
      const user = await createUser(db, { username: target, role: 'grid_worker', scopeRegionIds: [community.id] });
      return { community, street, station: station.id, user: user.id };
    };
    const baotuquan = await homeOf('370118001001', 'target_btq');
    const daminghu = await homeOf('370118002002', 'target_dmh');
    let n = 0;
    fx = {
      t,
      out: { community: c, street: s, station: outStation.id, user: outUser.id },
      seq: () => ++n,
      async tokenOf(w) {
        const r = await t.as(w.session, {
          method: 'POST',
          url: '/api/tokens',
          payload: { name: `m${++n}`, permissions: ['region.read'], regionIds: [w.home.community.id] },
        });
        if (r.statusCode !== 201) return '00000000-0000-4000-8000-000000000000';
        return r.json().info.id;
      },
    };
    for (const role of roles) {
      const username = demoUserOf[role];
      const home = username === 'jd_liuyin' || username === 'wgy_daminghu' ? daminghu : baotuquan;
      who.set(role, { role, username, home, session: await t.login(username) });
    }
  });
  afterAll(() => t.close());

  it('has a case for every registered endpoint', () => {
    const missing = t.app.routeRegistry.map((r) => `${r.method} ${r.url}`).filter((k) => !cases[k]);
    expect(missing).toEqual([]);
  });

  it('answers each role in and out of scope, and anonymous callers, as the access rules say', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const route of t.app.routeRegistry) {
      const key = `${route.method} ${route.url}`;
      const c = cases[key];
      if (!c) continue;
      const { headers: _own, ...anonReq } = await c.build(fx, who.get('system_admin') as Who, 'in');
      const anon = await t.as(null, anonReq);
      checked++;
      if (anon.statusCode !== expected(route, c, null, 'in'))
        failures.push(`${key} anonymous: ${anon.statusCode} ≠ ${expected(route, c, null, 'in')} ${anon.body.slice(0, 160)}`);
      for (const role of roles) {
        const w = who.get(role) as Who;
        for (const target of ['in', 'out'] as const) {
          if (target === 'out' && c.out === null) continue;
          const req = await c.build(fx, w, target);
          const res = await t.as(w.session, req);
          checked++;
          const want = expected(route, c, role, target);
          if (res.statusCode !== want) failures.push(`${key} as ${role} (${target}): ${res.statusCode} ≠ ${want} ${res.body.slice(0, 160)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(t.app.routeRegistry.length * roles.length);
  });

  it('writes an audit row for every permission denial', async () => {
    const denied = await t.database.db.selectFrom('audit_log').select('id').where('action', '=', 'access.denied').execute();
    expect(denied.length).toBeGreaterThan(0);
  });
});
