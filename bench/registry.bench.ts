import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { idNumberCheckChar } from '@gridgov/contracts/identifiers';
import iconv from 'iconv-lite';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
// @ts-expect-error: plain JS module of the bin, without types
import { CLI_NODE_FLAGS } from '../apps/server/bin/cli-node-flags.js';
import type { Config } from '../apps/server/src/config.js';
import { openDatabase } from '../apps/server/src/db/client.js';
import { migrate } from '../apps/server/src/db/migrate.js';
import type { DB } from '../apps/server/src/db/schema.js';
import { analyzeStaleTables } from '../apps/server/src/db/table-statistics.js';
import { createPiiCipher } from '../apps/server/src/lib/pii-crypto.js';
import { createAuditRepository } from '../apps/server/src/modules/audit/audit.repository.js';
import { createAuthRepository } from '../apps/server/src/modules/auth/auth.repository.js';
import { loadPrincipal } from '../apps/server/src/modules/auth/principal.loader.js';
import { createGridIndexKeeper } from '../apps/server/src/modules/gridlookup/grid-index.js';
import { createGridLookupRepository } from '../apps/server/src/modules/gridlookup/gridlookup.repository.js';
import { gridIndexSource } from '../apps/server/src/modules/gridlookup/gridlookup.service.js';
import { createPersonsRepository } from '../apps/server/src/modules/persons/persons.repository.js';
import { createRecordScope } from '../apps/server/src/modules/registry-common/record-scope.js';
import { createRecordScopeRepository } from '../apps/server/src/modules/registry-common/record-scope.repository.js';
import { createImportService } from '../apps/server/src/modules/registry-io/import.service.js';
import { createRegistryIoRepository } from '../apps/server/src/modules/registry-io/registry-io.repository.js';
import { seedDemoIfEmpty } from '../apps/server/src/seed/demo.js';
import { buildDemoGeometry } from '../apps/server/src/seed/demo-grids.js';
import { prng } from '../apps/server/src/seed/tiling.js';

/**
 * Registry import benchmark: N persons (default 1,000,000) from a GBK CSV and from an xlsx, each import in
 * its own child process (so peak RSS is the import's own), with validation, in-file dedup, encryption,
 * blind index and grid assignment (half the rows by 网格编码, half by coordinates through the grid index);
 * then person name search among N + 30 % persons through the persons repository's search.
 */
type DbConfig = Config['db'];
const KEY = Buffer.alloc(32, 9);
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉梅建国文辉鑫宇浩然子涵欣怡梓轩一诺思雨晨阳佳琪志强海燕';

export interface ImportFigure {
  engine: string;
  format: 'csv' | 'xlsx';
  rows: number;
  inserted: number;
  rejected: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMiB: number;
}
export interface SearchFigure {
  engine: string;
  persons: number;
  queries: number;
  p50: number;
  p95: number;
  max: number;
}
export interface RegistryFigures {
  rows: number;
  generateSeconds: { csv: number; xlsx: number };
  imports: ImportFigure[];
  search: SearchFigure[];
}

function personRows(n: number) {
  const grids = buildDemoGeometry().grids;
  const rnd = prng(5);
  const pick = (s: string) => s.charAt(Math.floor(rnd() * s.length));
  const base = Date.UTC(1950, 0, 1);
  return function* () {
    for (let i = 0; i < n; i++) {
      const day = i % 20000;
      const seq = Math.floor(i / 20000);
      const d = new Date(base + day * 86400000).toISOString().slice(0, 10).replace(/-/g, '');
      const first17 = `370102${d}${String(seq).padStart(3, '0')}`;
      const g = grids[i % grids.length] as (typeof grids)[number];
      const byPoint = i % 2 === 1;
      yield [
        pick(SURNAMES) + pick(GIVEN) + (rnd() < 0.6 ? pick(GIVEN) : ''),
        `${first17}${idNumberCheckChar(first17)}`,
        '',
        '',
        '汉族',
        `13${String(100000000 + ((i * 7919) % 899999999)).padStart(9, '0')}`,
        i % 3 === 0 ? '流动人口' : '户籍人口',
        `历下区泉城路${(i % 300) + 1}号${(i % 6) + 1}单元${(i % 30) + 101}`,
        byPoint ? '' : g.code,
        byPoint ? String(g.station.lng) : '',
        byPoint ? String(g.station.lat) : '',
      ];
    }
  };
}
const HEADER = ['姓名', '公民身份号码', '性别', '出生日期', '民族', '联系方式', '人口类型', '现住门（楼）详址', '网格编码', '经度', '纬度'];

