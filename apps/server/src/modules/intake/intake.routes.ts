import fastifyMultipart from '@fastify/multipart';
import {
  AttachmentIdParams,
  AttachmentInfo,
  AttachmentPurpose,
  CaseReportRequest,
  CaseReportResult,
  CaseSuggestRequest,
  CaseSuggestResult,
  DeviceAlarmRequest,
  HotlineCaseRequest,
  IdempotencyKey,
} from '@gridgov/contracts/intake';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../http/app-error.js';
import { requestMeta } from '../../lib/request-meta.js';
import type { AttachmentsService } from './attachments.service.js';
import type { IntakeService } from './intake.service.js';

const IdemHeaders = z.object({ 'idempotency-key': IdempotencyKey.optional() });
const report = { permission: 'case.report' } as const;
/** Integrations are run by centers and stations: their API tokens carry case.dispatch (never a resident's). */
const integrate = { permission: 'case.dispatch' } as const;

export function registerIntakeRoutes(app: FastifyInstance, deps: { intake: IntakeService; attachments: AttachmentsService; uploadCeiling: number }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['intake'];
  const { intake, attachments } = deps;

  r.post(
    '/api/cases',
    {
      config: { access: report },
      schema: {
        tags,
        summary: '上报案件（网格员、居民，或工作人员代录来电/来访/意见箱）；Idempotency-Key 相同的重试返回同一案件',
        headers: IdemHeaders,
        body: CaseReportRequest,
        response: { 200: CaseReportResult, 201: CaseReportResult },
      },
    },
    async (req, reply) => {
      const result = await intake.report(req.principal!, req.body, req.headers['idempotency-key'], requestMeta(req));
      return reply.code(result.created ? 201 : 200).send(result);
    },
  );

  r.post(
    '/api/cases/suggest',
    {
      config: { access: report },
      schema: {
        tags,
        summary: '上报辅助：按描述推荐事项类别，按位置列出附近同类未办结案件（疑似重复）',
        body: CaseSuggestRequest,
        response: { 200: CaseSuggestResult },
      },
    },
    async (req) => intake.suggest(req.principal!, req.body),
  );

  r.post(
    '/api/integrations/hotline/cases',
    {
      config: { access: integrate },
      schema: {
        tags,
        summary: '12345 热线工单接入（API 令牌）；同一工单号重复推送返回已有案件；状态变化推送至 HOTLINE_WEBHOOK_URL',
        body: HotlineCaseRequest,
        response: { 200: CaseReportResult, 201: CaseReportResult },
      },
    },
    async (req, reply) => {
      const result = await intake.hotline(req.principal!, req.body);
      return reply.code(result.created ? 201 : 200).send(result);
    },
  );

  r.post(
    '/api/integrations/devices/alarms',
    {
      config: { access: integrate },
      schema: {
        tags,
        summary: '设备/视频告警接入（API 令牌）：告警类型对应事项类别，快照先经 /api/attachments 上传',
        body: DeviceAlarmRequest,
        response: { 200: CaseReportResult, 201: CaseReportResult },
      },
    },
    async (req, reply) => {
      const result = await intake.deviceAlarm(req.principal!, req.body);
      return reply.code(result.created ? 201 : 200).send(result);
    },
  );

  r.get(
    '/api/attachments/:id',
    {
      config: { access: 'active' },
      schema: { tags, summary: '附件文件（可查看该案件者；未关联案件前仅上传者）', params: AttachmentIdParams },
    },
    async (req, reply) => {
      const { info, stream } = await attachments.open(req.principal!, req.params.id);
      const name = info.originalName ?? `${info.id}`;
      return reply
        .header('content-type', info.mime)
        .header('content-length', String(info.sizeBytes))
        .header('content-disposition', `inline; filename="${info.id}"; filename*=UTF-8''${encodeURIComponent(name)}`)
        .header('cache-control', 'private, max-age=86400')
        .send(stream);
    },
  );

  // Multipart only here (one file): every other route keeps refusing multipart bodies.
  void app.register(async (scope) => {
    await scope.register(fastifyMultipart, { limits: { files: 1, fields: 5, fieldSize: 1024, fileSize: deps.uploadCeiling, parts: 6 } });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/attachments',
      {
        config: { access: 'active' },
        schema: {
          tags,
          summary: '上传附件（multipart，一个文件）：照片 JPEG/PNG/WebP、音频 MP3/AAC/AMR/M4A、视频 MP4，按文件内容识别类型',
          consumes: ['multipart/form-data'],
          response: { 201: AttachmentInfo },
        },
      },
      async (req, reply) => {
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
        const file = await req.file();
        if (!file) throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'file', code: 'required', message: '请选择要上传的文件' }] });
        // A text field sent before the file part: what the photo shows (处置前 / 处置后 …).
        const field = file.fields.purpose;
        const given = field && !Array.isArray(field) && field.type === 'field' ? AttachmentPurpose.safeParse(field.value) : null;
        const info = await attachments.upload(req.principal!, {
          stream: file.file,
          filename: file.filename,
          truncated: () => file.file.truncated,
          purpose: given?.success ? given.data : 'report',
        });
        return reply.code(201).send(info);
      },
    );
  });
}
