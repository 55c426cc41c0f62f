import { type RootOperationNode, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { compileOnlyDb as db } from '../../test/compile-only-db.js';
import { AuthWritesPlugin, authEpoch, writesAuthTables } from './auth-writes.js';

const node = (q: { toOperationNode(): unknown }) => q.toOperationNode() as RootOperationNode;
const raw = (q: ReturnType<typeof sql>) => q.toOperationNode() as RootOperationNode;

describe('writes to the tables a principal is built from', () => {
  it('sees builder inserts, updates and deletes of the watched tables, not reads or other tables', () => {
    expect(writesAuthTables(node(db.insertInto('user_session').values({ user_id: 'u' } as never)))).toBe(true);
    expect(writesAuthTables(node(db.updateTable('user_session').set({ revoked_at: new Date() })))).toBe(true);
    expect(writesAuthTables(node(db.updateTable('app_user as u').set({ role: 'grid_worker' })))).toBe(true);
    expect(writesAuthTables(node(db.deleteFrom('grid_staff').where('grid_id', '=', 'g')))).toBe(true);
    expect(writesAuthTables(node(db.deleteFrom('user_scope')))).toBe(true);
    expect(writesAuthTables(node(db.updateTable('region').set({ name: '新名' })))).toBe(true);
    expect(writesAuthTables(node(db.selectFrom('app_user').selectAll()))).toBe(false);
    expect(writesAuthTables(node(db.updateTable('event_case').set({ title: 'x' })))).toBe(false);
  });

  it('leaves out bookkeeping: the last-seen touch and sign-in counters', () => {
    expect(writesAuthTables(node(db.updateTable('user_session').set({ last_seen_at: new Date() })))).toBe(false);
    expect(writesAuthTables(node(db.updateTable('app_user').set({ failed_logins: 0, locked_until: null, last_login_at: new Date() })))).toBe(false);
    expect(writesAuthTables(node(db.updateTable('app_user').set({ failed_logins: 0, disabled: true })))).toBe(true);
  });

  it('reads the text of sql templates', () => {
    expect(writesAuthTables(raw(sql`UPDATE user_session SET revoked_at = now() WHERE id = ${'x'}`))).toBe(true);
    expect(writesAuthTables(raw(sql`insert into "user_scope" (user_id) values (${'u'})`))).toBe(true);
    expect(writesAuthTables(raw(sql`DELETE FROM grid_staff WHERE grid_id = ${'g'}`))).toBe(true);
    expect(writesAuthTables(raw(sql`UPDATE region_boundary_cache SET x = 1`))).toBe(false);
    expect(writesAuthTables(raw(sql`SELECT * FROM app_user u WHERE u.id = ${'u'} FOR UPDATE`))).toBe(false);
    expect(writesAuthTables(raw(sql`INSERT INTO event_case (title) SELECT ${'t'} ON CONFLICT DO UPDATE SET title = excluded.title`))).toBe(false);
  });

  it('the plugin moves the epoch before and after such a write, and not for others', async () => {
    const watched = db.withPlugin(new AuthWritesPlugin());
    const before = authEpoch();
    await watched.selectFrom('app_user').selectAll().execute();
    expect(authEpoch()).toBe(before);
    await watched.updateTable('app_user').set({ role: 'grid_worker' }).execute();
    expect(authEpoch()).toBe(before + 2);
  });
});
