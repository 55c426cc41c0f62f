import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { demoUsers } from '../../seed/demo-district.js';

/** Demo usernames matching a predicate, sorted as the list endpoint sorts them. */
const demoNames = (pick: (u: (typeof demoUsers)[number]) => boolean) =>
  demoUsers
    .filter(pick)
    .map((u) => u.username)
    .sort();

const TEMP_PASSWORD = 'Temp#Pass2026x';

describe('user administration with scoped roles', () => {
  let t: TestApp;
  const ids = new Map<string, string>();
  const regions = new Map<string, { id: string; path: string }>();
  const sessions = new Map<string, TestSession>();

  const id = (username: string) => ids.get(username) as string;
  const region = (code: string) => regions.get(code) as { id: string; path: string };
  /** One shared session per demo user for requests that do not end it. */
  async function as(username: string) {
    let s = sessions.get(username);
    if (!s) {
      s = await t.login(username);
      sessions.set(username, s);
    }
    return s;
  }
  async function req(username: string, opts: { method: string; url: string; payload?: unknown }) {
    return t.as(await as(username), opts);
  }
  /** Audit rows written while serving this response. */
  function auditOf(res: LightMyRequestResponse) {
    return t.database.db.selectFrom('audit_log').selectAll().where('request_id', '=', String(res.headers['x-request-id'])).execute();
  }
  async function userCount() {
    const r = await t.database.db
      .selectFrom('app_user')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
  async function refreshIds() {
    for (const u of await t.database.db.selectFrom('app_user').select(['id', 'username']).execute()) ids.set(u.username, u.id);
  }
  /** A new account created by the admin, allowed straight in (no forced password change). */
  async function freshUser(body: Record<string, unknown>) {
    const res = await req('admin', { method: 'POST', url: '/api/users', payload: { password: TEMP_PASSWORD, ...body } });
    expect(res.statusCode, res.body).toBe(201);
    const user = res.json() as { id: string; username: string };
    await t.database.db.updateTable('app_user').set({ must_change_password: false }).where('id', '=', user.id).execute();
    ids.set(user.username, user.id);
    return user;
  }
  const usernames = (res: LightMyRequestResponse) => (res.json().items as { username: string }[]).map((u) => u.username);

  beforeAll(async () => {
    t = await createTestApp();
    await refreshIds();
    for (const r of await t.database.db.selectFrom('region').select(['id', 'code', 'path']).execute()) regions.set(r.code, { id: r.id, path: r.path });
  });
  afterAll(() => t.close());

  describe('reading', () => {
    it('a street center lists only users inside its street, with masked phone numbers', async () => {
      const res = await req('jd_quancheng', { method: 'GET', url: '/api/users?limit=200' });
      expect(res.statusCode).toBe(200);
      const names = usernames(res);
      expect(names).toEqual(expect.arrayContaining(['jd_quancheng', 'sq_baotuquan', 'wgz_baotuquan', 'wgy_baotuquan']));
      for (const other of ['wgy_daminghu', 'jd_liuyin', 'qu_zhongxin', 'admin', 'bm_chengguan', 'jumin']) expect(names).not.toContain(other);
      expect(res.json().total).toBe(names.length);
      for (const u of res.json().items) expect(u.mobile).toMatch(/^1\d{2}\*{4}\d{4}$/);
      const sq = res.json().items.find((u: { username: string }) => u.username === 'sq_baotuquan');
      expect(sq).toMatchObject({ role: 'community_station', orgUnitName: '趵突泉社区网格化服务管理站', locked: false, disabled: false });
      expect(sq.captureScope).toEqual([{ regionId: region('370118001001').id, code: '370118001001', name: '趵突泉社区' }]);
    });

    it('a user outside the view scope is 404, inside with management rights shows the full phone', async () => {
      const other = await req('jd_quancheng', { method: 'GET', url: `/api/users/${id('jd_liuyin')}` });
      expect(other.statusCode).toBe(404);
      expect(other.json().error.code).toBe('NOT_FOUND');
      const missing = await req('jd_quancheng', { method: 'GET', url: '/api/users/00000000-0000-4000-8000-000000000000' });
      expect(missing.statusCode).toBe(404);

      const managed = await req('jd_quancheng', { method: 'GET', url: `/api/users/${id('sq_baotuquan')}` });
      expect(managed.statusCode).toBe(200);
      expect(managed.json().mobile).toBe('13800000005');

      // Community station may read users in its community but manages nobody: masked.
      const readOnly = await req('sq_baotuquan', { method: 'GET', url: `/api/users/${id('wgy_baotuquan')}` });
      expect(readOnly.statusCode).toBe(200);
      expect(readOnly.json().mobile).toBe('138****0007');
    });

    it('residents (no scope) are visible to the system administrator only', async () => {
      expect((await req('admin', { method: 'GET', url: `/api/users/${id('jumin')}` })).statusCode).toBe(200);
      expect((await req('qu_zhongxin', { method: 'GET', url: `/api/users/${id('jumin')}` })).statusCode).toBe(404);
      expect(usernames(await req('admin', { method: 'GET', url: '/api/users?role=resident' }))).toEqual(['jumin']);
      expect(usernames(await req('qu_zhongxin', { method: 'GET', url: '/api/users?role=resident' }))).toEqual([]);
    });

    it('filters by region subtree, role and text; a region outside the view scope is 404', async () => {
      const liuyin = region('370118002000').id;
      const outside = await req('jd_quancheng', { method: 'GET', url: `/api/users?regionId=${liuyin}` });
      expect(outside.statusCode).toBe(404);
      // Expected lists come from the demo seed, so they stay true as the demo district grows.
      const inLiuyin = demoNames((u) => u.scope?.startsWith('370118002') ?? false);
      expect(inLiuyin).toEqual(expect.arrayContaining(['jd_liuyin', 'wgy_daminghu']));
      expect(inLiuyin).not.toContain('wgy_baotuquan');
      expect(usernames(await req('qu_zhongxin', { method: 'GET', url: `/api/users?regionId=${liuyin}` }))).toEqual(inLiuyin);
      const workers = demoNames((u) => u.role === 'grid_worker');
      expect(workers).toEqual(expect.arrayContaining(['wgy_baotuquan', 'wgy_daminghu']));
      expect(usernames(await req('qu_zhongxin', { method: 'GET', url: '/api/users?role=grid_worker' }))).toEqual(workers);
      expect(usernames(await req('qu_zhongxin', { method: 'GET', url: `/api/users?q=${encodeURIComponent('网格员')}` }))).toEqual(
        demoNames((u) => u.displayName.includes('网格员')),
      );
      expect(usernames(await req('qu_zhongxin', { method: 'GET', url: '/api/users?q=13800000008' }))).toEqual(['wgy_daminghu']);
      // A partial number finds nobody: phone numbers are matched exactly, never by prefix.
      expect(usernames(await req('qu_zhongxin', { method: 'GET', url: '/api/users?q=1380000' }))).toEqual([]);
      const page = await req('qu_zhongxin', { method: 'GET', url: '/api/users?limit=2&offset=1' });
      expect(page.json().items).toHaveLength(2);
      expect(page.json().total).toBeGreaterThan(2);
    });

    it('roles without user.read are refused, and unknown query fields are named', async () => {
      const worker = await req('wgy_baotuquan', { method: 'GET', url: '/api/users' });
      expect(worker.statusCode).toBe(403);
      expect(worker.json().error.code).toBe('FORBIDDEN');
      const unknown = await req('jd_quancheng', { method: 'GET', url: '/api/users?sort=password_hash' });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.code).toBe('UNKNOWN_FIELD');
      expect(unknown.json().error.fields[0].path).toContain('sort');
    });
  });

  describe('creating', () => {
    const base = () => ({
      username: 'wgy_new1',
      displayName: '新网格员',
      mobile: '13912345678',
      role: 'grid_worker',
      orgUnitId: undefined as string | undefined,
      captureRegionIds: [region('370118001001').id],
      password: TEMP_PASSWORD,
    });

    it('a street center creates a grid worker in its community; the new user must change the password', async () => {
      const res = await req('jd_quancheng', { method: 'POST', url: '/api/users', payload: base() });
      expect(res.statusCode, res.body).toBe(201);
      const user = res.json();
      expect(user).toMatchObject({
        username: 'wgy_new1',
        displayName: '新网格员',
        mobile: '13912345678',
        role: 'grid_worker',
        mustChangePassword: true,
        disabled: false,
      });
      expect(user.captureScope.map((s: { name: string }) => s.name)).toEqual(['趵突泉社区']);
      expect(JSON.stringify(user)).not.toContain('argon2');

      const audit = await auditOf(res);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        action: 'user.created',
        outcome: 'ok',
        actor_name: 'jd_quancheng',
        target_type: 'user',
        target_id: user.id,
        region_path: region('370118001001').path,
      });

      const s = await t.login('wgy_new1', TEMP_PASSWORD);
      const me = (await t.as(s, { method: 'GET', url: '/api/auth/session' })).json().me;
      expect(me.mustChangePassword).toBe(true);
      expect(me.captureScope[0].name).toBe('趵突泉社区');
      const blocked = await t.as(s, { method: 'GET', url: '/api/users' });
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().error.code).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');
    });

    it('granting a scope outside the own capture scope is OUT_OF_SCOPE with the field named; nothing is written', async () => {
      const before = await userCount();
      const res = await req('jd_quancheng', {
        method: 'POST',
        url: '/api/users',
        payload: {
          ...base(),
          username: 'wgy_far',
          mobile: undefined,
          captureRegionIds: [region('370118002002').id],
          viewRegionIds: [region('370118001001').id, region('370118002000').id],
        },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('OUT_OF_SCOPE');
      expect(res.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['captureRegionIds.0', 'viewRegionIds.1']);
      expect(await userCount()).toBe(before);
      expect(await auditOf(res)).toHaveLength(0);
    });

    it('an unknown region id is VALIDATION_FAILED on that field', async () => {
      const res = await req('jd_quancheng', {
        method: 'POST',
        url: '/api/users',
        payload: { ...base(), username: 'wgy_nowhere', mobile: undefined, captureRegionIds: ['00000000-0000-4000-8000-000000000000'] },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'captureRegionIds.0', code: 'unknown_region' }] });
    });

    it('a role above the actor is FORBIDDEN on field role', async () => {
      const res = await req('jd_quancheng', {
        method: 'POST',
        url: '/api/users',
        payload: { ...base(), username: 'qu_new', mobile: undefined, role: 'district_center' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
      expect(res.json().error.fields[0].path).toBe('role');
      expect(await auditOf(res)).toHaveLength(0);
    });

    it('role/scope shape: staff need a capture scope, residents have none', async () => {
      const staff = await req('jd_quancheng', {
        method: 'POST',
        url: '/api/users',
        payload: { ...base(), username: 'wgy_noscope', mobile: undefined, captureRegionIds: [] },
      });
      expect(staff.statusCode).toBe(400);
      expect(staff.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'captureRegionIds' }] });
      const resident = await req('admin', {
        method: 'POST',
        url: '/api/users',
        payload: { ...base(), username: 'jumin_scoped', mobile: undefined, role: 'resident' },
      });
      expect(resident.statusCode).toBe(400);
      expect(resident.json().error.fields[0].path).toBe('captureRegionIds');
      const okResident = await req('admin', {
        method: 'POST',
        url: '/api/users',
        payload: { username: 'jumin_2', displayName: '居民小钱', role: 'resident', password: TEMP_PASSWORD },
      });
      expect(okResident.statusCode, okResident.body).toBe(201);
      expect(okResident.json().captureScope).toEqual([]);
      expect((await auditOf(okResident))[0]).toMatchObject({ action: 'user.created', region_id: null });
    });

    it('org units: must exist, lie in scope, and be a department for a department handler', async () => {
      const orgs = await t.database.db.selectFrom('org_unit').select(['id', 'name']).execute();
      const org = (name: string) => orgs.find((o) => o.name === name)?.id as string;
      const station = await req('qu_zhongxin', {
        method: 'POST',
        url: '/api/users',
        payload: { ...base(), username: 'bm_wrong', mobile: undefined, role: 'dept_handler', orgUnitId: org('趵突泉社区网格化服务管理站') },
      });
      expect(station.statusCode).toBe(400);
      expect(station.json().error.fields[0]).toMatchObject({ path: 'orgUnitId', code: 'department_required' });
      const none = await req('qu_zhongxin', {
        method: 'POST',
        url: '/api/users',
        payload: { ...base(), username: 'bm_none', mobile: undefined, role: 'dept_handler' },
      });
      expect(none.json().error.fields[0].path).toBe('orgUnitId');
      const unknown = await req('qu_zhongxin', {
        method: 'POST',
        url: '/api/users',
        payload: { ...base(), username: 'bm_x', mobile: undefined, orgUnitId: '00000000-0000-4000-8000-000000000000' },
      });
      expect(unknown.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'orgUnitId', code: 'unknown_org_unit' }] });
      // Departments sit at the district: a street center cannot place anyone there.
      const street = await req('jd_quancheng', {
        method: 'POST',
        url: '/api/users',
        payload: { ...base(), username: 'bm_street', mobile: undefined, role: 'dept_handler', orgUnitId: org('区城市管理局') },
      });
      expect(street.statusCode).toBe(403);
      expect(street.json().error).toMatchObject({ code: 'OUT_OF_SCOPE', fields: [{ path: 'orgUnitId' }] });
      const ok = await req('qu_zhongxin', {
        method: 'POST',
        url: '/api/users',
        payload: {
          ...base(),
          username: 'bm_zhujian',
          mobile: undefined,
          role: 'dept_handler',
          orgUnitId: org('区住房和城乡建设局'),
          captureRegionIds: [region('370118').id],
        },
      });
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json().orgUnitName).toBe('区住房和城乡建设局');
    });

    it('a duplicate username (any case) is USERNAME_TAKEN, a duplicate mobile MOBILE_TAKEN; nothing is written', async () => {
      const before = await userCount();
      const dup = await req('jd_quancheng', { method: 'POST', url: '/api/users', payload: { ...base(), username: 'WGY_BaoTuQuan', mobile: undefined } });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().error).toMatchObject({ code: 'USERNAME_TAKEN', fields: [{ path: 'username' }] });
      expect(dup.json().error.message).toBe('用户名已被使用');
      expect(await auditOf(dup)).toHaveLength(0);
      const mobile = await req('jd_quancheng', { method: 'POST', url: '/api/users', payload: { ...base(), username: 'wgy_dupmobile', mobile: '13800000007' } });
      expect(mobile.statusCode).toBe(409);
      expect(mobile.json().error).toMatchObject({ code: 'MOBILE_TAKEN', fields: [{ path: 'mobile' }] });
      expect(await userCount()).toBe(before);
      expect(await t.database.db.selectFrom('app_user').select('id').where('username', '=', 'wgy_dupmobile').executeTakeFirst()).toBeUndefined();
    });

    it('a weak initial password is PASSWORD_POLICY on field password', async () => {
      for (const password of ['short1A!', 'alllowercaseletters', 'Wgy_weak_pw#2026']) {
        const res = await req('jd_quancheng', {
          method: 'POST',
          url: '/api/users',
          payload: { ...base(), username: 'wgy_weak_pw', mobile: undefined, password },
        });
        expect(res.statusCode, password).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'PASSWORD_POLICY', fields: [{ path: 'password' }] });
      }
    });

    it('unknown body fields are UNKNOWN_FIELD', async () => {
      const res = await req('jd_quancheng', {
        method: 'POST',
        url: '/api/users',
        payload: { ...base(), username: 'wgy_extra', mobile: undefined, disabled: false, passwordHash: 'x' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('UNKNOWN_FIELD');
      expect(
        res
          .json()
          .error.fields.map((f: { path: string }) => f.path)
          .sort(),
      ).toEqual(['disabled', 'passwordHash']);
    });

    it('injection strings get specific 400s or empty results, never a 500, and write nothing', async () => {
      const before = await userCount();
      // LIKE wildcards match literally: no username or name contains '%' or a backslash.
      for (const q of ["' OR 1=1 --", "'; DROP TABLE app_user; --", '%', '%%', '\\', '"); SELECT pg_sleep(1); --']) {
        const res = await req('qu_zhongxin', { method: 'GET', url: `/api/users?q=${encodeURIComponent(q)}` });
        expect(res.statusCode, q).toBe(200);
        expect(res.json(), q).toEqual({ items: [], total: 0 });
      }
      const nul = await req('qu_zhongxin', { method: 'GET', url: `/api/users?q=${encodeURIComponent('a\u0000b')}` });
      expect(nul.statusCode).toBe(400);
      expect(nul.json().error.code).toBe('VALIDATION_FAILED');
      const cases: [Record<string, unknown>, string][] = [
        [{ username: "admin'--" }, 'username'],
        [{ username: 'x; DROP TABLE app_user' }, 'username'],
        [{ displayName: "'; DROP TABLE app_user; --" }, 'displayName'],
        [{ displayName: '<script>alert(1)</script>' }, 'displayName'],
        [{ displayName: 'a\u0000b' }, 'displayName'],
        [{ mobile: "13800000001' OR '1'='1" }, 'mobile'],
        [{ captureRegionIds: ["' OR 1=1 --"] }, 'captureRegionIds.0'],
      ];
      for (const [patch, path] of cases) {
        const res = await req('jd_quancheng', { method: 'POST', url: '/api/users', payload: { ...base(), username: 'wgy_inj', mobile: undefined, ...patch } });
        expect(res.statusCode, JSON.stringify(patch)).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
        expect(res.json().error.fields[0].path).toBe(path);
        expect(await auditOf(res)).toHaveLength(0);
      }
      const patched = await req('jd_quancheng', { method: 'PATCH', url: `/api/users/${id('wgz_baotuquan')}`, payload: { displayName: "x' OR '1'='1" } });
      expect(patched.statusCode).toBe(400);
      const badId = await req('jd_quancheng', { method: 'GET', url: `/api/users/${encodeURIComponent("1' OR '1'='1")}` });
      expect(badId.statusCode).toBe(400);
      expect(await userCount()).toBe(before);
    });

    it('names in other scripts and with the marks real names use are accepted', async () => {
      const res = await req('admin', {
        method: 'POST',
        url: '/api/users',
        payload: { ...base(), username: 'wgy_name', mobile: undefined, displayName: '买买提·艾力' },
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().displayName).toBe('买买提·艾力');
    });
  });

  describe('changing', () => {
    it('disabling kills the user’s sessions; enabling lets them back in; each write one audit row', async () => {
      const victim = await t.login('wgz_baotuquan');
      expect((await t.as(victim, { method: 'GET', url: '/api/auth/session' })).statusCode).toBe(200);
      const off = await req('jd_quancheng', { method: 'PATCH', url: `/api/users/${id('wgz_baotuquan')}`, payload: { disabled: true } });
      expect(off.statusCode, off.body).toBe(200);
      expect(off.json().disabled).toBe(true);
      expect((await auditOf(off)).map((a) => a.action)).toEqual(['user.disabled']);
      expect((await t.as(victim, { method: 'GET', url: '/api/auth/session' })).statusCode).toBe(401);
      const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'wgz_baotuquan', password: 'Gridgov@2026' } });
      expect(login.json().error.code).toBe('AUTH_ACCOUNT_DISABLED');

      const on = await req('jd_quancheng', { method: 'PATCH', url: `/api/users/${id('wgz_baotuquan')}`, payload: { disabled: false } });
      expect((await auditOf(on)).map((a) => a.action)).toEqual(['user.enabled']);
      await t.login('wgz_baotuquan');
      expect((await req('jd_quancheng', { method: 'GET', url: '/api/users?disabled=true' })).json().items).toEqual([]);
    });

    it('other changes audit the changed field names, never the phone number', async () => {
      const u = await freshUser({
        username: 'wgy_edit',
        displayName: '待修改',
        mobile: '13911110000',
        role: 'grid_worker',
        captureRegionIds: [region('370118001002').id],
      });
      const res = await req('jd_quancheng', {
        method: 'PATCH',
        url: `/api/users/${u.id}`,
        payload: { displayName: '已修改', mobile: '13911110001', role: 'grid_leader' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ displayName: '已修改', mobile: '13911110001', role: 'grid_leader' });
      const audit = await auditOf(res);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'user.updated', region_path: region('370118001002').path });
      expect(audit[0]?.details).toMatchObject({ changed: ['displayName', 'mobile', 'role'], role: { from: 'grid_worker', to: 'grid_leader' } });
      expect(JSON.stringify(audit[0]?.details)).not.toContain('1391111');
      const taken = await req('jd_quancheng', { method: 'PATCH', url: `/api/users/${u.id}`, payload: { mobile: '13800000005' } });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().error.code).toBe('MOBILE_TAKEN');
      const unknown = await req('jd_quancheng', { method: 'PATCH', url: `/api/users/${u.id}`, payload: { username: 'renamed' } });
      expect(unknown.json().error.code).toBe('UNKNOWN_FIELD');
    });

    it('role and ownership rules: no raising, no self-edits, admins only by admins, others out of reach', async () => {
      const up = await req('jd_quancheng', { method: 'PATCH', url: `/api/users/${id('sq_baotuquan')}`, payload: { role: 'district_center' } });
      expect(up.statusCode).toBe(403);
      expect(up.json().error).toMatchObject({ code: 'FORBIDDEN', fields: [{ path: 'role' }] });
      const self = await req('jd_quancheng', { method: 'PATCH', url: `/api/users/${id('jd_quancheng')}`, payload: { role: 'community_station' } });
      expect(self.statusCode).toBe(403);
      expect(self.json().error.code).toBe('FORBIDDEN');
      const selfOff = await req('admin', { method: 'PATCH', url: `/api/users/${id('admin')}`, payload: { disabled: true } });
      expect(selfOff.json().error.code).toBe('FORBIDDEN');
      const selfScope = await req('jd_quancheng', {
        method: 'PUT',
        url: `/api/users/${id('jd_quancheng')}/scopes`,
        payload: { captureRegionIds: [region('370118001000').id], viewRegionIds: [region('370118').id] },
      });
      expect(selfScope.json().error.code).toBe('FORBIDDEN');
      const admin = await req('qu_zhongxin', { method: 'PATCH', url: `/api/users/${id('admin')}`, payload: { displayName: '改名' } });
      expect(admin.statusCode).toBe(403);
      expect(admin.json().error.code).toBe('FORBIDDEN');
      const elsewhere = await req('jd_quancheng', { method: 'PATCH', url: `/api/users/${id('jd_liuyin')}`, payload: { displayName: '改名' } });
      expect(elsewhere.statusCode).toBe(404);
      const readOnly = await req('sq_baotuquan', { method: 'PATCH', url: `/api/users/${id('wgy_baotuquan')}`, payload: { displayName: '改名' } });
      expect(readOnly.json().error.code).toBe('FORBIDDEN');
      const toDept = await req('jd_quancheng', { method: 'PATCH', url: `/api/users/${id('wgy_baotuquan')}`, payload: { role: 'dept_handler' } });
      expect(toDept.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'orgUnitId' }] });
      // Own name is fine.
      const ownName = await req('jd_quancheng', { method: 'PATCH', url: `/api/users/${id('jd_quancheng')}`, payload: { displayName: '李调度' } });
      expect(ownName.statusCode).toBe(200);
    });

    it('a user the actor can view but not capture is OUT_OF_SCOPE to manage', async () => {
      await freshUser({
        username: 'wgy_furong',
        displayName: '芙蓉网格员',
        mobile: '13922220000',
        role: 'grid_worker',
        captureRegionIds: [region('370118001002').id],
      });
      await freshUser({
        username: 'jd_viewer',
        displayName: '只读调度',
        role: 'street_center',
        captureRegionIds: [region('370118001001').id],
        viewRegionIds: [region('370118001000').id],
      });
      const viewer = await t.login('jd_viewer', TEMP_PASSWORD);
      const got = await t.as(viewer, { method: 'GET', url: `/api/users/${id('wgy_furong')}` });
      expect(got.statusCode).toBe(200);
      expect(got.json().mobile).toBe('139****0000');
      const res = await t.as(viewer, { method: 'PATCH', url: `/api/users/${id('wgy_furong')}`, payload: { displayName: '改名' } });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('OUT_OF_SCOPE');
    });

    it('new scopes apply to the user’s existing session at once, audited with region codes', async () => {
      const station = await t.login('sq_baotuquan');
      expect(usernames(await t.as(station, { method: 'GET', url: '/api/users' }))).toContain('wgy_baotuquan');
      const res = await req('jd_quancheng', {
        method: 'PUT',
        url: `/api/users/${id('sq_baotuquan')}/scopes`,
        payload: { captureRegionIds: [region('370118001002').id], viewRegionIds: [region('370118001002').id] },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().captureScope.map((s: { name: string }) => s.name)).toEqual(['芙蓉巷社区']);
      const audit = await auditOf(res);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'user.scopes_changed', region_path: region('370118001002').path });
      expect(audit[0]?.details).toEqual({
        before: { capture: ['370118001001'], view: ['370118001001'] },
        after: { capture: ['370118001002'], view: ['370118001002'] },
      });

      const me = (await t.as(station, { method: 'GET', url: '/api/auth/session' })).json().me;
      expect(me.captureScope.map((s: { name: string }) => s.name)).toEqual(['芙蓉巷社区']);
      const list = usernames(await t.as(station, { method: 'GET', url: '/api/users' }));
      expect(list).not.toContain('wgy_baotuquan');
      expect(list).toContain('wgy_furong');

      const far = await req('jd_quancheng', {
        method: 'PUT',
        url: `/api/users/${id('sq_baotuquan')}/scopes`,
        payload: { captureRegionIds: [region('370118001001').id], viewRegionIds: [region('370118002000').id] },
      });
      expect(far.json().error).toMatchObject({ code: 'OUT_OF_SCOPE', fields: [{ path: 'viewRegionIds.0' }] });
      const empty = await req('jd_quancheng', {
        method: 'PUT',
        url: `/api/users/${id('sq_baotuquan')}/scopes`,
        payload: { captureRegionIds: [], viewRegionIds: [] },
      });
      expect(empty.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'captureRegionIds' }] });
      const resident = await req('admin', {
        method: 'PUT',
        url: `/api/users/${id('jumin')}/scopes`,
        payload: { captureRegionIds: [region('370118001001').id], viewRegionIds: [] },
      });
      expect(resident.json().error.code).toBe('VALIDATION_FAILED');

      const back = await req('jd_quancheng', {
        method: 'PUT',
        url: `/api/users/${id('sq_baotuquan')}/scopes`,
        payload: { captureRegionIds: [region('370118001001').id], viewRegionIds: [region('370118001001').id] },
      });
      expect(back.statusCode).toBe(200);
    });

    it('a password reset revokes sessions, clears lockout, and forces a change at next sign-in', async () => {
      const old = await t.login('sq_baotuquan');
      await t.database.db.updateTable('app_user').set({ failed_logins: 3 }).where('id', '=', id('sq_baotuquan')).execute();
      const weak = await req('jd_quancheng', { method: 'POST', url: `/api/users/${id('sq_baotuquan')}/password`, payload: { password: 'password' } });
      expect(weak.statusCode).toBe(400);
      expect(weak.json().error).toMatchObject({ code: 'PASSWORD_POLICY', fields: [{ path: 'password' }] });

      const res = await req('jd_quancheng', { method: 'POST', url: `/api/users/${id('sq_baotuquan')}/password`, payload: { password: TEMP_PASSWORD } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().mustChangePassword).toBe(true);
      expect((await auditOf(res)).map((a) => a.action)).toEqual(['user.password_reset']);
      expect(JSON.stringify((await auditOf(res))[0]?.details)).not.toContain(TEMP_PASSWORD);
      expect((await t.as(old, { method: 'GET', url: '/api/auth/session' })).statusCode).toBe(401);
      const row = await t.database.db
        .selectFrom('app_user')
        .select(['failed_logins', 'locked_until'])
        .where('id', '=', id('sq_baotuquan'))
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ failed_logins: 0, locked_until: null });

      const fresh = await t.login('sq_baotuquan', TEMP_PASSWORD);
      const blocked = await t.as(fresh, { method: 'GET', url: '/api/users' });
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().error.code).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');
      const self = await req('admin', { method: 'POST', url: `/api/users/${id('admin')}/password`, payload: { password: TEMP_PASSWORD } });
      expect(self.json().error.code).toBe('FORBIDDEN');
    });

    it('unlock clears a lockout so the user can sign in again', async () => {
      await t.database.db
        .updateTable('app_user')
        .set({ failed_logins: 5, locked_until: new Date(Date.now() + 30 * 60_000) })
        .where('id', '=', id('wgy_baotuquan'))
        .execute();
      const locked = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'wgy_baotuquan', password: 'Gridgov@2026' } });
      expect(locked.json().error.code).toBe('AUTH_ACCOUNT_LOCKED');
      expect((await req('jd_quancheng', { method: 'GET', url: `/api/users/${id('wgy_baotuquan')}` })).json().locked).toBe(true);

      const res = await req('jd_quancheng', { method: 'POST', url: `/api/users/${id('wgy_baotuquan')}/unlock` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().locked).toBe(false);
      const audit = await auditOf(res);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'user.updated', details: { unlocked: true } });
      await t.login('wgy_baotuquan');
      const outside = await req('jd_quancheng', { method: 'POST', url: `/api/users/${id('wgy_daminghu')}/unlock` });
      expect(outside.statusCode).toBe(404);
    });
  });
});
