import {
  AdjustmentIdParams,
  AdjustmentTrigger,
  AdjustmentTriggerList,
  AdjustmentTriggerQuery,
  AdjustmentTriggerScanResult,
} from '@gridgov/contracts/adjustments';
import {
  Facility,
  FacilityInput,
  FacilityList,
  FacilityPatch,
  FacilityQuery,
  FreshnessQuery,
  FreshnessReport,
  KeyPlace,
  KeyPlaceInput,
  KeyPlaceList,
  KeyPlacePatch,
  KeyPlaceQuery,
  Organisation,
  OrganisationInput,
  OrganisationList,
  OrganisationPatch,
  OrganisationQuery,
  RecordIdParams,
  UnmaskRequest,
  UnmaskResponse,
  VerificationTaskList,
  VerificationTaskQuery,
  VerifyRequest,
} from '@gridgov/contracts/registry';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestMeta } from '../../lib/request-meta.js';
import type { FacilitiesService } from './facilities.service.js';
import type { FreshnessService } from './freshness.service.js';
import type { OrganisationsService } from './organisations.service.js';
import type { TriggersService } from './triggers.service.js';

export interface PlacesRoutesDeps {
  organisations: OrganisationsService;
  facilities: FacilitiesService;
  freshness: FreshnessService;
  triggers: TriggersService;
}

