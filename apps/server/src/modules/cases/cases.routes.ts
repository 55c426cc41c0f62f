import { CaseActionRequest, CaseBulkActionRequest, CaseBulkActionResult, CaseDetail, CaseIdParams, CaseList, CaseListQuery } from '@gridgov/contracts/cases';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { CasesService } from './cases.service.js';

/**
 * Case reading and workflow endpoints. Access is 'active' for the case routes because residents (who have no
 * case.read) read and rate their own reports; the service decides what each caller sees and may do.
 */
export function registerCasesRoutes(app: FastifyInstance, deps: { cases: CasesService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];
  const { cases } = deps;

  r.get(
    '/api/cases',
    {
      config: { access: 'active' },
      schema: { tags, summary: '案件列表（调度队列 / 部门待办 / 我的网格 / 我的上报）', querystring: CaseListQuery, response: { 200: CaseList } },
    },
    async (req) => cases.list(req.principal!, req.query),
  );
  r.post(
    '/api/cases/bulk-actions',
    {
      config: { access: { permission: 'case.dispatch' } },
      schema: { tags, summary: '批量受理 / 立案 / 派遣（逐件返回结果）', body: CaseBulkActionRequest, response: { 200: CaseBulkActionResult } },
    },
    async (req) => cases.bulk(req.principal!, req.body),
  );
  r.get(
    '/api/cases/:id',
    {
      config: { access: 'active' },
      schema: { tags, summary: '案件详情（流转记录、附件、可执行操作）', params: CaseIdParams, response: { 200: CaseDetail } },
    },
    async (req) => cases.detail(req.principal!, req.params.id),
  );
  r.post(
    '/api/cases/:id/actions',
    {
      config: { access: 'active' },
      schema: {
        tags,
        summary: '对案件执行一项操作（受理、派遣、处置反馈、核查、结案、评价 …）',
        params: CaseIdParams,
        body: CaseActionRequest,
        response: { 200: CaseDetail },
      },
    },
    async (req) => cases.act(req.principal!, req.params.id, req.body),
  );
}
