import type { Role } from '@gridgov/contracts/roles';
import type { Kysely } from 'kysely';
import type { DB } from '../src/db/schema.js';
import { hashPassword } from '../src/modules/auth/password.js';

/** Test data factories: the one place tests create rows directly. */
export async function regionByCode(db: Kysely<DB>, code: string) {
  return db.selectFrom('region').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
}

export async function createRegion(db: Kysely<DB>, r: { code: string; name: string; level: string; parent?: { id: string; path: string } | null }) {
  const id = crypto.randomUUID();
  const path = `${r.parent?.path ?? '/'}${id}/`;
  await db
    .insertInto('region')
    .values({ id, parent_id: r.parent?.id ?? null, level: r.level, code: r.code, name: r.name, path })
    .execute();
  return { id, path, code: r.code };
}

export async function createOrgUnit(db: Kysely<DB>, o: { regionId: string; kind: 'center' | 'station' | 'department'; name: string }) {
  return db.insertInto('org_unit').values({ region_id: o.regionId, kind: o.kind, name: o.name }).returning('id').executeTakeFirstOrThrow();
}

let pwHash: Promise<string> | undefined;
const demoHash = () => {
  pwHash ??= hashPassword('Gridgov@2026');
  return pwHash;
};
export async function createUser(db: Kysely<DB>, u: { username: string; role: Role; scopeRegionIds: string[]; password?: string; mustChange?: boolean }) {
  const hash = u.password ? await hashPassword(u.password) : await demoHash();
  const row = await db
    .insertInto('app_user')
    .values({ username: u.username, display_name: u.username, role: u.role, password_hash: hash, must_change_password: u.mustChange ?? false })
    .returning('id')
    .executeTakeFirstOrThrow();
  const scopes = u.scopeRegionIds.flatMap((region_id) => [
    { user_id: row.id, kind: 'capture' as const, region_id },
    { user_id: row.id, kind: 'view' as const, region_id },
  ]);
  if (scopes.length) await db.insertInto('user_scope').values(scopes).execute();
  return row;
}