async function writeCsv(file: string, n: number) {
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(iconv.encode(s, 'gbk')) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write(`${HEADER.join(',')}\r\n`);
  let buf = '';
  for (const r of personRows(n)()) {
    buf += `${r.join(',')}\r\n`;
    if (buf.length > 256 * 1024) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
  await new Promise<void>((r) => out.end(() => r()));
}

async function writeXlsx(file: string, n: number) {
  const ExcelJS = (await import('exceljs')).default;
  // Shared strings, as Excel, WPS and LibreOffice write text cells.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: false });
  const ws = wb.addWorksheet('人口');
  ws.addRow(HEADER).commit();
  for (const r of personRows(n)()) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
}

/** CPU time of this database's server processes, when the server runs on this machine (null otherwise). */
async function backendCpuSeconds(db: Kysely<DB> | null): Promise<number | null> {
  if (!db) return null;
  try {
    const r = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(db);
    let ticks = 0;
    for (const { pid } of r.rows) {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(f[11]) + Number(f[12]);
    }
    return ticks / 100;
  } catch {
    return null;
  }
}

/** Child process: one import, reporting its own time and peak RSS. */
async function child(dbJson: string, file: string) {
  const database = await openDatabase(JSON.parse(dbJson) as DbConfig);
  const { db } = database;
  const pii = createPiiCipher(KEY);
  const authRepo = createAuthRepository(db);
  const admin = await db.selectFrom('app_user').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
  const actor = await loadPrincipal(authRepo, (await authRepo.findUserById(admin.id)) as NonNullable<Awaited<ReturnType<typeof authRepo.findUserById>>>);
  const service = createImportService({
    db,
    repo: createRegistryIoRepository(db, { jsonbAsBytes: database.engine === 'postgres' }),
    audit: createAuditRepository(db),
    scope: createRecordScope(createRecordScopeRepository(db)),
    index: createGridIndexKeeper(gridIndexSource(createGridLookupRepository(db))),
    pii,
    batchSize: Number(process.env.BENCH_BATCH ?? 2000),
  });
  const t = performance.now();
  const job = await service.runFile(
    actor,
    'persons',
    { mode: 'keep_valid', file, fileName: path.basename(file) },
    { ip: null, requestId: 'bench', userAgent: null },
  );
  const seconds = (performance.now() - t) / 1000;
  const dbCpuSeconds = await backendCpuSeconds(database.engine === 'postgres' ? db : null);
  await database.close();
  process.stdout.write(
    `${JSON.stringify({ rows: job.rowsRead, inserted: job.inserted, rejected: job.rejected, status: job.status, error: job.error, seconds, dbCpuSeconds, peakRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}

async function freshDatabase(engine: 'pglite' | 'postgres', dataRoot: string): Promise<DbConfig> {
  if (engine === 'pglite') {
    const dir = path.join(dataRoot, 'registry-pglite');
    rmSync(dir, { recursive: true, force: true });
    return { engine: 'pglite', dataDir: dir } as DbConfig;
  }
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS gridgov_bench_registry WITH (FORCE)');
  await admin.query('CREATE DATABASE gridgov_bench_registry');
  await admin.end();
  const u = new URL(base);
  u.pathname = '/gridgov_bench_registry';
  return { engine: 'postgres', url: u.toString(), poolSize: 4 } as DbConfig;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? 0;

export async function benchRegistry(engines: ('pglite' | 'postgres')[], dataRoot: string): Promise<RegistryFigures> {
  const n = Number(process.env.BENCH_REGISTRY_ROWS ?? 1_000_000);
  mkdirSync(dataRoot, { recursive: true });
  const csv = path.join(dataRoot, `persons-${n}.gbk.csv`);
  const xlsx = path.join(dataRoot, `persons-${n}.xlsx`);
  const gen = { csv: 0, xlsx: 0 };
  let t = performance.now();
  if (!existsSync(csv)) await writeCsv(csv, n);
  gen.csv = (performance.now() - t) / 1000;
  t = performance.now();
  if (!existsSync(xlsx) && (process.env.BENCH_REGISTRY_FORMATS ?? 'xlsx').includes('xlsx')) await writeXlsx(xlsx, n);
  gen.xlsx = (performance.now() - t) / 1000;
  const figures: RegistryFigures = { rows: n, generateSeconds: gen, imports: [], search: [] };

  for (const engine of engines) {
    const config = await freshDatabase(engine, dataRoot);
    {
      const database = await openDatabase(config);
      await migrate(database);
      await seedDemoIfEmpty(database, createPiiCipher(KEY));
      await database.close();
    }
    const formats = (process.env.BENCH_REGISTRY_FORMATS ?? 'csv,xlsx').split(',');
    for (const [format, file] of [
      ['csv', csv],
      ['xlsx', xlsx],
    ] as const) {
      if (!formats.includes(format)) continue;
      if (figures.imports.some((i) => i.engine === engine)) {
        // Start the second import from the same empty registry, so both measure inserts.
        const database = await openDatabase(config);
        await database.ownerQuery('TRUNCATE person, record_change CASCADE');
        await database.close();
      }
      console.log(`bench: registry import ${format} on ${engine} (${n} rows)…`);
      const out = execFileSync(
        process.execPath,
        [...CLI_NODE_FLAGS, '--import', 'tsx', fileURLToPath(import.meta.url), 'child', JSON.stringify(config), file],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const r = JSON.parse(out.trim().split('\n').at(-1) as string);
      const f: ImportFigure = {
        engine,
        format,
        rows: r.rows,
        inserted: r.inserted,
        rejected: r.rejected,
        seconds: r.seconds,
        rowsPerSecond: r.rows / r.seconds,
        peakRssMiB: r.peakRssMiB,
      };
      console.log(JSON.stringify(f));
      figures.imports.push(f);
    }
    if (process.env.BENCH_REGISTRY_SEARCH !== '0') figures.search.push(await benchSearch(engine, config, n));
  }
  return figures;
}

/** Name search among n × 1.3 persons (the extra 30 % added in SQL) through the persons repository. */
async function benchSearch(engine: string, config: DbConfig, n: number): Promise<SearchFigure> {
  const database = await openDatabase(config);
  const { db } = database;
  try {
    const extra = Math.round(n * 0.3);
    const grid = await db.selectFrom('grid').select('id').limit(1).executeTakeFirstOrThrow();
    await sql`
      INSERT INTO person (name, population_type, grid_id)
      SELECT substr(${SURNAMES}, 1 + (i * 7) % ${SURNAMES.length}, 1) || substr(${GIVEN}, 1 + (i * 13) % ${GIVEN.length}, 1) || substr(${GIVEN}, 1 + (i * 17) % ${GIVEN.length}, 1),
             'registered', ${grid.id}::uuid
      FROM generate_series(1, ${extra}) AS i`.execute(db);
    // What the server does after such a change (the import service after an import; on PGlite, which has no
    // autovacuum, the table-statistics job within 10 minutes). A plain ANALYZE from the application role is skipped.
    await analyzeStaleTables(db, ['person']);
    const persons = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM person`.execute(db)).rows[0]?.n ?? 0;
    const repo = createPersonsRepository(db);
    const rnd = prng(11);
    const pick = (s: string) => s.charAt(Math.floor(rnd() * s.length));
    const lat: number[] = [];
    for (let k = 0; k < 220; k++) {
      // Full names, surname + one given character, and bare surnames (the worst case: a common prefix).
      const q = k % 3 === 0 ? pick(SURNAMES) + pick(GIVEN) + pick(GIVEN) : k % 3 === 1 ? pick(SURNAMES) + pick(GIVEN) : pick(SURNAMES);
      const t = performance.now();
      await repo.search({ grids: null, q, visibleSensitivities: [1], limit: 20, offset: 0 } as Parameters<typeof repo.search>[0]);
      if (k >= 20) lat.push(performance.now() - t);
    }
    return { engine, persons, queries: lat.length, p50: quantile(lat, 0.5), p95: quantile(lat, 0.95), max: Math.max(...lat) };
  } finally {
    await database.close();
  }
}

