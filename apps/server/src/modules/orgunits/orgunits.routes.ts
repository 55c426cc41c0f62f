import { CreateOrgUnitRequest, OrgUnit, OrgUnitIdParams, OrgUnitList, OrgUnitListQuery, UpdateOrgUnitRequest } from '@gridgov/contracts/regions';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestMeta } from '../../lib/request-meta.js';
import type { OrgUnitsService } from './orgunits.service.js';

export function registerOrgUnitsRoutes(app: FastifyInstance, deps: { orgUnits: OrgUnitsService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['org-units'];
  const { orgUnits } = deps;

  r.get(
    '/api/org-units',
    {
      config: { access: { permission: 'region.read' } },
      schema: {
        tags,
        summary: '机构列表（中心、工作站、职能部门；上级区划的职能部门一并列出）',
        querystring: OrgUnitListQuery,
        response: { 200: OrgUnitList },
      },
    },
    async (req) => orgUnits.list(req.principal!, req.query),
  );

  r.post(
    '/api/org-units',
    { config: { access: { permission: 'orgunit.manage' } }, schema: { tags, summary: '新建机构', body: CreateOrgUnitRequest, response: { 201: OrgUnit } } },
    async (req, reply) => reply.status(201).send(await orgUnits.create(req.principal!, req.body, requestMeta(req))),
  );

  r.patch(
    '/api/org-units/:id',
    {
      config: { access: { permission: 'orgunit.manage' } },
      schema: { tags, summary: '修改机构名称、部门代码或电话', params: OrgUnitIdParams, body: UpdateOrgUnitRequest, response: { 200: OrgUnit } },
    },
    async (req) => orgUnits.update(req.principal!, req.params.id, req.body, requestMeta(req)),
  );
}
