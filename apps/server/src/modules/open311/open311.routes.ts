import { type ErrorCode, errorCatalog } from '@gridgov/contracts/errors';
import {
  Open311CreateRequest,
  type Open311Error,
  Open311Format,
  Open311ListQuery,
  type Open311ServiceRequest,
  Open311ServicesQuery,
} from '@gridgov/contracts/open311';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError } from '../../http/app-error.js';
import type { Open311Api } from './open311.service.js';
import { element, type XmlValue, xmlDocument } from './open311-xml.js';

/**
 * Open311 GeoReport v2 routes. They answer in the spec's formats, errors included ([{code, description}] /
 * <errors>), so inputs are validated here with the contracts' zod schemas rather than by Fastify (whose
 * errors would come out in our own API's error format). Access is `public` at the gate: reads are open
 * (rate-limited per address), and POST checks its api_key in the service.
 */
const tags = ['open311'];
const XML_ITEMS = { lifecycle: 'step', attributes: 'attribute' };

type Format = z.infer<typeof Open311Format>;

function formatOf(req: FastifyRequest): Format | null {
  const f = (req.params as { format?: string }).format;
  const r = Open311Format.safeParse(f);
  return r.success ? r.data : null;
}

function send(reply: FastifyReply, format: Format, status: number, json: unknown, xml: () => string) {
  reply.status(status);
  if (format === 'xml') return reply.type('application/xml; charset=utf-8').send(xml());
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(json));
}

function sendErrors(req: FastifyRequest, reply: FastifyReply, format: Format, code: ErrorCode, detail?: string, retryAfter?: number) {
  const errors: Open311Error[] = [{ code, description: detail ? `${errorCatalog[code].zh}：${detail}` : errorCatalog[code].zh }];
  if (retryAfter) reply.header('retry-after', String(retryAfter));
  reply.header('x-request-id', String(req.id));
  return send(reply, format, errorCatalog[code].status, errors, () => xmlDocument('errors', 'error', errors as unknown as XmlValue[]));
}

function zodDetail(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('；');
}

/** Runs one Open311 handler: bad format → 404, AppError → Open311 error with our code, anything else → INTERNAL (logged). */
async function run(req: FastifyRequest, reply: FastifyReply, body: (format: Format) => Promise<unknown>) {
  const format = formatOf(req);
  if (!format) return sendErrors(req, reply, 'json', 'ROUTE_NOT_FOUND', '仅支持 .json 与 .xml');
  try {
    return await body(format);
  } catch (err) {
    if (err instanceof AppError) {
      const detail = err.fields?.map((f) => f.message).join('；') || undefined;
      const wait = err.code === 'RATE_LIMITED' ? (err.details?.retryAfterSeconds as number | undefined) : undefined;
      return sendErrors(req, reply, format, err.code, detail, wait);
    }
    req.log.error({ err: err as FastifyError }, 'open311 request failed');
    return sendErrors(req, reply, format, 'INTERNAL');
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) {
    throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'body', code: 'invalid', message: zodDetail(r.error) }] });
  }
  return r.data;
}

const apiKeyOf = (...sources: unknown[]) => {
  for (const s of sources) {
    const k = (s as { api_key?: unknown } | null | undefined)?.api_key;
    if (typeof k === 'string' && k) return k;
  }
  return undefined;
};

const requestsXml = (items: readonly unknown[]) => xmlDocument('service_requests', 'request', items as XmlValue[], XML_ITEMS);

export function registerOpen311Routes(app: FastifyInstance, deps: { open311: Open311Api }) {
  const { open311 } = deps;

  // The spec's POST is form-encoded: parsed for /open311/ only; everywhere else the API stays JSON-only.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (req, body, done) => {
    if (!req.url.startsWith('/open311/')) {
      const e = new Error('Unsupported Media Type') as FastifyError;
      (e as { code: string }).code = 'FST_ERR_CTP_INVALID_MEDIA_TYPE';
      (e as { statusCode: number }).statusCode = 415;
      return done(e, undefined);
    }
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get(
    '/open311/v2/services.:format',
    { config: { access: 'public' }, schema: { tags, summary: 'Open311 服务列表（事项清单中启用的小类）' } },
    (req, reply) =>
      run(req, reply, async (format) => {
        parse(Open311ServicesQuery, req.query);
        const items = await open311.services(apiKeyOf(req.query), req.ip);
        return send(reply, format, 200, items, () => xmlDocument('services', 'service', items as unknown as XmlValue[]));
      }),
  );

  app.get('/open311/v2/services/:code.:format', { config: { access: 'public' }, schema: { tags, summary: 'Open311 服务定义（无附加属性）' } }, (req, reply) =>
    run(req, reply, async (format) => {
      parse(Open311ServicesQuery, req.query);
      const def = await open311.serviceDefinition((req.params as { code: string }).code, apiKeyOf(req.query), req.ip);
      return send(
        reply,
        format,
        200,
        def,
        () => `<?xml version="1.0" encoding="utf-8"?>\n${element('service_definition', def as unknown as XmlValue, XML_ITEMS)}\n`,
      );
    }),
  );

  app.post(
    '/open311/v2/requests.:format',
    { config: { access: 'public' }, schema: { tags, summary: 'Open311 提交诉求（需 api_key：本平台签发、具有 case.report 权限的 API 令牌）' } },
    (req, reply) =>
      run(req, reply, async (format) => {
        const body = parse(Open311CreateRequest, { ...(req.body as object | undefined), api_key: apiKeyOf(req.body, req.query) });
        const created = await open311.create(body);
        return send(reply, format, 201, created, () => requestsXml(created));
      }),
  );

  app.get(
    '/open311/v2/requests.:format',
    { config: { access: 'public' }, schema: { tags, summary: 'Open311 诉求列表（公开字段，不含报告人信息）' } },
    (req, reply) =>
      run(req, reply, async (format) => {
        const q = parse(Open311ListQuery, req.query);
        const items: Open311ServiceRequest[] = await open311.list(q, apiKeyOf(req.query), req.ip);
        return send(reply, format, 200, items, () => requestsXml(items));
      }),
  );

  app.get(
    '/open311/v2/requests/:id.:format',
    { config: { access: 'public' }, schema: { tags, summary: 'Open311 单个诉求（以案卷编号为 service_request_id）' } },
    (req, reply) =>
      run(req, reply, async (format) => {
        parse(Open311ServicesQuery, req.query);
        const items = await open311.get((req.params as { id: string }).id, apiKeyOf(req.query), req.ip);
        return send(reply, format, 200, items, () => requestsXml(items));
      }),
  );
}
