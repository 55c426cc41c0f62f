import {
  AdjustmentDetail,
  AdjustmentIdParams,
  AdjustmentList,
  AdjustmentListQuery,
  ApplyDueResult,
  CreateAdjustmentBody,
  ReviewAdjustmentBody,
  UpdateAdjustmentBody,
} from '@gridgov/contracts/adjustments';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestMeta } from '../../lib/request-meta.js';
import type { AdjustmentsService } from './adjustments.service.js';

export function registerAdjustmentsRoutes(app: FastifyInstance, deps: { adjustments: AdjustmentsService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['grid-adjustments'];
  const { adjustments } = deps;
  const apply = { permission: 'grid.adjust.apply' } as const;

  r.get(
    '/api/grid-adjustments',
    {
      config: { access: { permission: 'grid.read' } },
      schema: { tags, summary: '网格调整申请列表（管辖范围内）', querystring: AdjustmentListQuery, response: { 200: AdjustmentList } },
    },
    async (req) => adjustments.list(req.principal!, req.query),
  );

  r.get(
    '/api/grid-adjustments/:id',
    {
      config: { access: { permission: 'grid.read' } },
      schema: { tags, summary: '网格调整申请详情（含方案边界；生效后含归属变更报告）', params: AdjustmentIdParams, response: { 200: AdjustmentDetail } },
    },
    async (req) => adjustments.get(req.principal!, req.params.id),
  );

  r.post(
    '/api/grid-adjustments',
    {
      config: { access: apply },
      schema: {
        tags,
        summary: '申报网格拆分/合并/边界调整/新增（保存草稿或直接提交）',
        body: CreateAdjustmentBody,
        response: { 201: AdjustmentDetail },
      },
    },
    async (req, reply) => reply.status(201).send(await adjustments.create(req.principal!, req.body, requestMeta(req))),
  );

  r.put(
    '/api/grid-adjustments/:id',
    {
      config: { access: apply },
      schema: {
        tags,
        summary: '修改草稿或被退回的申请',
        params: AdjustmentIdParams,
        body: UpdateAdjustmentBody,
        response: { 200: AdjustmentDetail },
      },
    },
    async (req) => adjustments.update(req.principal!, req.params.id, req.body, requestMeta(req)),
  );

  r.post(
    '/api/grid-adjustments/:id/submit',
    { config: { access: apply }, schema: { tags, summary: '提交审核', params: AdjustmentIdParams, response: { 200: AdjustmentDetail } } },
    async (req) => adjustments.submit(req.principal!, req.params.id, requestMeta(req)),
  );

  r.post(
    '/api/grid-adjustments/:id/withdraw',
    { config: { access: apply }, schema: { tags, summary: '撤回申请', params: AdjustmentIdParams, response: { 200: AdjustmentDetail } } },
    async (req) => adjustments.withdraw(req.principal!, req.params.id, requestMeta(req)),
  );

  r.post(
    '/api/grid-adjustments/:id/review',
    {
      config: { access: { permission: 'grid.adjust.review' } },
      schema: {
        tags,
        summary: '中心审核：批准（进入公示）或退回（须填理由）；申请人不能审核本人申请',
        params: AdjustmentIdParams,
        body: ReviewAdjustmentBody,
        response: { 200: AdjustmentDetail },
      },
    },
    async (req) => adjustments.review(req.principal!, req.params.id, req.body, requestMeta(req)),
  );

  r.post(
    '/api/grid-adjustments/apply-due',
    {
      config: { access: { permission: 'system.configure' } },
      schema: { tags, summary: '立即执行到期调整（定时任务每 10 分钟执行一次）', response: { 200: ApplyDueResult } },
    },
    async (req) => adjustments.runDueNow(req.principal!, requestMeta(req)),
  );
}
