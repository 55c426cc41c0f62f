import { ApiTokenIdParams, ApiTokenInfo, ApiTokenList, CreateApiTokenRequest, CreatedApiToken } from '@gridgov/contracts/auth';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestMeta } from '../../lib/request-meta.js';
import type { TokenService } from './tokens.service.js';

export function registerTokenRoutes(app: FastifyInstance, deps: { tokens: TokenService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['tokens'];
  const access = { permission: 'token.manage' } as const;

  r.post(
    '/api/tokens',
    { config: { access }, schema: { tags, summary: '创建 API 令牌（密钥仅在此返回一次）', body: CreateApiTokenRequest, response: { 201: CreatedApiToken } } },
    async (req, reply) => reply.status(201).send(await deps.tokens.create(req.principal!, req.body, requestMeta(req))),
  );

  r.get(
    '/api/tokens',
    { config: { access }, schema: { tags, summary: 'API 令牌列表（本人创建的；系统管理员可见全部）', response: { 200: ApiTokenList } } },
    async (req) => deps.tokens.list(req.principal!),
  );

  r.delete(
    '/api/tokens/:id',
    { config: { access }, schema: { tags, summary: '撤销 API 令牌', params: ApiTokenIdParams, response: { 200: ApiTokenInfo } } },
    async (req) => deps.tokens.revoke(req.principal!, req.params.id, requestMeta(req)),
  );
}
