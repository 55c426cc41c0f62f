import { randomBytes } from 'node:crypto';
import { passwordProblems } from '@gridgov/contracts/auth';
import { Role } from '@gridgov/contracts/roles';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { AppError } from '../http/app-error.js';
import type { PiiCipher } from '../lib/pii-crypto.js';
import { createAuditRepository } from '../modules/audit/audit.repository.js';
import { hashPassword } from '../modules/auth/password.js';
import { seedDemoIfEmpty } from '../seed/demo.js';
import { createCliRepository } from './cli.repository.js';
import { type ExportArgs, type ImportArgs, RegistryCliError, runExport, runImport } from './registry-commands.js';

/**
 * What the command line can do. The same functions run in the CLI process (PostgreSQL, or an
 * embedded data directory no server holds) and inside a running server (asked over loopback),
 * so a command never opens an embedded database a server already has open.
 */
export class CliError extends Error {}

export const CreateUserArgs = z.strictObject({
  username: z.string().regex(/^[A-Za-z0-9_.-]{3,32}$/, '用户名须为 3–32 位字母、数字或 _ . -'),
  name: z.string().min(1).max(32),
  role: Role,
  mobile: z
    .string()
    .regex(/^1[3-9]\d{9}$/, '手机号须为 11 位')
    .optional(),
  scope: z.array(z.string().regex(/^\d{6}(\d{6})?$/)).default([]),
  view: z.array(z.string().regex(/^\d{6}(\d{6})?$/)).default([]),
  org: z.string().optional(),
  password: z.string().optional(),
});
export type CreateUserArgs = z.infer<typeof CreateUserArgs>;

export const ResetPasswordArgs = z.strictObject({ username: z.string().min(1), password: z.string().optional() });

export type CliCommand =
  | { command: 'migrate' }
  | { command: 'seed-demo' }
  | { command: 'create-user'; args: CreateUserArgs }
  | { command: 'reset-password'; args: z.infer<typeof ResetPasswordArgs> }
  | { command: 'import'; args: ImportArgs }
  | { command: 'export'; args: ExportArgs };

/** A temporary password that satisfies the policy; the user must change it at first sign-in. */
function temporaryPassword(): string {
  return `Gg-${randomBytes(9).toString('base64url')}7a`;
}

function checkPassword(pw: string, username: string) {
  const problems = passwordProblems(pw, { username });
  if (problems.length) throw new CliError(`密码不符合要求 / password policy: ${problems.join(', ')}`);
}

/** Registry command faults (and service refusals such as a busy import) reach the user as CLI errors. */
function asCliError(e: unknown): never {
  if (e instanceof RegistryCliError) throw new CliError(e.message);
  if (e instanceof AppError) throw new CliError(e.message === e.code ? e.code : `${e.code}: ${e.message}`);
  throw e;
}

const cliActor = { actorName: 'cli', actorRole: 'system' } as const;

/** What a command needs besides the database: the profile (demo data is refused in production) and the PII cipher. */
export interface CliEnv {
  profile: string;
  pii: PiiCipher;
  /** Progress lines of long commands (import), printed as they come. */
  progress?: (line: string) => void;
}

export async function runCommand(database: Database, cmd: CliCommand, env: CliEnv): Promise<string> {
  const { profile } = env;
  const { db } = database;
  const audit = createAuditRepository(db);
  const repo = createCliRepository(db);
  switch (cmd.command) {
    case 'import':
      return runImport(database, cmd.args, env.pii, env.progress ?? (() => {})).catch(asCliError);
    case 'export':
      return runExport(database, cmd.args, env.pii).catch(asCliError);
    case 'migrate': {
      const r = await migrate(database);
      return r.applied.length ? `已应用迁移 / applied: ${r.applied.join(', ')}（当前 ${r.current}）` : `数据库已是最新 / up to date (${r.current})`;
    }
    case 'seed-demo': {
      if (profile === 'production') throw new CliError('生产环境不能写入演示数据 / refusing to seed demo data in production');
      const r = await seedDemoIfEmpty(database, env.pii);
      return r.seeded
        ? `演示区已写入 / demo district seeded (password ${r.password})`
        : '数据库中已有区划，未写入演示数据 / regions exist already; nothing seeded';
    }
    case 'create-user': {
      const a = cmd.args;
      const password = a.password ?? temporaryPassword();
      checkPassword(password, a.username);
      const codes = [...new Set([...a.scope, ...a.view])];
      const regions = await repo.regionsByCode(codes);
      const missing = codes.filter((c) => !regions.some((r) => r.code === c));
      if (missing.length) throw new CliError(`未找到区划代码 / unknown region code: ${missing.join(', ')}`);
      if (a.role !== 'resident' && a.scope.length === 0) throw new CliError('工作人员须指定 --scope 区划代码 / staff need --scope REGION_CODE');
      const org = a.org ? await repo.orgUnitByName(a.org) : undefined;
      if (a.org && !org) throw new CliError(`未找到机构 / unknown org unit: ${a.org}`);
      const hash = await hashPassword(password);
      const id = (code: string) => regions.find((r) => r.code === code)?.id as string;
      const view = a.view.length ? a.view : a.scope;
      const scopes = [...a.scope.map((c) => ({ kind: 'capture' as const, regionId: id(c) })), ...view.map((c) => ({ kind: 'view' as const, regionId: id(c) }))];
      await db.transaction().execute(async (trx) => {
        if (await repo.userByUsername(a.username, trx)) throw new CliError(`用户名已存在 / username taken: ${a.username}`);
        const userId = await repo.insertUser(
          { username: a.username, displayName: a.name, role: a.role, mobile: a.mobile ?? null, orgUnitId: org?.id ?? null, passwordHash: hash },
          scopes,
          trx,
        );
        const first = regions.find((r) => r.code === a.scope[0]);
        await audit.append(
          {
            ...cliActor,
            action: 'user.created',
            outcome: 'ok',
            targetType: 'user',
            targetId: userId,
            regionId: first?.id,
            regionPath: first?.path,
            details: { username: a.username, role: a.role, via: 'cli' },
          },
          trx,
        );
      });
      return `已创建用户 / created ${a.username}（${a.role}）\n初始密码 / initial password: ${password}\n首次登录须修改密码 / must change it at first sign-in`;
    }
    case 'reset-password': {
      const a = cmd.args;
      const user = await repo.userByUsername(a.username);
      if (!user) throw new CliError(`未找到用户 / no such user: ${a.username}`);
      const password = a.password ?? temporaryPassword();
      checkPassword(password, user.username);
      const hash = await hashPassword(password);
      await db.transaction().execute(async (trx) => {
        await repo.resetPassword(user.id, hash, trx);
        await audit.append({ ...cliActor, action: 'user.password_reset', outcome: 'ok', targetType: 'user', targetId: user.id, details: { via: 'cli' } }, trx);
      });
      return `已重置 ${user.username} 的密码 / password reset\n临时密码 / temporary password: ${password}\n该用户的所有会话已注销，下次登录须修改密码 / sessions revoked; must change at next sign-in`;
    }
  }
}
