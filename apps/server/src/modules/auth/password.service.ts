import { type ChangePasswordRequest, passwordProblemLabels, passwordProblems } from '@gridgov/contracts/auth';
import type { FieldIssue } from '@gridgov/contracts/errors';
import { AppError } from '../../http/app-error.js';
import type { Principal } from '../../http/principal.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { assertNotThrottled, assertUser, countIpFailure } from './auth.guards.js';
import type { AuthRepository } from './auth.repository.js';
import type { LoginThrottle } from './login-throttle.js';
import { hashPassword, verifyPassword } from './password.js';

export interface PasswordServiceDeps {
  repo: Pick<AuthRepository, 'findUserById' | 'changePassword'>;
  audit: Pick<AuditRepository, 'append'>;
  throttle: LoginThrottle;
}

/** Changing one's own password (also how a forced change at first sign-in is completed). */
export function createPasswordService({ repo, audit, throttle }: PasswordServiceDeps) {
  return {
    /**
     * Checks the current password and the policy, stores the new hash, lifts a forced change and
     * signs out every other session of the user (a thief's session ends with the old password).
     */
    async changePassword(actor: Principal, input: ChangePasswordRequest, meta: RequestMeta): Promise<{ ok: true }> {
      assertUser(actor);
      assertNotThrottled(throttle, meta.ip);
      const user = await repo.findUserById(actor.userId);
      if (!user) throw new AppError('AUTH_SESSION_EXPIRED');
      const who = {
        actorId: user.id,
        actorName: user.username,
        actorRole: user.role,
        targetType: 'user',
        targetId: user.id,
        ip: meta.ip,
        requestId: meta.requestId,
      };
      const label = (l: { zh: string; en: string }) => (actor.locale === 'en' ? l.en : l.zh);

      if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
        await countIpFailure(throttle, audit, meta);
        await audit.append({ ...who, action: 'auth.password_changed', outcome: 'failed', details: { reason: 'wrong_password' } });
        throw new AppError('AUTH_WRONG_PASSWORD', {
          fields: [{ path: 'currentPassword', code: 'wrong_password', message: label({ zh: '当前密码不正确', en: 'The current password is wrong' }) }],
        });
      }

      const problems = passwordProblems(input.newPassword, { username: user.username, mobile: user.mobile });
      if (input.newPassword === input.currentPassword) problems.push('same_as_current');
      if (problems.length) {
        const fields: FieldIssue[] = problems.map((code) => ({
          path: 'newPassword',
          code,
          message: label(passwordProblemLabels[code] ?? { zh: code, en: code }),
        }));
        throw new AppError('PASSWORD_POLICY', { fields });
      }

      const { revokedSessions } = await repo.changePassword(user.id, await hashPassword(input.newPassword), actor.sessionId);
      await audit.append({ ...who, action: 'auth.password_changed', outcome: 'ok', details: { revokedSessions, wasForced: user.must_change_password } });
      return { ok: true };
    },
  };
}
export type PasswordService = ReturnType<typeof createPasswordService>;
