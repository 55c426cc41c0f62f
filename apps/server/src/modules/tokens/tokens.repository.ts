import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** All SQL for API tokens. */
export function createTokenRepository(db: Kysely<DB>) {
  const withCreator = () =>
    db
      .selectFrom('api_token as t')
      .innerJoin('app_user as u', 'u.id', 't.created_by')
      .select([
        't.id',
        't.name',
        't.prefix',
        't.permissions',
        't.region_ids',
        't.created_by',
        'u.username as created_by_name',
        't.created_at',
        't.expires_at',
        't.revoked_at',
        't.last_used_at',
      ]);

  return {
    insert(t: { name: string; prefix: string; tokenHash: string; permissions: string[]; regionIds: string[]; createdBy: string; expiresAt: Date | null }) {
      return db
        .insertInto('api_token')
        .values({
          name: t.name,
          prefix: t.prefix,
          token_hash: t.tokenHash,
          permissions: t.permissions,
          region_ids: t.regionIds,
          created_by: t.createdBy,
          expires_at: t.expiresAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    },

    /** Newest first; only one creator's tokens when `createdBy` is given. */
    list(filter: { createdBy?: string }) {
      let q = withCreator().orderBy('t.created_at', 'desc').orderBy('t.id');
      if (filter.createdBy) q = q.where('t.created_by', '=', filter.createdBy);
      return q.execute();
    },

    findById(id: string) {
      return withCreator().where('t.id', '=', id).executeTakeFirst();
    },

    findByHash(tokenHash: string) {
      return db.selectFrom('api_token').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    },

    revoke(id: string) {
      return db.updateTable('api_token').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    },

    touch(id: string) {
      return db.updateTable('api_token').set({ last_used_at: new Date() }).where('id', '=', id).execute();
    },

    regionsByIds(ids: readonly string[]) {
      if (!ids.length) return Promise.resolve([]);
      return db
        .selectFrom('region')
        .select(['id', 'path'])
        .where('id', 'in', [...ids])
        .execute();
    },
  };
}
export type TokenRepository = ReturnType<typeof createTokenRepository>;
export type TokenRow = NonNullable<Awaited<ReturnType<TokenRepository['findById']>>>;
