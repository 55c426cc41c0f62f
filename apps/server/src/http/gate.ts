import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Access } from './access.js';
import { AppError } from './app-error.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Runs before every handler: authentication, forced password change, CSRF for cookie sessions,
 * and the route's coarse permission. Scope (where) is the service's job, not the gate's.
 * Denials are audited by the caller-supplied `onDenied`.
 */
export function createGate(onDenied: (req: FastifyRequest, reason: string) => Promise<void>) {
  return async function gate(req: FastifyRequest, _reply: FastifyReply) {
    const access = req.routeOptions.config?.access as Access | undefined;
    if (access === undefined || access === 'public') return;
    const p = req.principal;
    if (!p) throw new AppError(req.authFailure ?? 'AUTH_REQUIRED');
    if (p.kind === 'user' && p.sessionId && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !req.csrfToken || sent !== req.csrfToken) {
        await onDenied(req, 'csrf');
        throw new AppError('CSRF_INVALID');
      }
    }
    if (access === 'authenticated') return;
    if (p.mustChangePassword) throw new AppError('AUTH_PASSWORD_CHANGE_REQUIRED');
    if (access === 'active') return;
    if (!p.permissions.has(access.permission)) {
      await onDenied(req, `permission:${access.permission}`);
      throw new AppError('FORBIDDEN');
    }
  };
}
