import {
  BreakGlassGrant,
  BreakGlassList,
  BreakGlassQuery,
  BreakGlassRequest,
  BreakGlassReview,
  Household,
  HouseholdInput,
  MoveRequest,
  PersonDetail,
  PersonInput,
  PersonList,
  PersonMergeRequest,
  PersonPatch,
  PersonQuery,
  RecordIdParams,
  SpecialEntry,
  SpecialEntryEnd,
  SpecialEntryInput,
  SpecialEntryList,
  SpecialEntryPatch,
  SpecialEntryQuery,
  UnmaskRequest,
  UnmaskResponse,
  VerifyRequest,
} from '@gridgov/contracts/registry';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestMeta } from '../../lib/request-meta.js';
import type { PersonsService } from './persons.service.js';
import type { SpecialEntriesService } from './special-entries.service.js';

export function registerPersonsRoutes(app: FastifyInstance, deps: { persons: PersonsService; special: SpecialEntriesService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { persons, special } = deps;
  const tags = ['persons'];

  r.get(
    '/api/persons',
    {
      config: { access: { permission: 'registry.read' } },
      schema: { tags, summary: '人员查询（姓名模糊、身份证号/电话精确、地址、网格、标签、人群）', querystring: PersonQuery, response: { 200: PersonList } },
    },
    async (req) => persons.search(req.principal!, req.query),
  );
  r.post(
    '/api/persons',
    {
      config: { access: { permission: 'registry.manage' } },
      schema: { tags, summary: '登记人员（一人一档：身份证号唯一）', body: PersonInput, response: { 201: PersonDetail } },
    },
    async (req, reply) => reply.status(201).send(await persons.create(req.principal!, req.body, requestMeta(req))),
  );
  r.get(
    '/api/persons/:id',
    {
      config: { access: { permission: 'registry.read' } },
      schema: { tags, summary: '人员档案（一人一档）', params: RecordIdParams, response: { 200: PersonDetail } },
    },
    async (req) => persons.detail(req.principal!, req.params.id, requestMeta(req)),
  );
  r.patch(
    '/api/persons/:id',
    {
      config: { access: { permission: 'registry.manage' } },
      schema: { tags, summary: '修改人员信息', params: RecordIdParams, body: PersonPatch, response: { 200: PersonDetail } },
    },
    async (req) => persons.patch(req.principal!, req.params.id, req.body, requestMeta(req)),
  );
  r.post(
    '/api/persons/:id/unmask',
    {
      config: { access: { permission: 'pii.unmask' } },
      schema: {
        tags,
        summary: '查看明文身份证号/电话（须说明原因，记入审计）',
        params: RecordIdParams,
        body: UnmaskRequest,
        response: { 200: UnmaskResponse },
      },
    },
    async (req) => persons.unmask(req.principal!, req.params.id, req.body, requestMeta(req)),
  );
  r.post(
    '/api/persons/:id/move',
    {
      config: { access: { permission: 'registry.manage' } },
      schema: { tags, summary: '人员迁居（保留居住历史）', params: RecordIdParams, body: MoveRequest, response: { 200: PersonDetail } },
    },
    async (req) => persons.move(req.principal!, req.params.id, req.body, requestMeta(req)),
  );
  r.post(
    '/api/persons/:id/merge',
    {
      config: { access: { permission: 'registry.manage' } },
      schema: { tags, summary: '合并重复人员到本档案', params: RecordIdParams, body: PersonMergeRequest, response: { 200: PersonDetail } },
    },
    async (req) => persons.merge(req.principal!, req.params.id, req.body, requestMeta(req)),
  );
  r.post(
    '/api/persons/:id/verify',
    {
      config: { access: { permission: 'registry.manage' } },
      schema: { tags, summary: '核实人员信息', params: RecordIdParams, body: VerifyRequest, response: { 200: PersonDetail } },
    },
    async (req) => persons.verify(req.principal!, req.params.id, req.body, requestMeta(req)),
  );
  r.put(
    '/api/persons/:id/household',
    {
      config: { access: { permission: 'registry.manage' } },
      schema: { tags, summary: '设置家庭户（成员与户主关系）', params: RecordIdParams, body: HouseholdInput, response: { 200: Household } },
    },
    async (req) => persons.saveHousehold(req.principal!, req.params.id, req.body, requestMeta(req)),
  );

  r.get(
    '/api/special-entries',
    {
      config: { access: { permission: 'registry.read' } },
      schema: { tags, summary: '特殊人群登记（按敏感级别过滤）', querystring: SpecialEntryQuery, response: { 200: SpecialEntryList } },
    },
    async (req) => special.list(req.principal!, req.query),
  );
  r.post(
    '/api/persons/:id/special-entries',
    {
      config: { access: { permission: 'registry.manage' } },
      schema: { tags, summary: '登记特殊人群', params: RecordIdParams, body: SpecialEntryInput, response: { 201: SpecialEntry } },
    },
    async (req, reply) => reply.status(201).send(await special.add(req.principal!, req.params.id, req.body, requestMeta(req))),
  );
  r.patch(
    '/api/special-entries/:id',
    {
      config: { access: { permission: 'registry.manage' } },
      schema: { tags, summary: '修改特殊人群登记', params: RecordIdParams, body: SpecialEntryPatch, response: { 200: SpecialEntry } },
    },
    async (req) => special.update(req.principal!, req.params.id, req.body, requestMeta(req)),
  );
  r.post(
    '/api/special-entries/:id/end',
    {
      config: { access: { permission: 'registry.manage' } },
      schema: { tags, summary: '结束特殊人群登记', params: RecordIdParams, body: SpecialEntryEnd, response: { 200: SpecialEntry } },
    },
    async (req) => special.end(req.principal!, req.params.id, req.body, requestMeta(req)),
  );

  r.post(
    '/api/break-glass',
    {
      config: { access: { permission: 'registry.breakglass' } },
      schema: { tags, summary: '紧急授权查看敏感登记（须说明原因，限时，记入审计并复核）', body: BreakGlassRequest, response: { 201: BreakGlassGrant } },
    },
    async (req, reply) => reply.status(201).send(await special.openGrant(req.principal!, req.body, requestMeta(req))),
  );
  r.get(
    '/api/break-glass',
    {
      config: { access: { permission: 'registry.breakglass' } },
      schema: { tags, summary: '紧急授权记录（复核人：辖区内全部；其他人：本人的）', querystring: BreakGlassQuery, response: { 200: BreakGlassList } },
    },
    async (req) => special.listGrants(req.principal!, req.query),
  );
  r.post(
    '/api/break-glass/:id/review',
    {
      config: { access: { permission: 'registry.breakglass.review' } },
      schema: { tags, summary: '复核紧急授权', params: RecordIdParams, body: BreakGlassReview, response: { 200: BreakGlassGrant } },
    },
    async (req) => special.review(req.principal!, req.params.id, req.body, requestMeta(req)),
  );
}
