import { ChangePasswordRequest, LocaleRequest, LoginRequest, LoginResponse, Me, SessionIdParams, SessionList, SessionResponse } from '@gridgov/contracts/auth';
import { OkResponse } from '@gridgov/contracts/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../http/app-error.js';
import { requestMeta } from '../../lib/request-meta.js';
import type { AuthService } from './auth.service.js';
import { isCrossSiteRequest } from './login-origin.js';
import type { PasswordService } from './password.service.js';
import type { SessionService } from './session.service.js';
import { SESSION_COOKIE } from './session-token.js';

/** A throttled password attempt tells the client when to come back (RFC 9110 Retry-After). */
async function retryAfterHeader(_req: FastifyRequest, reply: FastifyReply, err: Error) {
  const wait = err instanceof AppError && err.code === 'RATE_LIMITED' ? err.details?.retryAfterSeconds : undefined;
  if (typeof wait === 'number') reply.header('retry-after', String(wait));
}

export function registerAuthRoutes(
  app: FastifyInstance,
  deps: { auth: AuthService; passwords: PasswordService; sessions: SessionService; cookieSecure: boolean },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];

  r.post(
    '/api/auth/login',
    {
      config: { access: 'public' },
      schema: { tags, summary: '登录（用户名或手机号 + 密码）', body: LoginRequest, response: { 200: LoginResponse } },
      onRequest: async (req) => {
        if (!isCrossSiteRequest(req)) return;
        const h = (v: string | string[] | undefined) => (typeof v === 'string' ? v : null);
        await deps.auth.refuseCrossSiteLogin({ ...requestMeta(req), origin: h(req.headers.origin), fetchSite: h(req.headers['sec-fetch-site']) });
      },
      onError: retryAfterHeader,
    },
    async (req, reply) => {
      const out = await deps.auth.login(req.body, requestMeta(req));
      reply.setCookie(SESSION_COOKIE, out.token, { path: '/', httpOnly: true, sameSite: 'strict', secure: deps.cookieSecure, maxAge: out.ttlSeconds });
      return { me: out.me, csrfToken: out.csrfToken };
    },
  );

  r.post(
    '/api/auth/logout',
    { config: { access: 'authenticated' }, schema: { tags, summary: '退出登录', response: { 200: OkResponse } } },
    async (req, reply) => {
      await deps.auth.logout(req.principal!, requestMeta(req));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  r.get(
    '/api/auth/session',
    { config: { access: 'authenticated' }, schema: { tags, summary: '当前登录信息', response: { 200: SessionResponse } } },
    async (req) => ({
      me: await deps.auth.me(req.principal!),
      csrfToken: req.csrfToken ?? '',
    }),
  );

  r.post(
    '/api/auth/password',
    {
      config: { access: 'authenticated' },
      schema: { tags, summary: '修改本人密码（须提供当前密码；其他会话将被注销）', body: ChangePasswordRequest, response: { 200: OkResponse } },
      onError: retryAfterHeader,
    },
    async (req) => deps.passwords.changePassword(req.principal!, req.body, requestMeta(req)),
  );

  r.put(
    '/api/auth/locale',
    { config: { access: 'authenticated' }, schema: { tags, summary: '设置本人界面语言', body: LocaleRequest, response: { 200: Me } } },
    async (req) => deps.auth.setLocale(req.principal!, req.body.locale),
  );

  r.get(
    '/api/auth/sessions',
    { config: { access: 'authenticated' }, schema: { tags, summary: '本人的登录会话', response: { 200: SessionList } } },
    async (req) => deps.sessions.list(req.principal!),
  );

  r.delete(
    '/api/auth/sessions/:id',
    { config: { access: 'authenticated' }, schema: { tags, summary: '注销本人的一个会话', params: SessionIdParams, response: { 200: OkResponse } } },
    async (req) => deps.sessions.revoke(req.principal!, req.params.id, requestMeta(req)),
  );
}
