import { OkResponse } from '@gridgov/contracts/common';
import {
  CreateRegionRequest,
  RegionChildrenQuery,
  RegionDetail,
  RegionIdParams,
  RegionLevelInfo,
  RegionLevelList,
  RegionLevelParams,
  RegionList,
  RegionNode,
  RegionSearchQuery,
  RegionSearchResult,
  UpdateRegionLevelRequest,
  UpdateRegionRequest,
} from '@gridgov/contracts/regions';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestMeta } from '../../lib/request-meta.js';
import type { RegionsService } from './regions.service.js';

export function registerRegionsRoutes(app: FastifyInstance, deps: { regions: RegionsService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['regions'];
  const { regions } = deps;

  r.get(
    '/api/region-levels',
    { config: { access: 'active' }, schema: { tags, summary: '区划层级（名称与深度）', response: { 200: RegionLevelList } } },
    async () => ({
      items: await regions.levels(),
    }),
  );

  r.put(
    '/api/region-levels/:key',
    {
      config: { access: { permission: 'system.configure' } },
      schema: {
        tags,
        summary: '修改区划层级名称（系统管理员）',
        params: RegionLevelParams,
        body: UpdateRegionLevelRequest,
        response: { 200: RegionLevelInfo },
      },
    },
    async (req) => regions.renameLevel(req.principal!, req.params.key, req.body, requestMeta(req)),
  );

  r.get(
    '/api/regions',
    {
      config: { access: { permission: 'region.read' } },
      schema: { tags, summary: '下级区划；不带 parentId 时为本人管辖范围的根', querystring: RegionChildrenQuery, response: { 200: RegionList } },
    },
    async (req) => ({ items: await regions.list(req.principal!, req.query.parentId) }),
  );

  r.get(
    '/api/regions/search',
    {
      config: { access: { permission: 'region.read' } },
      schema: { tags, summary: '按名称或代码前缀搜索区划（管辖范围内）', querystring: RegionSearchQuery, response: { 200: RegionSearchResult } },
    },
    async (req) => ({ items: await regions.search(req.principal!, req.query.q, req.query.limit) }),
  );

  r.get(
    '/api/regions/:id',
    {
      config: { access: { permission: 'region.read' } },
      schema: { tags, summary: '区划详情与上级路径', params: RegionIdParams, response: { 200: RegionDetail } },
    },
    async (req) => regions.get(req.principal!, req.params.id),
  );

  r.post(
    '/api/regions',
    {
      config: { access: { permission: 'region.manage' } },
      schema: { tags, summary: '新建下级区划（校验区划代码）', body: CreateRegionRequest, response: { 201: RegionNode } },
    },
    async (req, reply) => reply.status(201).send(await regions.create(req.principal!, req.body, requestMeta(req))),
  );

  r.patch(
    '/api/regions/:id',
    {
      config: { access: { permission: 'region.manage' } },
      schema: { tags, summary: '修改区划名称、类型或排序', params: RegionIdParams, body: UpdateRegionRequest, response: { 200: RegionNode } },
    },
    async (req) => regions.update(req.principal!, req.params.id, req.body, requestMeta(req)),
  );

  r.delete(
    '/api/regions/:id',
    {
      config: { access: { permission: 'region.manage' } },
      schema: { tags, summary: '删除区划（无下级、无机构、无用户引用时）', params: RegionIdParams, response: { 200: OkResponse } },
    },
    async (req) => {
      await regions.remove(req.principal!, req.params.id, requestMeta(req));
      return { ok: true as const };
    },
  );
}
