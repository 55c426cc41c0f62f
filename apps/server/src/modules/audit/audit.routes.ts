import { AuditActionList, AuditPage, AuditQuery } from '@gridgov/contracts/audit';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AuditService } from './audit.service.js';

export function registerAuditRoutes(app: FastifyInstance, deps: { audit: AuditService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['audit'];

  r.get(
    '/api/audit',
    {
      config: { access: { permission: 'audit.read' } },
      schema: { tags, summary: '审计日志查询（管辖范围内，按时间倒序）', querystring: AuditQuery, response: { 200: AuditPage } },
    },
    async (req) => deps.audit.search(req.principal!, req.query),
  );

  r.get(
    '/api/audit/actions',
    { config: { access: { permission: 'audit.read' } }, schema: { tags, summary: '审计操作类型及名称', response: { 200: AuditActionList } } },
    async () => ({ items: deps.audit.actions() }),
  );
}
