import { AppError } from '../../http/app-error.js';
import type { Principal } from '../../http/principal.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { LoginThrottle } from './login-throttle.js';

/** The account endpoints act for a person; an API token acting for its creator may not use them. */
export function assertUser(p: Principal): void {
  if (p.kind !== 'user') throw new AppError('FORBIDDEN');
}

/** Refuses a password attempt while the client's address is throttled. */
export function assertNotThrottled(throttle: LoginThrottle, ip: string | null): void {
  const wait = throttle.retryAfterSeconds(ip);
  if (wait > 0) throw new AppError('RATE_LIMITED', { details: { retryAfterSeconds: wait } });
}

/** Counts a wrong password against the client's address; audits the moment the address becomes throttled. */
export async function countIpFailure(throttle: LoginThrottle, audit: Pick<AuditRepository, 'append'>, meta: RequestMeta): Promise<void> {
  if (!throttle.recordFailure(meta.ip)) return;
  await audit.append({
    action: 'auth.ip_throttled',
    outcome: 'denied',
    ip: meta.ip,
    requestId: meta.requestId,
    details: { retryAfterSeconds: throttle.retryAfterSeconds(meta.ip) },
  });
}
