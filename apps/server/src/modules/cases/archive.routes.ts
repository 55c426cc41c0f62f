import { CaseIdParams } from '@gridgov/contracts/cases';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { requestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { createArchiveRepository } from './archive.repository.js';
import { type ArchiveServiceDeps, createArchiveService } from './archive.service.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The case's electronic archive (C24): GET /api/cases/:id/archive.docx. Registered by app.ts after the cases module. */
export function registerCaseArchive(
  app: FastifyInstance,
  deps: { db: Kysely<DB>; audit: Pick<AuditRepository, 'append'>; detail: ArchiveServiceDeps['detail']; stores: ArchiveServiceDeps['stores'] },
) {
  const archive = createArchiveService({ detail: deps.detail, repo: createArchiveRepository(deps.db), audit: deps.audit, stores: deps.stores });
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/cases/:id/archive.docx',
    {
      // Whoever may view the case (the service asks the case detail; out of view → 404).
      config: { access: 'active' },
      schema: { tags: ['cases'], summary: '导出案件电子档案（Word：基本信息、流转记录、照片、位置、评价、考核指标）', params: CaseIdParams },
    },
    async (req, reply) => {
      const { fileName, data } = await archive.export(req.principal!, req.params.id, requestMeta(req));
      return reply
        .type(DOCX)
        .header('content-disposition', `attachment; filename="case-archive.docx"; filename*=UTF-8''${encodeURIComponent(fileName)}`)
        .header('cache-control', 'no-store')
        .send(data);
    },
  );
  return archive;
}
