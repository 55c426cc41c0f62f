import { type Kysely, sql } from 'kysely';
import { PREPARED } from '../../db/prepared-statements.js';
import type { DB } from '../../db/schema.js';

type ScopeRow = { kind: string; regionId: string; path: string; code: string; name: string };

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

    /** Grids a grid leader or worker currently serves (grid_staff): their registry reads narrow to these. */
    async staffedGrids(userId: string) {
      const rows = await db.selectFrom('grid_staff').select('grid_id').where('user_id', '=', userId).execute();
      return rows.map((r) => r.grid_id);
    },

    orgUnitName(id: string | null) {
      if (!id) return Promise.resolve(undefined);
      return db.selectFrom('org_unit').select('name').where('id', '=', id).executeTakeFirst();
    },

    /**
     * Counts a wrong password and locks at the limit. A lock that has run out starts a fresh count:
     * one more mistake after a lockout must not lock the account again at once.
     */
    async recordFailure(userId: string, maxFailures: number, lockUntil: Date) {
      const now = new Date();
      return db
        .updateTable('app_user')
        .set((eb) => {
          const expired = eb.and([eb('locked_until', 'is not', null), eb('locked_until', '<=', now)]);
          const previous = eb.case().when(expired).then(0).else(eb.ref('failed_logins')).end();
          return {
            failed_logins: eb(previous, '+', 1),
            locked_until: eb
              .case()
              .when(previous, '>=', maxFailures - 1)
              .then(lockUntil)
              .when(expired)
              .then(null)
              .else(eb.ref('locked_until'))
              .end(),
          };
        })
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
        .values({
          token_hash: s.tokenHash,
          user_id: s.userId,
          csrf_token: s.csrfToken,
          expires_at: s.expiresAt,
          ip: s.ip,
          user_agent: s.userAgent?.slice(0, 256) ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    },

    /** A session and its user in one round trip: this runs on every signed-in request. */
    findSessionWithUser(tokenHash: string) {
      return (
        db
          .selectFrom('user_session as s')
          .innerJoin('app_user as u', 'u.id', 's.user_id')
          .selectAll('u')
          .select(['s.id as session_id', 's.csrf_token', 's.expires_at', 's.revoked_at', 's.last_seen_at'])
          // The principal's scope roots and served grids in the same round trip (as scopesOf and staffedGrids read them).
          .select(
            sql<
              ScopeRow[]
            >`(SELECT coalesce(json_agg(json_build_object('kind', us.kind, 'regionId', r.id, 'path', r.path, 'code', r.code, 'name', r.name) ORDER BY r.path), '[]')
            FROM user_scope us JOIN region r ON r.id = us.region_id WHERE us.user_id = u.id)`.as('scopes'),
          )
          .select(sql<string[]>`(SELECT coalesce(json_agg(gs.grid_id), '[]') FROM grid_staff gs WHERE gs.user_id = u.id)`.as('staffed_grids'))
          .where('s.token_hash', '=', tokenHash)
          .modifyEnd(sql.raw(PREPARED))
          .executeTakeFirst()
      );
    },

    touchSession(id: string) {
      return db.updateTable('user_session').set({ last_seen_at: new Date() }).where('id', '=', id).execute();
    },

    revokeSession(id: string) {
      return db.updateTable('user_session').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    },

    /** Sessions not revoked and not past their absolute expiry, newest activity first. */
    listOpenSessions(userId: string) {
      return db
        .selectFrom('user_session')
        .select(['id', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', new Date())
        .orderBy('last_seen_at', 'desc')
        .execute();
    },

    findUserSession(userId: string, id: string) {
      return db.selectFrom('user_session').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    },

    /** Sets a new password hash, lifts a forced change and revokes every other session, atomically. */
    changePassword(userId: string, passwordHash: string, keepSessionId: string | undefined) {
      return db.transaction().execute(async (trx) => {
        const now = new Date();
        await trx
          .updateTable('app_user')
          .set({ password_hash: passwordHash, must_change_password: false, password_changed_at: now, updated_at: now })
          .where('id', '=', userId)
          .execute();
        let q = trx.updateTable('user_session').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null);
        if (keepSessionId) q = q.where('id', '!=', keepSessionId);
        const revoked = await q.returning('id').execute();
        return { revokedSessions: revoked.length };
      });
    },

    setLocale(userId: string, locale: 'zh-CN' | 'en') {
      return db.updateTable('app_user').set({ locale, updated_at: new Date() }).where('id', '=', userId).execute();
    },

    revokeUserSessions(userId: string, exceptId?: string) {
      let q = db.updateTable('user_session').set({ revoked_at: new Date() }).where('user_id', '=', userId).where('revoked_at', 'is', null);
      if (exceptId) q = q.where('id', '!=', exceptId);
      return q.execute();
    },
  };
}
export type AuthRepository = ReturnType<typeof createAuthRepository>;
