import {
  CrossCheckQuery,
  CrossCheckReport,
  ExportQuery,
  ImportJob,
  ImportJobList,
  ImportKind,
  ImportPageQuery,
  ImportRejectionPage,
  ImportStartQuery,
} from '@gridgov/contracts/imports';
import { RecordIdParams } from '@gridgov/contracts/registry';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMeta } from '../../lib/request-meta.js';
import type { CrossCheckService } from './crosscheck.service.js';
import type { ExportService } from './export.service.js';
import type { ImportService } from './import.service.js';
import { templateWorkbook } from './xlsx-writer.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const KindParams = z.strictObject({ kind: ImportKind });

const attachment = (ascii: string, name: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export function registerRegistryIoRoutes(app: FastifyInstance, deps: { imports: ImportService; exports: ExportService; crosscheck: CrossCheckService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['registry-io'];
  const { imports } = deps;

  r.get(
    '/api/imports/templates/:kind',
    { config: { access: { permission: 'registry.import' } }, schema: { tags, summary: '导入模板（xlsx，中文表头与填写提示）', params: KindParams } },
    async (req, reply) =>
      reply
        .header('content-type', XLSX)
        .header('content-disposition', attachment(`${req.params.kind}-template.xlsx`, `${req.params.kind}-导入模板.xlsx`))
        .send(await templateWorkbook(req.params.kind)),
  );

  r.get(
    '/api/imports',
    {
      config: { access: { permission: 'registry.import' } },
      schema: { tags, summary: '我的导入任务', querystring: ImportPageQuery, response: { 200: ImportJobList } },
    },
    async (req) => imports.list(req.principal!, req.query),
  );

  r.get(
    '/api/imports/:id',
    { config: { access: { permission: 'registry.import' } }, schema: { tags, summary: '导入任务进度', params: RecordIdParams, response: { 200: ImportJob } } },
    async (req) => imports.get(req.principal!, req.params.id),
  );

  r.get(
    '/api/imports/:id/rejections',
    {
      config: { access: { permission: 'registry.import' } },
      schema: { tags, summary: '未导入的行（行号、列、原因）', params: RecordIdParams, querystring: ImportPageQuery, response: { 200: ImportRejectionPage } },
    },
    async (req) => imports.rejections(req.principal!, req.params.id, req.query),
  );

  r.get(
    '/api/imports/:id/rejections.xlsx',
    { config: { access: { permission: 'registry.import' } }, schema: { tags, summary: '下载未导入的行（xlsx）', params: RecordIdParams } },
    async (req, reply) => {
      const x = await imports.rejectionsXlsx(req.principal!, req.params.id);
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', attachment('rejected.xlsx', x.filename))
        .header('cache-control', 'no-store')
        .send(x.body);
    },
  );

  r.get(
    '/api/exports/:kind',
    {
      config: { access: { permission: 'registry.import' } },
      schema: { tags, summary: '导出（xlsx；默认脱敏，明文须 pii.export_unmasked 与原因；均记审计）', params: KindParams, querystring: ExportQuery },
    },
    async (req, reply) => {
      const x = await deps.exports.xlsx(req.principal!, req.params.kind, req.query, requestMeta(req));
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', attachment(`${req.params.kind}.xlsx`, x.filename))
        .header('cache-control', 'no-store')
        .header('x-row-count', String(x.rows))
        .send(x.body);
    },
  );

  // Raw file bodies (any content type) are handed to the service as a stream: a million-row file never sits in memory.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    const s = scope.withTypeProvider<ZodTypeProvider>();
    s.post(
      '/api/imports/:kind',
      {
        config: { access: { permission: 'registry.import' } },
        schema: {
          tags,
          summary: '开始导入（请求体为文件本身：xlsx 或 UTF-8/GBK 的 CSV；后台执行，轮询进度）',
          params: KindParams,
          querystring: ImportStartQuery,
          consumes: ['application/octet-stream'],
          response: { 202: ImportJob },
        },
      },
      async (req, reply) => {
        const job = await imports.start(req.principal!, req.params.kind, req.query, bodyStream(req), requestMeta(req));
        return reply.code(202).send(job);
      },
    );
    s.post(
      '/api/crosscheck/persons',
      {
        config: { access: { permission: 'registry.crosscheck' } },
        schema: {
          tags,
          summary: '数据比对：上传其他部门的人员名单（至少 身份证号 + 姓名），报告一致、本库缺、对方缺与不一致字段',
          querystring: CrossCheckQuery,
          consumes: ['application/octet-stream'],
          response: { 200: CrossCheckReport },
        },
      },
      async (req) => imports.withSpool(bodyStream(req), (file) => deps.crosscheck.persons(req.principal!, req.query, file, requestMeta(req))),
    );
  });
}

function bodyStream(req: { body: unknown; raw: NodeJS.ReadableStream }): NodeJS.ReadableStream {
  const b = req.body as NodeJS.ReadableStream | undefined;
  return b && typeof (b as { pipe?: unknown }).pipe === 'function' ? b : req.raw;
}
