import type { FastifyRequest } from 'fastify';
import type { PrincipalResolver } from '../../app.js';
import type { AuthService } from './auth.service.js';
import { SESSION_COOKIE } from './session-token.js';

/** Cookie session for people; `Authorization: Bearer …` for machine clients (when tokens are wired). */
export function createPrincipalResolver(deps: {
  auth: Pick<AuthService, 'resolveSession'>;
  resolveToken?: (token: string) => ReturnType<PrincipalResolver['resolve']>;
}): PrincipalResolver {
  return {
    async resolve(req: FastifyRequest) {
      const authz = req.headers.authorization;
      if (authz?.startsWith('Bearer ') && deps.resolveToken) return deps.resolveToken(authz.slice(7).trim());
      const token = req.cookies[SESSION_COOKIE];
      if (!token) return null;
      return deps.auth.resolveSession(token);
    },
  };
}
