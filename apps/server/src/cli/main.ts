import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { acquireLock, DataDirLockedError, readLock } from '../lib/data-dir-lock.js';
import { ensureInstallSecrets } from '../lib/install-secrets.js';
import { createPiiCipher } from '../lib/pii-crypto.js';
import { type CliCommand, CliError, CreateUserArgs, ResetPasswordArgs, runCommand } from './commands.js';
import { ExportArgs, ImportArgs } from './registry-commands.js';

const HELP = `gridgov — 网格化服务管理平台 命令行 / command line

用法 / usage:
  gridgov migrate                         应用数据库迁移 / apply migrations
  gridgov seed-demo                       空库写入演示区 / seed the demo district into an empty database
  gridgov create-user --username U --name 姓名 --role ROLE [--mobile 13800000000]
                      [--scope 区划代码 ...] [--view 区划代码 ...] [--org 机构名称] [--password P]
  gridgov reset-password USERNAME [--password P]
  gridgov import <persons|houses|organisations|facilities> FILE [--mode all_or_nothing|keep_valid] [--as USERNAME]
                      导入 xlsx/CSV（UTF-8 或 GBK），错误行写入 FILE.rejected.xlsx / import; rejected rows go to FILE.rejected.xlsx
  gridgov export <persons|houses|organisations|facilities> [--region 区划代码] [--out FILE] [--as USERNAME]
                      导出 xlsx（脱敏） / export xlsx (masked)

ROLE: system_admin district_center street_center community_station grid_leader grid_worker dept_handler resident
未给 --password 时生成临时密码；用户首次登录须修改。 Without --password a temporary one is generated.
数据库由环境变量决定（DATABASE_URL 或 DATA_DIR），与服务器相同。 Uses the same settings as the server.
嵌入式数据库正被服务器使用时，命令交由该服务器执行。 If a server holds the embedded database, the command runs inside it.`;

function parse(argv: string[]): CliCommand | null {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      mobile: { type: 'string' },
      scope: { type: 'string', multiple: true },
      view: { type: 'string', multiple: true },
      org: { type: 'string' },
      password: { type: 'string' },
      mode: { type: 'string' },
      as: { type: 'string' },
      region: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const fail = (r: { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }) => {
    throw new CliError(r.error.issues.map((i) => `--${String(i.path[0] ?? '')}: ${i.message}`).join('\n'));
  };
  switch (command) {
    case 'migrate':
    case 'seed-demo':
      return { command };
    case 'create-user': {
      const r = CreateUserArgs.safeParse({ ...values, scope: values.scope ?? [], view: values.view ?? [] });
      if (!r.success) return fail(r);
      return { command, args: r.data };
    }
    case 'reset-password': {
      const r = ResetPasswordArgs.safeParse({ username: positionals[0] ?? values.username, password: values.password });
      if (!r.success) return fail(r);
      return { command, args: r.data };
    }
    case 'import': {
      const file = positionals[1] ? path.resolve(positionals[1]) : undefined;
      const r = ImportArgs.safeParse({ kind: positionals[0], file, mode: values.mode, as: values.as });
      if (!r.success) return fail(r);
      return { command, args: r.data };
    }
    case 'export': {
      const r = ExportArgs.safeParse({ kind: positionals[0], region: values.region, out: values.out ? path.resolve(values.out) : undefined, as: values.as });
      if (!r.success) return fail(r);
      return { command, args: r.data };
    }
    default:
      return null;
  }
}

async function viaServer(lock: { port: number; cliSecret: string }, cmd: CliCommand): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${lock.port}/api/cli`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gridgov-cli-secret': lock.cliSecret },
    body: JSON.stringify(cmd),
  });
  // Long commands answer with one JSON object per line: progress lines, then the output.
  if (res.ok && res.headers.get('content-type')?.startsWith('application/x-ndjson') && res.body) {
    let buf = '';
    let output = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += Buffer.from(chunk).toString('utf8');
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const msg = JSON.parse(buf.slice(0, nl)) as { progress?: string; output?: string; error?: { message: string } };
        buf = buf.slice(nl + 1);
        if (msg.progress) console.error(msg.progress);
        if (msg.error) throw new CliError(msg.error.message);
        if (msg.output !== undefined) output = msg.output;
      }
    }
    return output;
  }
  const body = (await res.json()) as { output?: string; error?: { message: string } };
  if (!res.ok) throw new CliError(body.error?.message ?? `server answered ${res.status}`);
  return body.output ?? '';
}

async function main() {
  const cmd = parse(process.argv.slice(2));
  if (!cmd) {
    console.log(HELP);
    process.exit(process.argv.length > 2 ? 2 : 0);
  }
  const config = ensureInstallSecrets(loadConfig());
  const env = { profile: config.profile, pii: createPiiCipher(config.encryptionKey as Buffer), progress: (line: string) => console.error(line) };
  if (config.db.engine === 'pglite') {
    const holder = readLock(config.dataDir);
    if (holder) {
      console.error(`（嵌入式数据库正被进程 ${holder.pid} 使用，命令交由该服务器执行 / running inside server pid ${holder.pid}）`);
      console.log(await viaServer(holder, cmd));
      return;
    }
    // Hold the lock while we work so a server cannot open the same files meanwhile.
    const lock = acquireLock(config.dataDir, { port: 0, host: 'cli' });
    try {
      const database = await openDatabase(config.db);
      try {
        console.log(await runCommand(database, cmd, env));
      } finally {
        await database.close();
      }
    } finally {
      lock.release();
    }
    return;
  }
  const database = await openDatabase(config.db);
  try {
    console.log(await runCommand(database, cmd, env));
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  if (err instanceof CliError || err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(`错误 / error: ${err.message}`);
    process.exit(1);
  }
  if (err?.cause?.code === 'ECONNREFUSED') {
    console.error(
      '错误 / error: 数据目录被锁定但服务器无响应。若服务器已停止，请删除 DATA_DIR/server.lock 后重试。 The data directory is locked but the server does not answer; if it has stopped, remove DATA_DIR/server.lock.',
    );
    process.exit(1);
  }
  console.error(err);
  process.exit(1);
});
