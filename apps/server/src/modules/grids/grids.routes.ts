import {
  CoverageQuery,
  CoverageReport,
  CreateGridRequest,
  GridCodeTemplateInfo,
  GridDetail,
  GridExportQuery,
  GridFeatureCollection,
  GridFeatureQuery,
  GridIdParams,
  GridList,
  GridListQuery,
  RegionBoundaryRequest,
  RegionBoundaryResult,
  RegionFeatureCollection,
  RegionFeatureQuery,
  SetGridCodeTemplateRequest,
  SetStaffRequest,
  SizeNorm,
  SizeNormParams,
  SizeNormValues,
  StaffingQuery,
  StaffingReport,
  UpdateBoundaryRequest,
  UpdateGridRequest,
} from '@gridgov/contracts/grids';
import { RegionIdParams } from '@gridgov/contracts/regions';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestMeta } from '../../lib/request-meta.js';
import type { CoverageService } from './coverage.service.js';
import type { GridExportService } from './grid-export.service.js';
import type { GridsService } from './grids.service.js';
import type { RegionBoundaryService } from './region-boundary.service.js';
import type { SizeNormsService } from './size-norms.service.js';
import type { StaffService } from './staff.service.js';

export interface GridsRoutesDeps {
  grids: GridsService;
  coverage: CoverageService;
  sizeNorms: SizeNormsService;
  staff: StaffService;
  exporter: GridExportService;
  regionBoundaries: RegionBoundaryService;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function registerGridsRoutes(app: FastifyInstance, deps: GridsRoutesDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['grids'];
  const { grids, coverage, sizeNorms, staff, exporter, regionBoundaries } = deps;

  r.get(
    '/api/settings/grid-code-template',
    {
      config: { access: { permission: 'grid.read' } },
      schema: { tags, summary: '网格编码规则（山东 19 位 / 北京 15 位 / 12 位）', response: { 200: GridCodeTemplateInfo } },
    },
    async () => grids.codeTemplate(),
  );

  r.put(
    '/api/settings/grid-code-template',
    {
      config: { access: { permission: 'system.configure' } },
      schema: { tags, summary: '设置网格编码规则（新建网格生效，已有编码不变）', body: SetGridCodeTemplateRequest, response: { 200: GridCodeTemplateInfo } },
    },
    async (req) => grids.setCodeTemplate(req.principal!, req.body, requestMeta(req)),
  );

  r.post(
    '/api/grids',
    {
      config: { access: { permission: 'grid.manage' } },
      schema: {
        tags,
        summary: '新建网格（按规则生成或校验编码；校验边界合法、在社区内、与相邻网格不重叠）',
        body: CreateGridRequest,
        response: { 201: GridDetail },
      },
    },
    async (req, reply) => reply.status(201).send(await grids.create(req.principal!, req.body, requestMeta(req))),
  );

  r.get(
    '/api/grids',
    {
      config: { access: { permission: 'grid.read' } },
      schema: { tags, summary: '网格列表（管辖范围内；可按日期查历史）', querystring: GridListQuery, response: { 200: GridList } },
    },
    async (req) => grids.list(req.principal!, req.query),
  );

  r.get(
    '/api/grids/features',
    {
      config: { access: { permission: 'grid.read' } },
      schema: { tags, summary: '地图网格要素（GeoJSON，按范围框，最多 limit 个）', querystring: GridFeatureQuery, response: { 200: GridFeatureCollection } },
    },
    async (req) => grids.features(req.principal!, req.query),
  );

  r.get(
    '/api/grids/staffing',
    {
      config: { access: { permission: 'grid.read' } },
      schema: { tags, summary: '网格人员配备与每千人网格员比', querystring: StaffingQuery, response: { 200: StaffingReport } },
    },
    async (req) => staff.staffing(req.principal!, req.query.regionId),
  );

  r.get(
    '/api/grids/export.xlsx',
    {
      config: { access: { permission: 'grid.read' } },
      schema: { tags, summary: '导出社区或街道的网格（编码与人员，xlsx）', querystring: GridExportQuery },
    },
    async (req, reply) => {
      const x = await exporter.xlsx(req.principal!, req.query.regionId, requestMeta(req));
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', `attachment; filename="grids.xlsx"; filename*=UTF-8''${encodeURIComponent(x.filename)}`)
        .header('cache-control', 'no-store')
        .send(x.body);
    },
  );

  r.get(
    '/api/grids/:id',
    {
      config: { access: { permission: 'grid.read' } },
      schema: { tags, summary: '网格详情（边界、人员、规模提示）', params: GridIdParams, response: { 200: GridDetail } },
    },
    async (req) => grids.get(req.principal!, req.params.id),
  );

  r.patch(
    '/api/grids/:id',
    {
      config: { access: { permission: 'grid.manage' } },
      schema: { tags, summary: '修改网格属性', params: GridIdParams, body: UpdateGridRequest, response: { 200: GridDetail } },
    },
    async (req) => grids.update(req.principal!, req.params.id, req.body, requestMeta(req)),
  );

  r.put(
    '/api/grids/:id/boundary',
    {
      config: { access: { permission: 'grid.manage' } },
      schema: {
        tags,
        summary: '修改网格边界（自今日起生效的新版本；重叠须存为草稿）',
        params: GridIdParams,
        body: UpdateBoundaryRequest,
        response: { 200: GridDetail },
      },
    },
    async (req) => grids.setBoundary(req.principal!, req.params.id, req.body, requestMeta(req)),
  );

  r.put(
    '/api/grids/:id/staff',
    {
      config: { access: { permission: 'grid.manage' } },
      schema: {
        tags,
        summary: '设置网格人员（网格长、专兼职网格员、联络员、楼栋长）',
        params: GridIdParams,
        body: SetStaffRequest,
        response: { 200: GridDetail },
      },
    },
    async (req) => staff.set(req.principal!, req.params.id, req.body, requestMeta(req)),
  );

  r.get(
    '/api/coverage',
    {
      config: { access: { permission: 'grid.read' } },
      schema: { tags, summary: '网格覆盖检查：重叠、空白与越界（平方米）', querystring: CoverageQuery, response: { 200: CoverageReport } },
    },
    async (req) => coverage.check(req.principal!, req.query),
  );

  r.get(
    '/api/size-norms/:regionId',
    {
      config: { access: { permission: 'grid.read' } },
      schema: { tags, summary: '网格规模标准（本级或最近上级的设置，否则国标默认）', params: SizeNormParams, response: { 200: SizeNorm } },
    },
    async (req) => sizeNorms.get(req.principal!, req.params.regionId),
  );

  r.put(
    '/api/size-norms/:regionId',
    {
      config: { access: { permission: 'grid.manage' } },
      schema: { tags, summary: '设置本辖区网格规模标准', params: SizeNormParams, body: SizeNormValues, response: { 200: SizeNorm } },
    },
    async (req) => sizeNorms.put(req.principal!, req.params.regionId, req.body, requestMeta(req)),
  );

  r.put(
    '/api/regions/:id/boundary',
    {
      config: { access: { permission: 'grid.manage' } },
      schema: { tags: ['regions'], summary: '设置社区/村边界', params: RegionIdParams, body: RegionBoundaryRequest, response: { 200: RegionBoundaryResult } },
    },
    async (req) => regionBoundaries.setBoundary(req.principal!, req.params.id, req.body, requestMeta(req)),
  );

  r.get(
    '/api/regions/features',
    {
      config: { access: { permission: 'region.read' } },
      schema: {
        tags: ['regions'],
        summary: '底图区划轮廓与标注点（社区/村边界；街道、区县为其合并）',
        querystring: RegionFeatureQuery,
        response: { 200: RegionFeatureCollection },
      },
    },
    async (req) => regionBoundaries.features(req.principal!, req.query),
  );
}
