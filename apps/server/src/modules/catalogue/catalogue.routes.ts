import {
  Catalogue,
  CatalogueClass,
  CatalogueItem,
  CatalogueQuery,
  CatalogueVersions,
  CategoryIdParams,
  CreateClassRequest,
  CreateItemRequest,
  CreateRoutingRuleRequest,
  RoutingResolution,
  RoutingResolveQuery,
  RoutingRule,
  RoutingRuleList,
  RoutingRuleQuery,
  UpdateItemRequest,
} from '@gridgov/contracts/catalogue';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestMeta } from '../../lib/request-meta.js';
import type { CatalogueService } from './catalogue.service.js';
import type { RoutingService } from './routing.service.js';

export function registerCatalogueRoutes(app: FastifyInstance, deps: { catalogue: CatalogueService; routing: RoutingService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['catalogue'];
  const { catalogue, routing } = deps;
  const configure = { access: { permission: 'case.configure' as const } };

  r.get(
    '/api/catalogue',
    {
      // Residents choose a category when they report, so every signed-in caller reads the catalogue.
      config: { access: 'authenticated' },
      schema: { tags, summary: '事项清单（大类 → 小类及现行规则）', querystring: CatalogueQuery, response: { 200: Catalogue } },
    },
    async (req) => catalogue.tree(req.principal!, req.query.includeInactive === 'true'),
  );
  r.get(
    '/api/catalogue/items/:id/versions',
    {
      config: { access: { permission: 'case.read' } },
      schema: { tags, summary: '事项规则的历史版本', params: CategoryIdParams, response: { 200: CatalogueVersions } },
    },
    async (req) => catalogue.versions(req.params.id),
  );
  r.post(
    '/api/catalogue/classes',
    { config: configure, schema: { tags, summary: '新建事项大类', body: CreateClassRequest, response: { 201: CatalogueClass } } },
    async (req, reply) => reply.status(201).send(await catalogue.createClass(req.principal!, req.body, requestMeta(req))),
  );
  r.post(
    '/api/catalogue/items',
    { config: configure, schema: { tags, summary: '新建事项小类（规则第 1 版）', body: CreateItemRequest, response: { 201: CatalogueItem } } },
    async (req, reply) => reply.status(201).send(await catalogue.createItem(req.principal!, req.body, requestMeta(req))),
  );
  r.put(
    '/api/catalogue/items/:id',
    {
      config: configure,
      schema: { tags, summary: '修改事项名称与规则（规则另存为新版本）', params: CategoryIdParams, body: UpdateItemRequest, response: { 200: CatalogueItem } },
    },
    async (req) => catalogue.updateItem(req.principal!, req.params.id, req.body, requestMeta(req)),
  );
  r.post(
    '/api/catalogue/items/:id/deactivate',
    { config: configure, schema: { tags, summary: '停用事项小类', params: CategoryIdParams, response: { 200: CatalogueItem } } },
    async (req) => catalogue.setActive(req.principal!, req.params.id, false, requestMeta(req)),
  );
  r.post(
    '/api/catalogue/items/:id/activate',
    { config: configure, schema: { tags, summary: '启用事项小类', params: CategoryIdParams, response: { 200: CatalogueItem } } },
    async (req) => catalogue.setActive(req.principal!, req.params.id, true, requestMeta(req)),
  );

  r.get(
    '/api/routing-rules',
    {
      config: { access: { permission: 'case.read' } },
      schema: { tags, summary: '派遣规则（管辖范围内）', querystring: RoutingRuleQuery, response: { 200: RoutingRuleList } },
    },
    async (req) => routing.list(req.principal!, req.query),
  );
  r.get(
    '/api/routing-rules/resolve',
    {
      config: { access: { permission: 'case.dispatch' } },
      schema: { tags, summary: '按事项与区划推算派遣单位', querystring: RoutingResolveQuery, response: { 200: RoutingResolution } },
    },
    async (req) => routing.resolve(req.principal!, req.query),
  );
  r.post(
    '/api/routing-rules',
    {
      // case.dispatch in the capture scope (a street center for its street); case.configure anywhere in view (the service checks).
      config: { access: { permission: 'case.dispatch' } },
      schema: { tags, summary: '新建派遣规则', body: CreateRoutingRuleRequest, response: { 201: RoutingRule } },
    },
    async (req, reply) => reply.status(201).send(await routing.create(req.principal!, req.body, requestMeta(req))),
  );
  r.delete(
    '/api/routing-rules/:id',
    {
      config: { access: { permission: 'case.dispatch' } },
      schema: { tags, summary: '停用派遣规则', params: CategoryIdParams, response: { 200: RoutingRule } },
    },
    async (req) => routing.deactivate(req.principal!, req.params.id, requestMeta(req)),
  );
}
