import { type ErrorBody, type ErrorCode, errorCatalog, errorMessage, type FieldIssue } from '@gridgov/contracts/errors';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from './app-error.js';
import { requestLocale } from './locale.js';

/** Builds the error body in the caller's language. The only place that turns a code into a status. */
export function sendError(
  req: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  extra: { fields?: FieldIssue[]; details?: Record<string, unknown>; message?: string } = {},
) {
  const body: ErrorBody = {
    error: {
      code,
      message: extra.message ?? errorMessage(code, requestLocale(req)),
      requestId: req.id,
      ...(extra.fields?.length ? { fields: extra.fields } : {}),
      ...(extra.details ? { details: extra.details } : {}),
    },
  };
  return reply.status(errorCatalog[code].status).send(body);
}

function fieldIssuesFrom(err: FastifyError): { code: ErrorCode; fields: FieldIssue[] } {
  // fastify-type-provider-zod 7 reports each zod issue as { keyword: issue.code, instancePath: '/a/0', message, params: rest of the issue }.
  const issues = (err.validation ?? []) as unknown as Array<{ keyword?: string; instancePath?: string; message?: string; params?: { keys?: string[] } }>;
  let unknownKey = false;
  const fields: FieldIssue[] = [];
  // Body fields are named bare (`login`, `captureRegionIds.0`), as services name them, so a form can
  // put every error on its item; query and path parameters keep a `query.` / `params.` prefix.
  const context = err.validationContext === 'body' ? undefined : err.validationContext === 'querystring' ? 'query' : err.validationContext;
  for (const v of issues) {
    const base = [context, ...(v.instancePath ?? '').split('/')].filter((p) => p !== undefined && p !== '').map(String);
    if (v.keyword === 'unrecognized_keys') {
      unknownKey = true;
      for (const k of v.params?.keys ?? []) fields.push({ path: [...base, k].join('.'), code: 'unknown_field', message: `不允许的字段 / unknown field: ${k}` });
      continue;
    }
    // An issue with the whole body (an array where an object belongs) is named `body`.
    fields.push({ path: base.join('.') || (context ?? 'body'), code: v.keyword ?? 'invalid', message: v.message ?? 'invalid' });
  }
  return { code: unknownKey ? 'UNKNOWN_FIELD' : 'VALIDATION_FAILED', fields };
}

export function installErrorHandling(app: FastifyInstance) {
  // The API reads JSON only: without this, Fastify's built-in text/plain parser hands a string to the
  // validators and the client gets VALIDATION_FAILED instead of 415.
  app.removeContentTypeParser('text/plain');
  app.setNotFoundHandler((req, reply) => sendError(req, reply, 'ROUTE_NOT_FOUND'));

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      return sendError(req, reply, err.code, { fields: err.fields, details: err.details, message: err.message !== err.code ? err.message : undefined });
    }
    if (hasZodFastifySchemaValidationErrors(err) || err.validation) {
      const { code, fields } = fieldIssuesFrom(err);
      return sendError(req, reply, code, { fields });
    }
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendError(req, reply, 'MALFORMED_JSON');
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(req, reply, 'BODY_TOO_LARGE');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendError(req, reply, 'UNSUPPORTED_MEDIA_TYPE');
    }
    if (err.statusCode === 429) return sendError(req, reply, 'RATE_LIMITED');
    if (err instanceof SyntaxError) return sendError(req, reply, 'MALFORMED_JSON');
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      req.log.warn({ err }, 'client error');
      return sendError(req, reply, 'VALIDATION_FAILED');
    }
    // Database and programming errors: logged in full, never shown to the client.
    req.log.error({ err }, 'unhandled error');
    return sendError(req, reply, 'INTERNAL');
  });
}
