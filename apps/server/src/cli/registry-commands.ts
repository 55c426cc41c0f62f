import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ImportKind, ImportMode } from '@gridgov/contracts/imports';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import type { Principal } from '../http/principal.js';
import type { PiiCipher } from '../lib/pii-crypto.js';
import type { RequestMeta } from '../lib/request-meta.js';
import { createAuditRepository } from '../modules/audit/audit.repository.js';
import { createAuthRepository } from '../modules/auth/auth.repository.js';
import { loadPrincipal } from '../modules/auth/principal.loader.js';
import { createGridIndexKeeper } from '../modules/gridlookup/grid-index.js';
import { createGridLookupRepository } from '../modules/gridlookup/gridlookup.repository.js';
import { gridIndexSource } from '../modules/gridlookup/gridlookup.service.js';
import { createRecordScope } from '../modules/registry-common/record-scope.js';
import { createRecordScopeRepository } from '../modules/registry-common/record-scope.repository.js';
import { createExportService } from '../modules/registry-io/export.service.js';
import { createImportService } from '../modules/registry-io/import.service.js';
import { createRegistryIoRepository } from '../modules/registry-io/registry-io.repository.js';
import { rejectionsWorkbook } from '../modules/registry-io/xlsx-writer.js';
import { createCliRepository } from './cli.repository.js';

/** `gridgov import KIND FILE`: the file is on this machine (the server, when asked over loopback, reads it there too). */
export const ImportArgs = z.strictObject({
  kind: ImportKind,
  file: z.string().min(1),
  mode: ImportMode.default('keep_valid'),
  as: z.string().optional(),
});
export type ImportArgs = z.infer<typeof ImportArgs>;
export const ExportArgs = z.strictObject({
  kind: ImportKind,
  region: z
    .string()
    .regex(/^\d{6}(\d{6})?$/)
    .optional(),
  out: z.string().optional(),
  as: z.string().optional(),
});
export type ExportArgs = z.infer<typeof ExportArgs>;

export class RegistryCliError extends Error {}

const cliMeta: RequestMeta = { ip: null, requestId: 'cli', userAgent: 'gridgov-cli' };

/** The user the command acts as (their scope bounds what is imported/exported); default: the first system administrator. */
async function actingUser(database: Database, username: string | undefined): Promise<Principal> {
  const { db } = database;
  const row = username
    ? await createCliRepository(db).userByUsername(username)
    : await db.selectFrom('app_user').select(['id', 'username']).where('role', '=', 'system_admin').orderBy('created_at').executeTakeFirst();
  if (!row)
    throw new RegistryCliError(
      username ? `未找到用户 / no such user: ${username}` : '没有系统管理员账号，请用 --as 指定用户 / no system_admin: pass --as USERNAME',
    );
  const authRepo = createAuthRepository(db);
  const user = await authRepo.findUserById(row.id);
  if (!user) throw new RegistryCliError(`未找到用户 / no such user: ${username}`);
  return loadPrincipal(authRepo, user);
}

export async function runImport(database: Database, a: ImportArgs, pii: PiiCipher, progress: (line: string) => void): Promise<string> {
  const { db } = database;
  const actor = await actingUser(database, a.as);
  if (!actor.permissions.has('registry.import')) throw new RegistryCliError(`${actor.username} 没有导入权限 / lacks registry.import`);
  const repo = createRegistryIoRepository(db, { jsonbAsBytes: database.engine === 'postgres' });
  const service = createImportService({
    db,
    repo,
    audit: createAuditRepository(db),
    scope: createRecordScope(createRecordScopeRepository(db)),
    index: createGridIndexKeeper(gridIndexSource(createGridLookupRepository(db))),
    pii,
  });
  const file = path.resolve(a.file);
  const t0 = performance.now();
  const rate = (n: number) => Math.round(n / Math.max((performance.now() - t0) / 1000, 0.001));
  const job = await service.runFile(actor, a.kind, { mode: a.mode, file, fileName: path.basename(file) }, cliMeta, (j) =>
    progress(
      `已读 ${j.rowsRead} 行，拒绝 ${j.rejected} 行，${rate(j.rowsRead)} 行/秒 / read ${j.rowsRead}, rejected ${j.rejected}, ${rate(j.rowsRead)} rows/s`,
    ),
  );
  const lines = [
    `导入${job.status === 'succeeded' ? '完成' : job.status === 'rejected' ? '未执行（有错误行，全部正确才导入）' : '失败'} / ${job.status}: ${a.kind} ${path.basename(file)}（${job.format}${job.encoding ? ` ${job.encoding}` : ''}）`,
    `读取 ${job.rowsRead} 行：新增 ${job.inserted}，更新 ${job.updated}，未变 ${job.unchanged}，拒绝 ${job.rejected} / read ${job.rowsRead}: inserted ${job.inserted}, updated ${job.updated}, unchanged ${job.unchanged}, rejected ${job.rejected}`,
    `用时 ${((performance.now() - t0) / 1000).toFixed(1)} 秒，${rate(job.rowsRead)} 行/秒 / rows per second`,
  ];
  if (job.error) lines.push(`错误 / error: ${job.error.code} ${job.error.message}`);
  if (job.rejected > 0) {
    const page = await repo.rejections(job.id, 1_000_000, 0);
    const items = page.items.map((r) => ({
      row: r.row_no,
      column: r.column_name,
      reason: r.reason,
      values: r.values_enc ? (JSON.parse(pii.decrypt(r.values_enc)) as Record<string, string>) : {},
    }));
    const out = `${file}.rejected.xlsx`;
    await writeFile(out, await rejectionsWorkbook(items));
    lines.push(`未导入的行已写入 / rejected rows written to: ${out}`);
  }
  return lines.join('\n');
}

export async function runExport(database: Database, a: ExportArgs, pii: PiiCipher): Promise<string> {
  const { db } = database;
  const actor = await actingUser(database, a.as);
  if (!actor.permissions.has('registry.import')) throw new RegistryCliError(`${actor.username} 没有导出权限 / lacks registry.import`);
  let regionId: string | undefined;
  if (a.region) {
    const [r] = await createCliRepository(db).regionsByCode([a.region]);
    if (!r) throw new RegistryCliError(`未找到区划代码 / unknown region code: ${a.region}`);
    regionId = r.id;
  }
  const service = createExportService({
    repo: createRegistryIoRepository(db),
    audit: createAuditRepository(db),
    scope: createRecordScope(createRecordScopeRepository(db)),
    pii,
  });
  const x = await service.xlsx(actor, a.kind, { regionId, unmasked: 'false' }, cliMeta);
  const out = path.resolve(a.out ?? x.filename);
  await writeFile(out, x.body);
  return `已导出 ${x.rows} 行（脱敏）到 / exported ${x.rows} rows (masked) to: ${out}`;
}