export function registerPlacesRoutes(app: FastifyInstance, deps: PlacesRoutesDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { organisations, facilities, freshness, triggers } = deps;
  const tags = ['places'];
  const read = { access: { permission: 'registry.read' as const } };
  const manage = { access: { permission: 'registry.manage' as const } };

  // Organisations
  r.get(
    '/api/organisations',
    { config: read, schema: { tags, summary: '单位组织列表（管辖网格内）', querystring: OrganisationQuery, response: { 200: OrganisationList } } },
    async (req) => organisations.list(req.principal!, req.query),
  );
  r.post(
    '/api/organisations',
    { config: manage, schema: { tags, summary: '登记单位组织（统一社会信用代码校验且唯一）', body: OrganisationInput, response: { 201: Organisation } } },
    async (req, reply) => reply.status(201).send(await organisations.create(req.principal!, req.body, requestMeta(req))),
  );
  r.get(
    '/api/organisations/:id',
    { config: read, schema: { tags, summary: '单位组织', params: RecordIdParams, response: { 200: Organisation } } },
    async (req) => organisations.get(req.principal!, req.params.id),
  );
  r.patch(
    '/api/organisations/:id',
    { config: manage, schema: { tags, summary: '修改单位组织', params: RecordIdParams, body: OrganisationPatch, response: { 200: Organisation } } },
    async (req) => organisations.update(req.principal!, req.params.id, req.body, requestMeta(req)),
  );
  r.post(
    '/api/organisations/:id/verify',
    { config: manage, schema: { tags, summary: '核实单位组织信息', params: RecordIdParams, body: VerifyRequest, response: { 200: Organisation } } },
    async (req) => organisations.verify(req.principal!, req.params.id, req.body, requestMeta(req)),
  );
  r.post(
    '/api/organisations/:id/unmask',
    {
      config: { access: { permission: 'pii.unmask' } },
      schema: { tags, summary: '查看联系电话明文（须说明原因，记入审计）', params: RecordIdParams, body: UnmaskRequest, response: { 200: UnmaskResponse } },
    },
    async (req) => organisations.unmask(req.principal!, req.params.id, req.body, requestMeta(req)),
  );

  // Facilities (部件)
  r.get(
    '/api/facilities',
    { config: read, schema: { tags, summary: '部件设施列表（管辖网格内）', querystring: FacilityQuery, response: { 200: FacilityList } } },
    async (req) => facilities.listFacilities(req.principal!, req.query),
  );
  r.post(
    '/api/facilities',
    { config: manage, schema: { tags, summary: '登记部件设施（编码唯一）', body: FacilityInput, response: { 201: Facility } } },
    async (req, reply) => reply.status(201).send(await facilities.createFacility(req.principal!, req.body, requestMeta(req))),
  );
  r.get('/api/facilities/:id', { config: read, schema: { tags, summary: '部件设施', params: RecordIdParams, response: { 200: Facility } } }, async (req) =>
    facilities.getFacility(req.principal!, req.params.id),
  );
  r.patch(
    '/api/facilities/:id',
    {
      config: manage,
      schema: { tags, summary: '修改部件设施（含状态：完好/破损/丢失/占用）', params: RecordIdParams, body: FacilityPatch, response: { 200: Facility } },
    },
    async (req) => facilities.updateFacility(req.principal!, req.params.id, req.body, requestMeta(req)),
  );
  r.post(
    '/api/facilities/:id/verify',
    { config: manage, schema: { tags, summary: '核实部件设施', params: RecordIdParams, body: VerifyRequest, response: { 200: Facility } } },
    async (req) => facilities.verifyFacility(req.principal!, req.params.id, req.body, requestMeta(req)),
  );

  // Key places and risk points
  r.get(
    '/api/key-places',
    { config: read, schema: { tags, summary: '重点场所与风险点（按预警等级排序）', querystring: KeyPlaceQuery, response: { 200: KeyPlaceList } } },
    async (req) => facilities.listKeyPlaces(req.principal!, req.query),
  );
  r.post(
    '/api/key-places',
    { config: manage, schema: { tags, summary: '登记重点场所（同时提示所在网格考虑调整）', body: KeyPlaceInput, response: { 201: KeyPlace } } },
    async (req, reply) => reply.status(201).send(await facilities.createKeyPlace(req.principal!, req.body, requestMeta(req))),
  );
  r.get('/api/key-places/:id', { config: read, schema: { tags, summary: '重点场所', params: RecordIdParams, response: { 200: KeyPlace } } }, async (req) =>
    facilities.getKeyPlace(req.principal!, req.params.id),
  );
  r.patch(
    '/api/key-places/:id',
    { config: manage, schema: { tags, summary: '修改重点场所', params: RecordIdParams, body: KeyPlacePatch, response: { 200: KeyPlace } } },
    async (req) => facilities.updateKeyPlace(req.principal!, req.params.id, req.body, requestMeta(req)),
  );
  r.post(
    '/api/key-places/:id/verify',
    { config: manage, schema: { tags, summary: '核实重点场所', params: RecordIdParams, body: VerifyRequest, response: { 200: KeyPlace } } },
    async (req) => facilities.verifyKeyPlace(req.principal!, req.params.id, req.body, requestMeta(req)),
  );

  // Freshness (B15)
  r.get(
    '/api/registry/verification-tasks',
    {
      config: read,
      schema: { tags, summary: '待核实任务：从未核实或超过核实期限的记录', querystring: VerificationTaskQuery, response: { 200: VerificationTaskList } },
    },
    async (req) => freshness.tasks(req.principal!, req.query),
  );
  r.get(
    '/api/registry/freshness',
    { config: read, schema: { tags, summary: '各网格信息核实率（目标 98%）', querystring: FreshnessQuery, response: { 200: FreshnessReport } } },
    async (req) => freshness.report(req.principal!, req.query),
  );

  // Automatic adjustment triggers (A18)
  r.get(
    '/api/adjustment-triggers',
    {
      config: { access: { permission: 'grid.read' } },
      schema: {
        tags: ['adjustments'],
        summary: '网格调整提示（人口变化超 20%、新增重点场所）',
        querystring: AdjustmentTriggerQuery,
        response: { 200: AdjustmentTriggerList },
      },
    },
    async (req) => triggers.list(req.principal!, req.query),
  );
  r.post(
    '/api/adjustment-triggers/:id/dismiss',
    {
      config: { access: { permission: 'grid.adjust.review' } },
      schema: { tags: ['adjustments'], summary: '忽略网格调整提示', params: AdjustmentIdParams, response: { 200: AdjustmentTrigger } },
    },
    async (req) => triggers.dismiss(req.principal!, req.params.id, requestMeta(req)),
  );
  r.post(
    '/api/adjustment-triggers/scan',
    {
      config: { access: { permission: 'grid.adjust.review' } },
      schema: { tags: ['adjustments'], summary: '立即检测网格调整提示（管辖范围内）', response: { 200: AdjustmentTriggerScanResult } },
    },
    async (req) => triggers.scan(req.principal!),
  );
}
