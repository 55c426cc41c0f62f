import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { DEMO_PASSWORD } from '../../seed/demo-district.js';

describe('own account: password, language, sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const changePassword = (s: TestSession, currentPassword: string, newPassword: string) =>
    t.as(s, { method: 'POST', url: '/api/auth/password', payload: { currentPassword, newPassword } });
  const auditOf = (action: string, actorName: string) =>
    t.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('actor_name', '=', actorName).orderBy('id').execute();

  it('refuses a wrong current password and a new password that breaks the policy, with field messages in Chinese', async () => {
    const s = await t.login('wgz_baotuquan');
    const wrong = await changePassword(s, 'Not-the-password-1', 'Quancheng#2027x');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('AUTH_WRONG_PASSWORD');
    expect(wrong.json().error.message).toBe('当前密码不正确');
    expect(wrong.json().error.fields[0].path).toBe('currentPassword');

    const weak = await changePassword(s, DEMO_PASSWORD, 'short');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('PASSWORD_POLICY');
    const fields = weak.json().error.fields as { path: string; code: string; message: string }[];
    expect(fields.every((f) => f.path === 'newPassword')).toBe(true);
    expect(fields.map((f) => f.code)).toEqual(['too_short', 'too_simple']);
    expect(fields[0]?.message).toBe('至少 10 个字符');

    const same = await changePassword(s, DEMO_PASSWORD, DEMO_PASSWORD);
    expect(same.json().error.code).toBe('PASSWORD_POLICY');
    expect(same.json().error.fields.map((f: { code: string }) => f.code)).toEqual(['same_as_current']);

    const withName = await changePassword(s, DEMO_PASSWORD, 'Wgz_baotuquan#1');
    expect(withName.json().error.fields.map((f: { code: string }) => f.code)).toEqual(['contains_username']);
    const withMobile = await changePassword(s, DEMO_PASSWORD, 'Ab#13800000006');
    expect(withMobile.json().error.fields.map((f: { code: string }) => f.code)).toEqual(['contains_mobile']);

    // Still the old password, and the failed attempt is on record.
    await t.login('wgz_baotuquan');
    const failed = await auditOf('auth.password_changed', 'wgz_baotuquan');
    expect(failed.map((a) => [a.outcome, a.details.reason])).toEqual([['failed', 'wrong_password']]);
  });

  it('changes the password, keeps this session and signs out the others', async () => {
    const here = await t.login('wgy_daminghu');
    const elsewhere = await t.login('wgy_daminghu');
    const res = await changePassword(here, DEMO_PASSWORD, 'Daminghu#2027x');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });

    expect((await t.as(here, { method: 'GET', url: '/api/auth/session' })).statusCode).toBe(200);
    const other = await t.as(elsewhere, { method: 'GET', url: '/api/auth/session' });
    expect(other.statusCode).toBe(401);
    expect(other.json().error.code).toBe('AUTH_SESSION_EXPIRED');

    const old = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'wgy_daminghu', password: DEMO_PASSWORD } });
    expect(old.json().error.code).toBe('AUTH_INVALID_CREDENTIALS');
    await t.login('wgy_daminghu', 'Daminghu#2027x');

    const ok = (await auditOf('auth.password_changed', 'wgy_daminghu')).filter((a) => a.outcome === 'ok');
    expect(ok).toHaveLength(1);
    expect(ok[0]?.details.revokedSessions).toBe(1);
  });

  it('a user who must change the password may only use the account endpoints until done', async () => {
    await t.database.db.updateTable('app_user').set({ must_change_password: true }).where('username', '=', 'admin').execute();
    const s = await t.login('admin');
    const session = await t.as(s, { method: 'GET', url: '/api/auth/session' });
    expect(session.statusCode).toBe(200);
    expect(session.json().me.mustChangePassword).toBe(true);

    const blocked = await t.as(s, { method: 'GET', url: '/api/tokens' });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');
    expect(blocked.json().error.message).toBe('请先修改初始密码');
    const blockedWrite = await t.as(s, { method: 'POST', url: '/api/tokens', payload: { name: 'x', permissions: ['region.read'], regionIds: [randomUUID()] } });
    expect(blockedWrite.json().error.code).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');
    expect((await t.as(s, { method: 'GET', url: '/api/auth/sessions' })).statusCode).toBe(200);

    expect((await changePassword(s, DEMO_PASSWORD, 'Quancheng#2027Root')).statusCode).toBe(200);
    const after = await t.as(s, { method: 'GET', url: '/api/auth/session' });
    expect(after.json().me.mustChangePassword).toBe(false);
    expect((await t.as(s, { method: 'GET', url: '/api/tokens' })).statusCode).toBe(200);
    const row = await t.database.db.selectFrom('app_user').select('must_change_password').where('username', '=', 'admin').executeTakeFirstOrThrow();
    expect(row.must_change_password).toBe(false);
  });

  it('sets my language, and error messages follow it', async () => {
    const s = await t.login('jd_quancheng');
    const res = await t.as(s, { method: 'PUT', url: '/api/auth/locale', payload: { locale: 'en' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().locale).toBe('en');
    expect(res.json().username).toBe('jd_quancheng');

    const wrong = await changePassword(s, 'Not-the-password-1', 'Quancheng#2027x');
    expect(wrong.json().error.message).toBe('The current password is wrong');
    const weak = await changePassword(s, DEMO_PASSWORD, 'short');
    expect(weak.json().error.fields[0].message).toBe('at least 10 characters');
    const missing = await t.as(s, { method: 'DELETE', url: `/api/auth/sessions/${randomUUID()}` });
    expect(missing.json().error.message).toBe('Not found');
    // A new sign-in starts in the chosen language.
    const again = await t.login('jd_quancheng');
    expect((await t.as(again, { method: 'GET', url: '/api/auth/session' })).json().me.locale).toBe('en');

    const bad = await t.as(s, { method: 'PUT', url: '/api/auth/locale', payload: { locale: 'fr' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect(bad.json().error.message).toBe('The request is not valid');

    await t.as(s, { method: 'PUT', url: '/api/auth/locale', payload: { locale: 'zh-CN' } });
    expect((await changePassword(s, 'Not-the-password-1', 'Quancheng#2027x')).json().error.message).toBe('当前密码不正确');
  });

  it('lists my live sessions with the current one flagged, and signs out another of mine', async () => {
    const phone = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'user-agent': 'GridApp/1.0 (Android)' },
      remoteAddress: '10.1.1.2',
      payload: { login: 'sq_baotuquan', password: DEMO_PASSWORD },
    });
    const phoneCookie = `gridgov_sid=${phone.cookies.find((c) => c.name === 'gridgov_sid')?.value}`;
    const desk = await t.login('sq_baotuquan');

    const list = await t.as(desk, { method: 'GET', url: '/api/auth/sessions' });
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { id: string; current: boolean; ip: string; userAgent: string | null; createdAt: string; lastSeenAt: string }[];
    expect(items).toHaveLength(2);
    expect(items.filter((i) => i.current)).toHaveLength(1);
    const phoneSession = items.find((i) => !i.current)!;
    expect(phoneSession.ip).toBe('10.1.1.2');
    expect(phoneSession.userAgent).toBe('GridApp/1.0 (Android)');
    expect(Number.isNaN(Date.parse(phoneSession.createdAt))).toBe(false);

    const del = await t.as(desk, { method: 'DELETE', url: `/api/auth/sessions/${phoneSession.id}` });
    expect(del.statusCode).toBe(200);
    const gone = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: phoneCookie } });
    expect(gone.json().error.code).toBe('AUTH_SESSION_EXPIRED');
    const after = (await t.as(desk, { method: 'GET', url: '/api/auth/sessions' })).json().items;
    expect(after).toHaveLength(1);
    expect(after[0].current).toBe(true);
    const audit = await auditOf('auth.session_revoked', 'sq_baotuquan');
    expect(audit.map((a) => a.target_id)).toEqual([phoneSession.id]);

    // Revoking it again: it is no longer a live session.
    expect((await t.as(desk, { method: 'DELETE', url: `/api/auth/sessions/${phoneSession.id}` })).statusCode).toBe(404);
  });

  it("someone else's session is not found and stays signed in", async () => {
    const victim = await t.login('bm_chengguan');
    const victimId = (await t.as(victim, { method: 'GET', url: '/api/auth/sessions' })).json().items[0].id;
    const other = await t.login('wgy_baotuquan');
    const res = await t.as(other, { method: 'DELETE', url: `/api/auth/sessions/${victimId}` });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    expect((await t.as(victim, { method: 'GET', url: '/api/auth/session' })).statusCode).toBe(200);
    expect((await t.as(other, { method: 'GET', url: '/api/auth/sessions' })).json().items.map((i: { id: string }) => i.id)).not.toContain(victimId);

    const notUuid = await t.as(other, { method: 'DELETE', url: '/api/auth/sessions/1%20OR%201=1' });
    expect(notUuid.statusCode).toBe(400);
    expect(notUuid.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('the account endpoints need a signed-in user and the CSRF header', async () => {
    const anon = await t.app.inject({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: DEMO_PASSWORD, newPassword: 'Quancheng#2027x' } });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error.code).toBe('AUTH_REQUIRED');
    const s = await t.login('qu_zhongxin');
    const noCsrf = await t.app.inject({ method: 'PUT', url: '/api/auth/locale', headers: { cookie: s.cookie }, payload: { locale: 'en' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('CSRF_INVALID');
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/sessions' })).statusCode).toBe(401);
  });
});
