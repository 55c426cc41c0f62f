import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/test-app.js';

describe('sign-in and sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('signs in by username and by mobile, and the session shows who I am', async () => {
    const s = await t.login('admin');
    const res = await t.as(s, { method: 'GET', url: '/api/auth/session' });
    expect(res.statusCode).toBe(200);
    expect(res.json().me.role).toBe('system_admin');
    const byMobile = await t.login('13800000007');
    const me = (await t.as(byMobile, { method: 'GET', url: '/api/auth/session' })).json().me;
    expect(me.username).toBe('wgy_baotuquan');
    expect(me.captureScope[0].name).toBe('趵突泉社区');
  });

  it('a wrong password gets AUTH_INVALID_CREDENTIALS in Chinese and an unknown user the same', async () => {
    const a = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'jd_liuyin', password: 'nope-nope-1A' } });
    const b = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'nobody_here', password: 'nope-nope-1A' } });
    expect(a.statusCode).toBe(401);
    expect(a.json().error.code).toBe('AUTH_INVALID_CREDENTIALS');
    expect(a.json().error.message).toBe('用户名或密码错误');
    expect(b.json().error.code).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('logout revokes the session server-side', async () => {
    const s = await t.login('qu_zhongxin');
    expect((await t.as(s, { method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(200);
    const after = await t.as(s, { method: 'GET', url: '/api/auth/session' });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('AUTH_SESSION_EXPIRED');
  });

  it('a cookie-authenticated write without the CSRF header is refused', async () => {
    const s = await t.login('jd_quancheng');
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_INVALID');
  });
});
