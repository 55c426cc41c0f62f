import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/test-app.js';
import { DEMO_PASSWORD } from '../../seed/demo-district.js';

describe('sign-in protection: account lockout, per-address throttle, login CSRF', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const login = (login: string, password: string, opts: { ip?: string; headers?: Record<string, string> } = {}) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: opts.ip ?? '127.0.0.1', headers: opts.headers, payload: { login, password } });
  const count = async (table: 'user_session' | 'audit_log') =>
    Number(
      (
        await t.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('locks the account after 5 wrong passwords; then even the right one is refused until the lock ends', async () => {
    const ip = '10.2.0.1';
    for (let i = 1; i <= 4; i++) {
      const res = await login('wgy_baotuquan', `Wrong-password-${i}`, { ip });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('AUTH_INVALID_CREDENTIALS');
      expect(res.json().error.details.remainingAttempts).toBe(5 - i);
    }
    const fifth = await login('wgy_baotuquan', 'Wrong-password-5', { ip });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('AUTH_ACCOUNT_LOCKED');
    expect(fifth.json().error.message).toBe('登录失败次数过多，账号已临时锁定，请稍后再试');

    const right = await login('wgy_baotuquan', DEMO_PASSWORD, { ip: '10.2.0.99' });
    expect(right.statusCode).toBe(423);
    expect(right.json().error.code).toBe('AUTH_ACCOUNT_LOCKED');
    const until = Date.parse(right.json().error.details.lockedUntil);
    expect(until - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(right.cookies.find((c) => c.name === 'gridgov_sid')).toBeUndefined();

    const locked = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'auth.locked')
      .where('actor_name', '=', 'wgy_baotuquan')
      .execute();
    expect(locked).toHaveLength(1);
    const denied = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'auth.login_failed')
      .where('actor_name', '=', 'wgy_baotuquan')
      .orderBy('id')
      .execute();
    expect(denied.map((a) => a.details.reason)).toEqual(['wrong_password', 'wrong_password', 'wrong_password', 'wrong_password', 'wrong_password', 'locked']);

    // When the lock has run out, the right password works and the failure count starts over.
    await t.database.db
      .updateTable('app_user')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('username', '=', 'wgy_baotuquan')
      .execute();
    expect((await login('wgy_baotuquan', DEMO_PASSWORD, { ip })).statusCode).toBe(200);
    const row = await t.database.db
      .selectFrom('app_user')
      .select(['failed_logins', 'locked_until'])
      .where('username', '=', 'wgy_baotuquan')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ failed_logins: 0, locked_until: null });

    // After a lock runs out without a successful sign-in, one more mistake starts a new count
    // instead of locking the account again at once.
    for (let i = 0; i < 5; i++) await login('wgy_baotuquan', 'Wrong-Password-9', { ip: '10.9.9.9' });
    await t.database.db
      .updateTable('app_user')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('username', '=', 'wgy_baotuquan')
      .execute();
    const again = await login('wgy_baotuquan', 'Wrong-Password-9', { ip: '10.9.9.9' });
    expect(again.json().error.code).toBe('AUTH_INVALID_CREDENTIALS');
    expect(again.json().error.details.remainingAttempts).toBe(4);
  });

  it('throttles one address after 20 failed sign-ins in 10 minutes, whatever accounts it tries', async () => {
    const ip = '10.3.0.1';
    for (let i = 0; i < 20; i++) {
      const res = await login(`guess_${i}`, 'Guess-password-1', { ip });
      expect(res.json().error.code).toBe('AUTH_INVALID_CREDENTIALS');
    }
    const sessions = await count('user_session');
    const refused = await login('jumin', DEMO_PASSWORD, { ip });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('RATE_LIMITED');
    expect(refused.json().error.message).toBe('请求过于频繁，请稍后再试');
    const wait = refused.json().error.details.retryAfterSeconds;
    expect(wait).toBeGreaterThan(500);
    expect(wait).toBeLessThanOrEqual(600);
    expect(refused.headers['retry-after']).toBe(String(wait));
    expect(await count('user_session')).toBe(sessions);

    // The throttled address never reached the account: no failure counted against jumin.
    const jumin = await t.database.db.selectFrom('app_user').select('failed_logins').where('username', '=', 'jumin').executeTakeFirstOrThrow();
    expect(jumin.failed_logins).toBe(0);
    // Other addresses are unaffected.
    expect((await login('jumin', DEMO_PASSWORD, { ip: '10.3.0.2' })).statusCode).toBe(200);
    const throttled = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.ip_throttled').execute();
    expect(throttled.map((a) => a.ip)).toEqual([ip]);
  });

  it('refuses a sign-in that a browser says comes from another site', async () => {
    const sessions = await count('user_session');
    const crossSite = await login('jumin', DEMO_PASSWORD, { ip: '10.4.0.1', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json().error.code).toBe('CSRF_INVALID');
    expect(crossSite.cookies).toHaveLength(0);

    const foreignOrigin = await login('jumin', DEMO_PASSWORD, { ip: '10.4.0.1', headers: { host: 'grid.example.cn', origin: 'https://evil.example.com' } });
    expect(foreignOrigin.json().error.code).toBe('CSRF_INVALID');
    const otherPort = await login('jumin', DEMO_PASSWORD, { ip: '10.4.0.1', headers: { host: 'grid.example.cn', origin: 'https://grid.example.cn:8443' } });
    expect(otherPort.json().error.code).toBe('CSRF_INVALID');
    const nullOrigin = await login('jumin', DEMO_PASSWORD, { ip: '10.4.0.1', headers: { origin: 'null' } });
    expect(nullOrigin.json().error.code).toBe('CSRF_INVALID');
    expect(await count('user_session')).toBe(sessions);

    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'access.denied').where('ip', '=', '10.4.0.1').execute();
    expect(audit).toHaveLength(4);
    expect(audit.every((a) => a.details.reason === 'login_csrf')).toBe(true);
  });

  it('lets same-origin browsers and non-browser clients sign in', async () => {
    const sameOrigin = await login('jumin', DEMO_PASSWORD, {
      headers: { host: 'grid.example.cn', origin: 'https://grid.example.cn', 'sec-fetch-site': 'same-origin' },
    });
    expect(sameOrigin.statusCode).toBe(200);
    const explicitPort = await login('jumin', DEMO_PASSWORD, { headers: { host: 'grid.example.cn:443', origin: 'https://grid.example.cn' } });
    expect(explicitPort.statusCode).toBe(200);
    const devServer = await login('jumin', DEMO_PASSWORD, {
      headers: { host: 'localhost:3000', origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' },
    });
    expect(devServer.statusCode).toBe(200);
    const cli = await login('jumin', DEMO_PASSWORD);
    expect(cli.statusCode).toBe(200);
    expect(cli.cookies.find((c) => c.name === 'gridgov_sid')?.httpOnly).toBe(true);
  });
});
