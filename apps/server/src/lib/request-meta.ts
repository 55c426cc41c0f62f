import type { FastifyRequest } from 'fastify';
import type { Principal } from '../http/principal.js';

/** What services need to know about the request for auditing, without depending on Fastify. */
export interface RequestMeta {
  ip: string | null;
  requestId: string;
  userAgent: string | null;
}

export function requestMeta(req: FastifyRequest): RequestMeta {
  return { ip: req.ip ?? null, requestId: String(req.id), userAgent: req.headers['user-agent'] ?? null };
}

/** Actor columns of an audit entry. */
export function actorOf(p: Principal | null | undefined) {
  return p ? { actorId: p.userId, actorName: p.username, actorRole: p.role } : {};
}

/** What every audit entry written for a request shares: who did it, from where, in which request. */
export function auditContext(actor: Principal | null | undefined, meta: RequestMeta) {
  return { ...actorOf(actor), ip: meta.ip, requestId: meta.requestId };
}
