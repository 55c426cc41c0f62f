import {
  CreateUserRequest,
  ResetPasswordRequest,
  SetScopesRequest,
  UpdateUserRequest,
  UserIdParams,
  UserList,
  UserListQuery,
  UserSummary,
} from '@gridgov/contracts/users';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestMeta } from '../../lib/request-meta.js';
import type { UsersService } from './users.service.js';

export function registerUsersRoutes(app: FastifyInstance, deps: { users: UsersService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['users'];
  const read = { access: { permission: 'user.read' as const } };
  const manage = { access: { permission: 'user.manage' as const } };

  r.get(
    '/api/users',
    { config: read, schema: { tags, summary: '用户列表（管辖范围内）', querystring: UserListQuery, response: { 200: UserList } } },
    async (req) => deps.users.list(req.principal!, req.query),
  );

  r.get('/api/users/:id', { config: read, schema: { tags, summary: '用户详情', params: UserIdParams, response: { 200: UserSummary } } }, async (req) =>
    deps.users.get(req.principal!, req.params.id),
  );

  r.post(
    '/api/users',
    { config: manage, schema: { tags, summary: '新建用户（首次登录须改密码）', body: CreateUserRequest, response: { 201: UserSummary } } },
    async (req, reply) => {
      reply.status(201);
      return deps.users.create(req.principal!, req.body, requestMeta(req));
    },
  );

  r.patch(
    '/api/users/:id',
    {
      config: manage,
      schema: { tags, summary: '修改用户（姓名、手机号、角色、机构、停用）', params: UserIdParams, body: UpdateUserRequest, response: { 200: UserSummary } },
    },
    async (req) => deps.users.update(req.principal!, req.params.id, req.body, requestMeta(req)),
  );

  r.put(
    '/api/users/:id/scopes',
    { config: manage, schema: { tags, summary: '设置管辖范围（采集/查看）', params: UserIdParams, body: SetScopesRequest, response: { 200: UserSummary } } },
    async (req) => deps.users.setScopes(req.principal!, req.params.id, req.body, requestMeta(req)),
  );

  r.post(
    '/api/users/:id/password',
    { config: manage, schema: { tags, summary: '重置密码（临时密码）', params: UserIdParams, body: ResetPasswordRequest, response: { 200: UserSummary } } },
    async (req) => deps.users.resetPassword(req.principal!, req.params.id, req.body, requestMeta(req)),
  );

  r.post(
    '/api/users/:id/unlock',
    { config: manage, schema: { tags, summary: '解除登录锁定', params: UserIdParams, response: { 200: UserSummary } } },
    async (req) => deps.users.unlock(req.principal!, req.params.id, requestMeta(req)),
  );
}
