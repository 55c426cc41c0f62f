import { LoginRequest, LoginResponse, SessionResponse } from '@gridgov/contracts/auth';
import { OkResponse } from '@gridgov/contracts/common';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestMeta } from '../../lib/request-meta.js';
import type { AuthService } from './auth.service.js';
import { SESSION_COOKIE } from './session-token.js';

export function registerAuthRoutes(app: FastifyInstance, deps: { auth: AuthService; cookieSecure: boolean }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];

  r.post('/api/auth/login', { config: { access: 'public' }, schema: { tags, summary: '登录（用户名或手机号 + 密码）', body: LoginRequest, response: { 200: LoginResponse } } }, async (req, reply) => {
    const out = await deps.auth.login(req.body, requestMeta(req));
    reply.setCookie(SESSION_COOKIE, out.token, { path: '/', httpOnly: true, sameSite: 'strict', secure: deps.cookieSecure, maxAge: out.ttlSeconds });
    return { me: out.me, csrfToken: out.csrfToken };
  });

  r.post('/api/auth/logout', { config: { access: 'authenticated' }, schema: { tags, summary: '退出登录', response: { 200: OkResponse } } }, async (req, reply) => {
    await deps.auth.logout(req.principal!, requestMeta(req));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  r.get('/api/auth/session', { config: { access: 'authenticated' }, schema: { tags, summary: '当前登录信息', response: { 200: SessionResponse } } }, async (req) => ({
    me: await deps.auth.me(req.principal!),
    csrfToken: req.csrfToken ?? '',
  }));
}
