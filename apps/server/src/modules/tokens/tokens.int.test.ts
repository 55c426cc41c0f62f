import { randomUUID } from 'node:crypto';
import { permissions } from '@gridgov/contracts/roles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../../test/test-app.js';
import type { Principal } from '../../http/principal.js';
import { createAuditRepository } from '../audit/audit.repository.js';
import { createAuthRepository } from '../auth/auth.repository.js';
import { loadPrincipal } from '../auth/principal.loader.js';
import { createTokenRepository } from './tokens.repository.js';
import { createTokenService } from './tokens.service.js';

describe('API tokens for machine clients', () => {
  let t: TestApp;
  let admin: TestSession;
  let regionId: (code: string) => Promise<string>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin');
    regionId = async (code) => (await t.database.db.selectFrom('region').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  });
  afterAll(() => t.close());

  const bearer = (token: string, opts: { method?: string; url: string; payload?: unknown }) =>
    t.app.inject({ method: (opts.method ?? 'GET') as 'GET', url: opts.url, payload: opts.payload as object, headers: { authorization: `Bearer ${token}` } });
  const create = async (body: Record<string, unknown>) => t.as(admin, { method: 'POST', url: '/api/tokens', payload: body });
  const tokenCount = async () =>
    Number(
      (
        await t.database.db
          .selectFrom('api_token')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('creates a token, shows the secret once and stores only a keyed hash', async () => {
    const street = await regionId('370118001000');
    const res = await create({ name: '12345 热线对接', permissions: ['token.manage', 'region.read'], regionIds: [street] });
    expect(res.statusCode).toBe(201);
    const { token, info } = res.json();
    expect(token).toMatch(/^ggt_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(token.slice(4, 12)).toBe(info.prefix);
    expect(info).toMatchObject({
      name: '12345 热线对接',
      permissions: ['token.manage', 'region.read'],
      regionIds: [street],
      revokedAt: null,
      lastUsedAt: null,
      expiresAt: null,
      createdByName: 'admin',
    });

    const row = await t.database.db.selectFrom('api_token').selectAll().where('id', '=', info.id).executeTakeFirstOrThrow();
    expect(row.prefix).toBe(info.prefix);
    expect(row.token_hash).not.toContain(token.slice(13));
    expect(JSON.stringify(row)).not.toContain(token.slice(13));

    const list = (await t.as(admin, { method: 'GET', url: '/api/tokens' })).json().items;
    expect(list.map((i: { id: string }) => i.id)).toContain(info.id);
    expect(JSON.stringify(list)).not.toContain(token.slice(13));

    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'token.created').where('target_id', '=', info.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor_name).toBe('admin');
    expect(JSON.stringify(audit[0]?.details)).not.toContain(token.slice(13));
  });

  it('a valid token authenticates without cookie or CSRF header, and records when it was used', async () => {
    const { token, info } = (await create({ name: 'IoT 网关', permissions: ['token.manage'], regionIds: [await regionId('370118')] })).json();
    const res = await bearer(token, { url: '/api/tokens' });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.some((i: { id: string }) => i.id === info.id)).toBe(true);

    const used = await t.database.db.selectFrom('api_token').select('last_used_at').where('id', '=', info.id).executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();
    await bearer(token, { url: '/api/tokens' });
    const again = await t.database.db.selectFrom('api_token').select('last_used_at').where('id', '=', info.id).executeTakeFirstOrThrow();
    expect(again.last_used_at?.getTime()).toBe(used.last_used_at?.getTime());

    // A write with a token needs no CSRF header: it is not a browser session.
    const other = (await create({ name: '临时', permissions: ['region.read'], regionIds: [await regionId('370118')] })).json();
    const del = await bearer(token, { method: 'DELETE', url: `/api/tokens/${other.info.id}` });
    expect(del.statusCode).toBe(200);
    expect(del.json().revokedAt).not.toBeNull();
  });

  it('a token acts only within its permissions and may not use the account endpoints or mint tokens', async () => {
    const readOnly = (await create({ name: '只读', permissions: ['region.read'], regionIds: [await regionId('370118')] })).json().token;
    const denied = await bearer(readOnly, { url: '/api/tokens' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('FORBIDDEN');

    const manager = (await create({ name: '管理', permissions: ['token.manage'], regionIds: [await regionId('370118')] })).json().token;
    for (const [method, url, payload] of [
      ['GET', '/api/auth/session', undefined],
      ['GET', '/api/auth/sessions', undefined],
      ['POST', '/api/auth/password', { currentPassword: 'Gridgov@2026', newPassword: 'Token#Takeover2027' }],
      ['PUT', '/api/auth/locale', { locale: 'en' }],
      ['POST', '/api/auth/logout', undefined],
      ['POST', '/api/tokens', { name: '子令牌', permissions: ['token.manage'], regionIds: [await regionId('370118')] }],
    ] as const) {
      const res = await bearer(manager, { method, url, payload });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
    // Still the demo password: the token did not change it.
    await t.login('admin');
  });

  it('revoked, expired, unknown and malformed tokens get AUTH_TOKEN_INVALID', async () => {
    const { token, info } = (await create({ name: '将撤销', permissions: ['token.manage'], regionIds: [await regionId('370118')] })).json();
    expect((await bearer(token, { url: '/api/tokens' })).statusCode).toBe(200);
    const del = await t.as(admin, { method: 'DELETE', url: `/api/tokens/${info.id}` });
    expect(del.statusCode).toBe(200);
    expect(del.json().revokedAt).not.toBeNull();
    const after = await bearer(token, { url: '/api/tokens' });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('AUTH_TOKEN_INVALID');
    expect(after.json().error.message).toBe('API 令牌无效或已撤销');
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'token.revoked').where('target_id', '=', info.id).execute();
    expect(audit).toHaveLength(1);
    // Revoking again is harmless and not audited twice.
    expect((await t.as(admin, { method: 'DELETE', url: `/api/tokens/${info.id}` })).statusCode).toBe(200);
    expect(
      await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'token.revoked').where('target_id', '=', info.id).execute(),
    ).toHaveLength(1);

    const future = new Date(Date.now() + 3_600_000).toISOString();
    const expiring = (await create({ name: '将过期', permissions: ['token.manage'], regionIds: [await regionId('370118')], expiresAt: future })).json();
    expect(expiring.info.expiresAt).toBe(future);
    expect((await bearer(expiring.token, { url: '/api/tokens' })).statusCode).toBe(200);
    await t.database.db
      .updateTable('api_token')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', expiring.info.id)
      .execute();
    expect((await bearer(expiring.token, { url: '/api/tokens' })).json().error.code).toBe('AUTH_TOKEN_INVALID');

    for (const bad of ['ggt_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'ggt_abc', "' OR 1=1 --", token.slice(0, -1)]) {
      const res = await bearer(bad, { url: '/api/tokens' });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('AUTH_TOKEN_INVALID');
    }
  });

  it('a token loses what its creator loses: role permissions, and all of it when the account is disabled', async () => {
    const { token } = (await create({ name: '随创建者', permissions: ['token.manage'], regionIds: [await regionId('370118')] })).json();
    await t.database.db.updateTable('app_user').set({ role: 'district_center' }).where('username', '=', 'admin').execute();
    expect((await bearer(token, { url: '/api/tokens' })).json().error.code).toBe('FORBIDDEN');
    await t.database.db.updateTable('app_user').set({ role: 'system_admin', disabled: true }).where('username', '=', 'admin').execute();
    expect((await bearer(token, { url: '/api/tokens' })).json().error.code).toBe('AUTH_TOKEN_INVALID');
    await t.database.db.updateTable('app_user').set({ disabled: false }).where('username', '=', 'admin').execute();
    expect((await bearer(token, { url: '/api/tokens' })).statusCode).toBe(200);
  });

  it('refuses regions outside the creator’s capture scope, unknown regions and past expiry, writing nothing', async () => {
    const before = await tokenCount();
    // A neighbouring district the demo administrator does not govern.
    const foreignId = randomUUID();
    await t.database.db
      .insertInto('region')
      .values({ id: foreignId, parent_id: null, level: 'district', code: '370119', name: '邻区', path: `/${foreignId}/` })
      .execute();
    const inside = await regionId('370118001001');
    const outside = await create({ name: '越界', permissions: ['region.read'], regionIds: [inside, foreignId] });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('OUT_OF_SCOPE');
    expect(outside.json().error.fields).toEqual([{ path: 'regionIds.1', code: 'out_of_scope', message: '该区划不在您的管辖范围内' }]);
    const unknown = await create({ name: '未知区划', permissions: ['region.read'], regionIds: [randomUUID()] });
    expect(unknown.statusCode).toBe(403);
    expect(unknown.json().error.code).toBe('OUT_OF_SCOPE');

    const past = await create({ name: '过期', permissions: ['region.read'], regionIds: [inside], expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.code).toBe('VALIDATION_FAILED');
    expect(past.json().error.fields[0].path).toBe('expiresAt');
    expect(await tokenCount()).toBe(before);
  });

  it('only token.manage holders reach the endpoints', async () => {
    const s = await t.login('jd_quancheng');
    for (const [method, url] of [
      ['GET', '/api/tokens'],
      ['POST', '/api/tokens'],
      ['DELETE', `/api/tokens/${randomUUID()}`],
    ] as const) {
      const res = await t.as(s, {
        method,
        url,
        payload: method === 'POST' ? { name: 'x', permissions: ['region.read'], regionIds: [randomUUID()] } : undefined,
      });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/tokens' })).json().error.code).toBe('AUTH_REQUIRED');
  });

  describe('service rules for creators other than the system administrator', () => {
    const meta = { ip: '127.0.0.1', requestId: 'test', userAgent: null };
    let service: ReturnType<typeof createTokenService>;
    let streetStaff: Principal;
    beforeAll(async () => {
      const db = t.database.db;
      const users = createAuthRepository(db);
      service = createTokenService({ repo: createTokenRepository(db), users, audit: createAuditRepository(db), secret: 's'.repeat(32) });
      const row = await users.findUserByLogin('jd_quancheng');
      const p = await loadPrincipal(users, row!, { sessionId: randomUUID() });
      // A street centre that has been granted token management (a deployment may grant it).
      streetStaff = { ...p, permissions: new Set([...p.permissions, 'token.manage']) };
    });

    it('permissions must be a subset of the creator’s; regions inside the creator’s capture scope', async () => {
      const street = await regionId('370118001000');
      const notHeld = permissions.find((p) => !streetStaff.permissions.has(p))!;
      const before = (await service.list(streetStaff)).items.length;
      await expect(service.create(streetStaff, { name: '越权', permissions: ['region.read', notHeld], regionIds: [street] }, meta)).rejects.toMatchObject({
        code: 'FORBIDDEN',
        fields: [{ path: 'permissions.1', code: 'not_held' }],
      });
      expect((await service.list(streetStaff)).items).toHaveLength(before);
      await expect(
        service.create(streetStaff, { name: '别的街道', permissions: ['region.read'], regionIds: [await regionId('370118002000')] }, meta),
      ).rejects.toMatchObject({ code: 'OUT_OF_SCOPE' });
    });

    it('the token principal: creator’s role, token regions as both scopes, no session', async () => {
      const community = await regionId('370118001001');
      const created = await service.create(streetStaff, { name: '社区设备', permissions: ['region.read', 'user.read'], regionIds: [community] }, meta);
      const r = await service.resolve(created.token);
      if (!('principal' in r)) throw new Error(`token did not resolve: ${r.failure}`);
      const path = (await t.database.db.selectFrom('region').select('path').where('id', '=', community).executeTakeFirstOrThrow()).path;
      expect(r.principal).toMatchObject({
        kind: 'token',
        username: 'jd_quancheng',
        role: 'street_center',
        tokenId: created.info.id,
        mustChangePassword: false,
      });
      expect(r.principal.sessionId).toBeUndefined();
      expect([...r.principal.permissions].sort()).toEqual(['region.read', 'user.read']);
      expect(r.principal.capture).toEqual([{ regionId: community, path }]);
      expect(r.principal.view).toEqual([{ regionId: community, path }]);
    });

    it('lists and revokes only the creator’s own tokens', async () => {
      const mine = await service.create(streetStaff, { name: '我的', permissions: ['region.read'], regionIds: [await regionId('370118001000')] }, meta);
      const listed = (await service.list(streetStaff)).items;
      expect(listed.every((i) => i.createdByName === 'jd_quancheng')).toBe(true);
      expect(listed.map((i) => i.id)).toContain(mine.info.id);
      const adminsToken = (await t.as(admin, { method: 'GET', url: '/api/tokens' }))
        .json()
        .items.find((i: { createdByName: string }) => i.createdByName === 'admin');
      await expect(service.revoke(streetStaff, adminsToken.id, meta)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      // The system administrator sees and may revoke everyone's.
      const all = (await t.as(admin, { method: 'GET', url: '/api/tokens' })).json().items.map((i: { id: string }) => i.id);
      expect(all).toContain(mine.info.id);
    });
  });
});
