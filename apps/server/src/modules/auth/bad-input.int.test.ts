import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import { DEMO_PASSWORD } from '../../seed/demo-district.js';

/** Strings attackers try in every text field; each must be treated as plain data. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a Log4Shell probe, literally
const INJECTIONS = ["' OR 1=1 --", "admin'--", '"; DROP TABLE app_user; --', '<script>alert(1)</script>', '${jndi:ldap://x}', '../../etc/passwd', '\u0000'];

describe('bad input on the sign-in, password and token endpoints', () => {
  let t: TestApp;
  let admin: TestSession;
  let districtId: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin');
    districtId = (await t.database.db.selectFrom('region').select('id').where('code', '=', '370118').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => t.close());

  const counts = async () => {
    const n = async (table: 'app_user' | 'user_session' | 'api_token') =>
      Number(
        (
          await t.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return { app_user: await n('app_user'), user_session: await n('user_session'), api_token: await n('api_token') };
  };
  /** A request from a given client address, with the session's cookie and CSRF header when given. */
  const send = (opts: { method?: string; url: string; session?: TestSession; ip?: string; payload?: unknown; headers?: Record<string, string> }) =>
    t.app.inject({
      method: (opts.method ?? 'POST') as 'POST',
      url: opts.url,
      remoteAddress: opts.ip ?? '127.0.0.1',
      payload: opts.payload as string,
      headers: { ...(opts.session ? { cookie: opts.session.cookie, 'x-csrf-token': opts.session.csrf } : {}), ...opts.headers },
    });

  const endpoints = () => [
    { url: '/api/auth/login', session: undefined, valid: { login: 'jumin', password: 'Wrong-password-1' } },
    { url: '/api/auth/password', session: admin, valid: { currentPassword: 'Wrong-password-1', newPassword: 'Quancheng#2027x' } },
    { url: '/api/tokens', session: admin, valid: { name: '热线', permissions: ['region.read'], regionIds: [districtId] } },
  ];

  it('malformed JSON is MALFORMED_JSON', async () => {
    for (const e of endpoints()) {
      for (const body of ['{"login":', '{', 'null x', '']) {
        const res = await send({ url: e.url, session: e.session, ip: '10.8.0.1', payload: body, headers: { 'content-type': 'application/json' } });
        expect(res.statusCode, `${e.url} ${body}`).toBe(400);
        expect(res.json().error.code).toBe('MALFORMED_JSON');
        expect(res.json().error.message).toBe('请求体不是合法的 JSON');
      }
    }
  });

  it('a body over the limit is BODY_TOO_LARGE', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    for (const e of endpoints()) {
      const payload = JSON.stringify({ ...e.valid, name: big });
      const res = await send({ url: e.url, session: e.session, ip: '10.8.0.2', payload, headers: { 'content-type': 'application/json' } });
      expect(res.statusCode, e.url).toBe(413);
      expect(res.json().error.code).toBe('BODY_TOO_LARGE');
    }
  });

  it('a field the endpoint does not know is UNKNOWN_FIELD, naming it', async () => {
    for (const e of endpoints()) {
      const res = await send({ url: e.url, session: e.session, ip: '10.8.0.3', payload: { ...e.valid, role: 'system_admin', isAdmin: true } });
      expect(res.statusCode, e.url).toBe(400);
      expect(res.json().error.code).toBe('UNKNOWN_FIELD');
      const paths = res
        .json()
        .error.fields.map((f: { path: string }) => f.path)
        .sort();
      expect(paths).toEqual(['isAdmin', 'role']);
    }
  });

  it('wrong types are VALIDATION_FAILED with the fields named', async () => {
    const cases: [string, TestSession | undefined, unknown, string[]][] = [
      ['/api/auth/login', undefined, { login: 123, password: ['x'] }, ['login', 'password']],
      ['/api/auth/login', undefined, { login: '', password: '' }, ['login', 'password']],
      ['/api/auth/login', undefined, { login: 'x'.repeat(65), password: 'x'.repeat(129) }, ['login', 'password']],
      ['/api/auth/password', admin, { currentPassword: null, newPassword: { $ne: '' } }, ['currentPassword', 'newPassword']],
      ['/api/auth/password', admin, {}, ['currentPassword', 'newPassword']],
      ['/api/tokens', admin, { name: 5, permissions: 'region.read', regionIds: [districtId], expiresAt: 1700000000 }, ['expiresAt', 'name', 'permissions']],
      ['/api/tokens', admin, { name: 'x', permissions: [], regionIds: [] }, ['permissions', 'regionIds']],
      ['/api/tokens', admin, { name: 'x', permissions: ['region.read', 'root'], regionIds: Array(51).fill(districtId) }, ['permissions.1', 'regionIds']],
      ['/api/tokens', admin, [{ name: 'x' }], ['body']],
    ];
    for (const [url, session, payload, paths] of cases) {
      const res = await send({ url, session, ip: '10.8.0.4', payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(
        res
          .json()
          .error.fields.map((f: { path: string }) => f.path)
          .sort(),
        JSON.stringify(payload),
      ).toEqual(paths);
    }
  });

  it('a body that is not JSON is UNSUPPORTED_MEDIA_TYPE', async () => {
    for (const e of endpoints()) {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
        const res = await send({ url: e.url, session: e.session, ip: '10.8.0.5', payload: 'login=admin&password=x', headers: { 'content-type': type } });
        expect(res.statusCode, `${e.url} ${type}`).toBe(415);
        expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      }
    }
  });

  it('a bad id in the path is VALIDATION_FAILED; an unknown one NOT_FOUND', async () => {
    for (const url of ['/api/tokens/1%20OR%201=1', "/api/tokens/'--", '/api/auth/sessions/..%2F..%2Fetc%2Fpasswd']) {
      const res = await send({ method: 'DELETE', url, session: admin });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.fields[0].path).toBe('params.id');
    }
    expect((await send({ method: 'DELETE', url: `/api/tokens/${randomUUID()}`, session: admin })).json().error.code).toBe('NOT_FOUND');
  });

  it('injection strings in the sign-in fields get specific errors and create nothing', async () => {
    const before = await counts();
    for (const s of INJECTIONS) {
      const res = await send({ url: '/api/auth/login', ip: '10.8.1.1', payload: { login: s, password: DEMO_PASSWORD } });
      if (s === '\u0000') {
        expect(res.statusCode).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'login' }] });
      } else {
        expect(res.statusCode, s).toBe(401);
        expect(res.json().error.code).toBe('AUTH_INVALID_CREDENTIALS');
      }
    }
    for (const s of INJECTIONS) {
      const res = await send({ url: '/api/auth/login', ip: '10.8.1.2', payload: { login: 'bm_chengguan', password: s } });
      if (s === '\u0000') {
        expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'password' }] });
      } else {
        // Six wrong passwords: the fifth locks the account.
        expect(['AUTH_INVALID_CREDENTIALS', 'AUTH_ACCOUNT_LOCKED'], s).toContain(res.json().error.code);
      }
    }
    expect(await counts()).toEqual(before);
    // Failed sign-ins are audited on purpose; the injected text is stored as data.
    const failed = await t.database.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'auth.login_failed')
      .where('ip', '=', '10.8.1.1')
      .orderBy('id')
      .execute();
    expect(failed.map((a) => a.details.login)).toEqual(INJECTIONS.slice(0, -1));
  });

  it('injection strings in the password change get specific errors; an acceptable one is simply the new password', async () => {
    const s = await t.login('jd_liuyin');
    const before = await counts();
    for (const bad of INJECTIONS) {
      const res = await send({ url: '/api/auth/password', session: s, payload: { currentPassword: bad, newPassword: 'Quancheng#2027x' } });
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe(bad === '\u0000' ? 'VALIDATION_FAILED' : 'AUTH_WRONG_PASSWORD');
    }
    expect(await counts()).toEqual(before);

    // As a new password each string is judged by the policy like any other text.
    const expected: Record<string, number | string> = {
      "' OR 1=1 --": 200,
      "admin'--": 'PASSWORD_POLICY',
      '"; DROP TABLE app_user; --': 200,
      '<script>alert(1)</script>': 200,
      '${jndi:ldap://x}': 'PASSWORD_POLICY',
      '../../etc/passwd': 'PASSWORD_POLICY',
      '\u0000': 'VALIDATION_FAILED',
    };
    let current = DEMO_PASSWORD;
    for (const next of INJECTIONS) {
      const res = await send({ url: '/api/auth/password', session: s, payload: { currentPassword: current, newPassword: next } });
      const want = expected[next];
      if (want === 200) {
        expect(res.statusCode, next).toBe(200);
        current = next;
      } else {
        expect(res.statusCode, next).toBe(400);
        expect(res.json().error.code, next).toBe(want);
      }
    }
    expect(await counts()).toEqual(before);
    // The last accepted string is the password now, byte for byte.
    await t.login('jd_liuyin', '<script>alert(1)</script>');
  });

  it('injection strings in every token field get VALIDATION_FAILED and create no token', async () => {
    const before = await counts();
    for (const s of INJECTIONS) {
      const cases: [Record<string, unknown>, string][] = [
        [{ name: s }, 'name'],
        [{ permissions: [s] }, 'permissions.0'],
        [{ regionIds: [s] }, 'regionIds.0'],
        [{ expiresAt: s }, 'expiresAt'],
      ];
      for (const [patch, path] of cases) {
        const payload = { name: '热线', permissions: ['region.read'], regionIds: [districtId], ...patch };
        const res = await send({ url: '/api/tokens', session: admin, payload });
        expect(res.statusCode, JSON.stringify(patch)).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
        expect(res.json().error.fields.map((f: { path: string }) => f.path)).toEqual([path]);
      }
    }
    expect(await counts()).toEqual(before);
    expect(await t.database.db.selectFrom('audit_log').select('id').where('action', '=', 'token.created').execute()).toHaveLength(0);
    // A legitimate name with CJK, digits and brackets is fine.
    expect(
      (await send({ url: '/api/tokens', session: admin, payload: { name: '12345 热线（市平台）_v2', permissions: ['region.read'], regionIds: [districtId] } }))
        .statusCode,
    ).toBe(201);
  });
});
