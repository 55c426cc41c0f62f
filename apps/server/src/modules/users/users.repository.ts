import type { Role } from '@gridgov/contracts/roles';
import { type ExpressionBuilder, type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { AppUserUpdate, DB } from '../../db/schema.js';

export type ScopeKind = 'capture' | 'view';

export interface UserScopeRow {
  userId: string;
  kind: ScopeKind;
  regionId: string;
  code: string;
  name: string;
  path: string;
}

/** Which users a list may contain, and the filters the caller asked for. */
export interface UserListFilter {
  /** Only users whose every capture root starts with one of these paths… */
  visiblePaths: readonly string[];
  /** …plus, for system administrators, users without any capture scope. */
  includeUnscoped: boolean;
  q?: string;
  role?: Role;
  /** Users with a capture root inside this subtree. */
  regionPath?: string;
  disabled?: boolean;
  limit: number;
  offset: number;
}

export interface NewUser {
  username: string;
  displayName: string;
  mobile: string | null;
  role: Role;
  orgUnitId: string | null;
  passwordHash: string;
}

export interface ScopeIds {
  capture: readonly string[];
  view: readonly string[];
}

/** Escapes LIKE wildcards so user input matches literally (backslash is PostgreSQL's default escape). */
const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

type UserQuery = SelectQueryBuilder<DB & { u: DB['app_user'] }, 'u', object>;
type UserEb = ExpressionBuilder<DB & { u: DB['app_user'] }, 'u'>;

const USER_COLUMNS = [
  'u.id',
  'u.username',
  'u.display_name',
  'u.mobile',
  'u.role',
  'u.org_unit_id',
  'u.disabled',
  'u.locked_until',
  'u.must_change_password',
  'u.last_login_at',
  'o.name as org_unit_name',
] as const;

/** All SQL of user administration. Writes take an optional transaction. */
export function createUsersRepository(db: Kysely<DB>) {
  const captureRoots = (eb: UserEb) =>
    eb
      .selectFrom('user_scope as s')
      .innerJoin('region as r', 'r.id', 's.region_id')
      .select('s.region_id')
      .whereRef('s.user_id', '=', 'u.id')
      .where('s.kind', '=', 'capture');

  function applyFilter<Q extends UserQuery>(qb: Q, f: UserListFilter): Q {
    let q = qb.where((eb) => {
      const paths = f.visiblePaths.map((p) => `${likeLiteral(p)}%`);
      const allRootsVisible = paths.length
        ? eb.and([eb.exists(captureRoots(eb)), eb.not(eb.exists(captureRoots(eb).where((sb) => sb.not(sb.or(paths.map((p) => sb('r.path', 'like', p)))))))])
        : sql<boolean>`false`;
      return f.includeUnscoped ? eb.or([allRootsVisible, eb.not(eb.exists(captureRoots(eb)))]) : allRootsVisible;
    }) as Q;
    if (f.regionPath) {
      const prefix = `${likeLiteral(f.regionPath)}%`;
      q = q.where((eb) => eb.exists(captureRoots(eb).where('r.path', 'like', prefix))) as Q;
    }
    if (f.role) q = q.where('u.role', '=', f.role) as Q;
    if (f.disabled !== undefined) q = q.where('u.disabled', '=', f.disabled) as Q;
    if (f.q) {
      const needle = `%${likeLiteral(f.q)}%`;
      const text = f.q;
      q = q.where((eb) => {
        const any = [eb('u.username', 'ilike', needle), eb('u.display_name', 'ilike', needle)];
        if (/^1[3-9]\d{9}$/.test(text)) any.push(eb('u.mobile', '=', text));
        return eb.or(any);
      }) as Q;
    }
    return q;
  }

  async function insertScopes(userId: string, scopes: ScopeIds, trx: Kysely<DB>) {
    const rows = [
      ...scopes.capture.map((regionId) => ({ user_id: userId, kind: 'capture' as const, region_id: regionId })),
      ...scopes.view.map((regionId) => ({ user_id: userId, kind: 'view' as const, region_id: regionId })),
    ];
    if (rows.length) await trx.insertInto('user_scope').values(rows).execute();
  }

  return {
    transaction<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    findById(id: string, trx: Kysely<DB> = db) {
      return trx.selectFrom('app_user as u').leftJoin('org_unit as o', 'o.id', 'u.org_unit_id').select(USER_COLUMNS).where('u.id', '=', id).executeTakeFirst();
    },

    async list(f: UserListFilter) {
      const base: UserQuery = db.selectFrom('app_user as u');
      const rows = await applyFilter(base, f)
        .leftJoin('org_unit as o', 'o.id', 'u.org_unit_id')
        .select(USER_COLUMNS)
        .orderBy(sql`lower(u.username)`)
        .limit(f.limit)
        .offset(f.offset)
        .execute();
      const count = await applyFilter(base, f)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return { rows, total: Number(count.n) };
    },

    /** Scope roots of the given users, ordered by region path. */
    async scopesOf(userIds: readonly string[], trx: Kysely<DB> = db): Promise<UserScopeRow[]> {
      if (userIds.length === 0) return [];
      return trx
        .selectFrom('user_scope as s')
        .innerJoin('region as r', 'r.id', 's.region_id')
        .select(['s.user_id as userId', 's.kind', 'r.id as regionId', 'r.code', 'r.name', 'r.path'])
        .where('s.user_id', 'in', userIds)
        .orderBy('r.path')
        .execute();
    },

    regionsByIds(ids: readonly string[]) {
      if (ids.length === 0) return Promise.resolve([]);
      return db.selectFrom('region').select(['id', 'code', 'name', 'path']).where('id', 'in', ids).execute();
    },

    orgUnitById(id: string) {
      return db
        .selectFrom('org_unit as o')
        .innerJoin('region as r', 'r.id', 'o.region_id')
        .select(['o.id', 'o.kind', 'o.name', 'r.path as regionPath'])
        .where('o.id', '=', id)
        .executeTakeFirst();
    },

    async insertUser(u: NewUser, trx: Kysely<DB>) {
      const row = await trx
        .insertInto('app_user')
        .values({
          username: u.username,
          display_name: u.displayName,
          mobile: u.mobile,
          role: u.role,
          org_unit_id: u.orgUnitId,
          password_hash: u.passwordHash,
          must_change_password: true,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    updateUser(id: string, set: AppUserUpdate, trx: Kysely<DB>) {
      return trx
        .updateTable('app_user')
        .set({ ...set, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
    },

    insertScopes,

    /** Replaces the user's scope rows. */
    async replaceScopes(userId: string, scopes: ScopeIds, trx: Kysely<DB>) {
      await trx.deleteFrom('user_scope').where('user_id', '=', userId).execute();
      await insertScopes(userId, scopes, trx);
    },

    /** Ends every live session of the user: their next request is unauthenticated. */
    revokeSessions(userId: string, trx: Kysely<DB>) {
      return trx.updateTable('user_session').set({ revoked_at: new Date() }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
    },
  };
}
export type UsersRepository = ReturnType<typeof createUsersRepository>;
export type UserRow = NonNullable<Awaited<ReturnType<UsersRepository['findById']>>>;

/** The unique index a PostgreSQL error violated, if it was a unique violation (both engines). */
export function uniqueViolation(err: unknown): string | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as { code?: unknown; constraint?: unknown; detail?: unknown };
  if (e.code !== '23505') return null;
  if (typeof e.constraint === 'string') return e.constraint;
  return typeof e.detail === 'string' ? e.detail : '';
}
