import type { Locale } from '@gridgov/contracts/errors';
import type { FastifyRequest } from 'fastify';

/** zh-CN unless the signed-in user chose en or the client asks for English first. */
export function requestLocale(req: FastifyRequest): Locale {
  if (req.principal) return req.principal.locale;
  const q = req.headers['x-gridgov-locale'] ?? req.headers['accept-language'];
  const first = (Array.isArray(q) ? q[0] : q)?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}
