import {
  Building,
  BuildingInput,
  BuildingLayout,
  BuildingList,
  BuildingPatch,
  BuildingQuery,
  HouseDetail,
  HouseInput,
  HouseList,
  HousePatch,
  HouseQuery,
  RecordIdParams,
  VerifyRequest,
} from '@gridgov/contracts/registry';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestMeta } from '../../lib/request-meta.js';
import type { HousesService } from './houses.service.js';

export function registerHousesRoutes(app: FastifyInstance, houses: HousesService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['places'];
  const read = { access: { permission: 'registry.read' as const } };
  const manage = { access: { permission: 'registry.manage' as const } };

  r.get(
    '/api/buildings',
    { config: read, schema: { tags, summary: '楼栋列表（管辖网格内）', querystring: BuildingQuery, response: { 200: BuildingList } } },
    async (req) => houses.listBuildings(req.principal!, req.query),
  );
  r.post(
    '/api/buildings',
    { config: manage, schema: { tags, summary: '新建楼栋（标准地址：社区+路+门牌号+楼栋名）', body: BuildingInput, response: { 201: Building } } },
    async (req, reply) => reply.status(201).send(await houses.createBuilding(req.principal!, req.body, requestMeta(req))),
  );
  r.get('/api/buildings/:id', { config: read, schema: { tags, summary: '楼栋', params: RecordIdParams, response: { 200: Building } } }, async (req) =>
    houses.getBuilding(req.principal!, req.params.id),
  );
  r.patch(
    '/api/buildings/:id',
    { config: manage, schema: { tags, summary: '修改楼栋（房屋地址随之更新）', params: RecordIdParams, body: BuildingPatch, response: { 200: Building } } },
    async (req) => houses.updateBuilding(req.principal!, req.params.id, req.body, requestMeta(req)),
  );
  r.get(
    '/api/buildings/:id/layout',
    { config: read, schema: { tags, summary: '楼盘表：单元 × 楼层 × 房间，含用途与实住人数', params: RecordIdParams, response: { 200: BuildingLayout } } },
    async (req) => houses.layout(req.principal!, req.params.id),
  );

  r.get(
    '/api/houses',
    { config: read, schema: { tags, summary: '实有房屋列表（管辖网格内）', querystring: HouseQuery, response: { 200: HouseList } } },
    async (req) => houses.listHouses(req.principal!, req.query),
  );
  r.post(
    '/api/houses',
    { config: manage, schema: { tags, summary: '登记房屋（标准地址唯一；楼栋内房屋继承楼栋网格与位置）', body: HouseInput, response: { 201: HouseDetail } } },
    async (req, reply) => reply.status(201).send(await houses.createHouse(req.principal!, req.body, requestMeta(req))),
  );
  r.get(
    '/api/houses/:id',
    { config: read, schema: { tags, summary: '房屋详情（含实住人员）', params: RecordIdParams, response: { 200: HouseDetail } } },
    async (req) => houses.getHouse(req.principal!, req.params.id),
  );
  r.patch(
    '/api/houses/:id',
    { config: manage, schema: { tags, summary: '修改房屋', params: RecordIdParams, body: HousePatch, response: { 200: HouseDetail } } },
    async (req) => houses.updateHouse(req.principal!, req.params.id, req.body, requestMeta(req)),
  );
  r.post(
    '/api/houses/:id/verify',
    { config: manage, schema: { tags, summary: '核实房屋信息', params: RecordIdParams, body: VerifyRequest, response: { 200: HouseDetail } } },
    async (req) => houses.verifyHouse(req.principal!, req.params.id, req.body, requestMeta(req)),
  );
}