export function registryMarkdown(f: RegistryFigures): string {
  const lines = [
    `Rows per file: ${f.rows.toLocaleString('en')} persons (GBK CSV generated in ${f.generateSeconds.csv.toFixed(0)} s, xlsx with shared strings in ${f.generateSeconds.xlsx.toFixed(0)} s; 0 s = reused).`,
    '',
    '| engine | source | rows | inserted | rejected | seconds | rows/s | peak RSS (MiB) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...f.imports.map(
      (i) =>
        `| ${i.engine} | ${i.format} | ${i.rows} | ${i.inserted} | ${i.rejected} | ${i.seconds.toFixed(1)} | ${Math.round(i.rowsPerSecond).toLocaleString('en')} | ${Math.round(i.peakRssMiB)} |`,
    ),
    '',
    '| engine | persons | queries | p50 ms | p95 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...f.search.map((s) => `| ${s.engine} | ${s.persons} | ${s.queries} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.max.toFixed(1)} |`),
    '',
    'Against the goals of the issue:',
    '',
    ...goalLines(f),
  ];
  return lines.join('\n');
}

/** Each goal with the figure measured against it, met or not: the table says it, not the reader's arithmetic. */
function goalLines(f: RegistryFigures): string[] {
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  const mark = (ok: boolean) => (ok ? 'met' : '**not met**');
  const out: string[] = [];
  for (const i of f.imports) {
    const goal = i.format === 'csv' ? 40_000 : 20_000;
    if (i.engine === 'postgres') out.push(`- ${i.format} on PostgreSQL ≥ ${fmt(goal)} rows/s: ${fmt(i.rowsPerSecond)} — ${mark(i.rowsPerSecond >= goal)}`);
    out.push(`- ${i.format} on ${i.engine}, peak RSS ≤ 1,024 MiB: ${fmt(i.peakRssMiB)} MiB — ${mark(i.peakRssMiB <= 1024)}`);
  }
  for (const s of f.search) out.push(`- name search on ${s.engine} among ${fmt(s.persons)}, p95 ≤ 100 ms: ${s.p95.toFixed(1)} ms — ${mark(s.p95 <= 100)}`);
  if (f.imports.some((i) => i.engine === 'pglite')) {
    out.push('', 'On PGlite the process holds the database engine itself: opening PGlite with PostGIS alone takes about 900 MiB RSS here.');
  }
  return out;
}

if (process.argv[2] === 'child') await child(process.argv[3] as string, process.argv[4] as string);
