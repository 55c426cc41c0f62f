import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { testPii } from '../../test/test-key.js';
import { CliError, CreateUserArgs, runCommand } from './commands.js';

const demoEnv = { profile: 'demo', pii: testPii };

/** The same functions run in the `gridgov` process and, over loopback, inside a running server. */
describe('gridgov command line', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const createUser = (args: Record<string, unknown>) => runCommand(t.database, { command: 'create-user', args: CreateUserArgs.parse(args) }, demoEnv);

  it('migrate reports an up-to-date database', async () => {
    expect(await runCommand(t.database, { command: 'migrate' }, demoEnv)).toMatch(/up to date/);
  });

  it('create-user writes the user, its scopes and one audit row; the user must change the printed password', async () => {
    const out = await createUser({ username: 'cli_worker', name: '命令行网格员', role: 'grid_worker', scope: ['370118001003'] });
    const password = /initial password: (\S+)/.exec(out)?.[1] as string;
    expect(password).toBeTruthy();
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'cli_worker', password } });
    expect(login.statusCode).toBe(200);
    expect(login.json().me).toMatchObject({ role: 'grid_worker', mustChangePassword: true });
    expect(login.json().me.captureScope.map((s: { code: string }) => s.code)).toEqual(['370118001003']);
    expect(login.json().me.viewScope.map((s: { code: string }) => s.code)).toEqual(['370118001003']);
    const audit = await t.database.db.selectFrom('audit_log').select(['actor_name', 'details']).where('action', '=', 'user.created').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_name: 'cli', details: { username: 'cli_worker', via: 'cli' } });
  });

  it('refuses a taken username, an unknown region code, staff without a scope and a weak password, writing nothing', async () => {
    const before = await t.database.db
      .selectFrom('app_user')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await expect(createUser({ username: 'ADMIN', name: 'x', role: 'grid_worker', scope: ['370118001003'] })).rejects.toThrow(/username taken/);
    await expect(createUser({ username: 'cli_b', name: 'x', role: 'grid_worker', scope: ['370118999001'] })).rejects.toThrow(
      /unknown region code: 370118999001/,
    );
    await expect(createUser({ username: 'cli_c', name: 'x', role: 'street_center' })).rejects.toThrow(/--scope/);
    await expect(createUser({ username: 'cli_d', name: 'x', role: 'grid_worker', scope: ['370118001003'], password: 'short' })).rejects.toBeInstanceOf(
      CliError,
    );
    const after = await t.database.db
      .selectFrom('app_user')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('reset-password signs the user out everywhere, clears a lockout and forces a change', async () => {
    const session = await t.login('wgy_daminghu');
    await t.database.db
      .updateTable('app_user')
      .set({ failed_logins: 5, locked_until: new Date(Date.now() + 3_600_000) })
      .where('username', '=', 'wgy_daminghu')
      .execute();
    const out = await runCommand(t.database, { command: 'reset-password', args: { username: 'wgy_daminghu', password: 'Reset#Cli2026x' } }, demoEnv);
    expect(out).toMatch(/password reset/);
    expect((await t.as(session, { method: 'GET', url: '/api/auth/session' })).statusCode).toBe(401);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'wgy_daminghu', password: 'Reset#Cli2026x' } });
    expect(login.statusCode).toBe(200);
    expect(login.json().me.mustChangePassword).toBe(true);
    await expect(runCommand(t.database, { command: 'reset-password', args: { username: 'nobody' } }, demoEnv)).rejects.toThrow(/no such user/);
  });

  it('never seeds demo data in production', async () => {
    await expect(runCommand(t.database, { command: 'seed-demo' }, { ...demoEnv, profile: 'production' })).rejects.toThrow(/production/);
    expect(await runCommand(t.database, { command: 'seed-demo' }, demoEnv)).toMatch(/nothing seeded/);
  });
});
