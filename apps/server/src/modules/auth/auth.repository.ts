import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** All SQL for sign-in, sessions and principal loading. */
export function createAuthRepository(db: Kysely<DB>) {
  return {
    findUserByLogin(login: string) {
      const isMobile = /^1[3-9]\d{9}$/.test(login);
      return db
        .selectFrom('app_user')
        .selectAll()
        .where((eb) => (isMobile ? eb('mobile', '=', login) : eb(eb.fn('lower', ['username']), '=', login.toLowerCase())))
        .executeTakeFirst();
    },

    findUserById(id: string) {
      return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Scope roots of a user with the paths the scope checks compare against. */
    scopesOf(userId: string) {
      return db
        .selectFrom('user_scope as s')
        .innerJoin('region as r', 'r.id', 's.region_id')
        .select(['s.kind', 'r.id as regionId', 'r.path', 'r.code', 'r.name'])
        .where('s.user_id', '=', userId)
        .orderBy('r.path')
        .execute();
    },

    orgUnitName(id: string | null) {
      if (!id) return Promise.resolve(undefined);
      return db.selectFrom('org_unit').select('name').where('id', '=', id).executeTakeFirst();
    },

    async recordFailure(userId: string, maxFailures: number, lockUntil: Date) {
      return db
        .updateTable('app_user')
        .set((eb) => ({
          failed_logins: eb('failed_logins', '+', 1),
          locked_until: eb.case().when('failed_logins', '>=', maxFailures - 1).then(lockUntil).else(eb.ref('locked_until')).end(),
        }))
        .where('id', '=', userId)
        .returning(['failed_logins', 'locked_until'])
        .executeTakeFirstOrThrow();
    },

    recordSuccess(userId: string) {
      return db.updateTable('app_user').set({ failed_logins: 0, locked_until: null, last_login_at: new Date() }).where('id', '=', userId).execute();
    },

    createSession(s: { tokenHash: string; userId: string; csrfToken: string; expiresAt: Date; ip: string | null; userAgent: string | null }) {
      return db
        .insertInto('user_session')
        .values({ token_hash: s.tokenHash, user_id: s.userId, csrf_token: s.csrfToken, expires_at: s.expiresAt, ip: s.ip, user_agent: s.userAgent?.slice(0, 256) ?? null })
        .returning('id')
        .executeTakeFirstOrThrow();
    },

    findSession(tokenHash: string) {
      return db.selectFrom('user_session').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    },

    touchSession(id: string) {
      return db.updateTable('user_session').set({ last_seen_at: new Date() }).where('id', '=', id).execute();
    },

    revokeSession(id: string) {
      return db.updateTable('user_session').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    },

    revokeUserSessions(userId: string, exceptId?: string) {
      let q = db.updateTable('user_session').set({ revoked_at: new Date() }).where('user_id', '=', userId).where('revoked_at', 'is', null);
      if (exceptId) q = q.where('id', '!=', exceptId);
      return q.execute();
    },
  };
}
export type AuthRepository = ReturnType<typeof createAuthRepository>;
