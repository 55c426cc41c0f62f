import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** All SQL the command line runs (account administration without a signed-in actor). */
export function createCliRepository(db: Kysely<DB>) {
  return {
    regionsByCode(codes: string[]) {
      if (codes.length === 0) return Promise.resolve([]);
      return db.selectFrom('region').select(['id', 'code', 'path']).where('code', 'in', codes).execute();
    },

    orgUnitByName(name: string) {
      return db.selectFrom('org_unit').select('id').where('name', '=', name).executeTakeFirst();
    },

    userByUsername(username: string, trx: Kysely<DB> = db) {
      return trx
        .selectFrom('app_user')
        .select(['id', 'username'])
        .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
        .executeTakeFirst();
    },

    async insertUser(
      u: { username: string; displayName: string; role: string; mobile: string | null; orgUnitId: string | null; passwordHash: string },
      scopes: { kind: 'capture' | 'view'; regionId: string }[],
      trx: Kysely<DB>,
    ) {
      const row = await trx
        .insertInto('app_user')
        .values({
          username: u.username,
          display_name: u.displayName,
          role: u.role,
          mobile: u.mobile,
          org_unit_id: u.orgUnitId,
          password_hash: u.passwordHash,
          must_change_password: true,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (scopes.length)
        await trx
          .insertInto('user_scope')
          .values(scopes.map((s) => ({ user_id: row.id, kind: s.kind, region_id: s.regionId })))
          .execute();
      return row.id;
    },

    /** Temporary password, forced change, lockout cleared, every session signed out. */
    async resetPassword(userId: string, passwordHash: string, trx: Kysely<DB>) {
      const now = new Date();
      await trx
        .updateTable('app_user')
        .set({ password_hash: passwordHash, must_change_password: true, failed_logins: 0, locked_until: null, password_changed_at: now, updated_at: now })
        .where('id', '=', userId)
        .execute();
      await trx.updateTable('user_session').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
    },
  };
}
