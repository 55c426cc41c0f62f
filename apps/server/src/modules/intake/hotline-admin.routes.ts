import { IntegrationCaseList, IntegrationCaseQuery, OutboxDelivery, OutboxIdParams, OutboxList, OutboxQuery } from '@gridgov/contracts/integrations';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestMeta } from '../../lib/request-meta.js';
import type { HotlineAdminService } from './hotline-admin.service.js';

/** The integrations console is the district center's (who configures the catalogue and issues the tokens). */
const configure = { permission: 'case.configure' } as const;

export function registerHotlineAdminRoutes(app: FastifyInstance, deps: { admin: HotlineAdminService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['integrations'];
  const { admin } = deps;

  r.get(
    '/api/integrations/cases',
    {
      config: { access: configure },
      schema: {
        tags,
        summary: '经 12345 热线与设备接口进入的案件（工单号/告警编号、状态、最近一次回推）',
        querystring: IntegrationCaseQuery,
        response: { 200: IntegrationCaseList },
      },
    },
    async (req) => admin.cases(req.principal!, req.query),
  );
  r.get(
    '/api/integrations/outbox',
    {
      config: { access: configure },
      schema: { tags, summary: '状态回推队列（待推送/推送失败/已送达、次数、最近错误、下次重试）', querystring: OutboxQuery, response: { 200: OutboxList } },
    },
    async (req) => admin.outbox(req.principal!, req.query),
  );
  r.post(
    '/api/integrations/outbox/:id/retry',
    {
      config: { access: configure },
      schema: { tags, summary: '重试一条推送失败的回推（重新排队，立即到期）', params: OutboxIdParams, response: { 200: OutboxDelivery } },
    },
    async (req) => admin.retry(req.principal!, req.params.id, requestMeta(req)),
  );
}
