import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../apps/server/src/config.js';
import { benchCases, casesMarkdown } from './cases.bench.js';
import { benchFoundation, foundationMarkdown } from './foundation.bench.js';
import { benchGrids, gridsMarkdown } from './grids.bench.js';
import { benchRegistry, registryMarkdown } from './registry.bench.js';

/**
 * `npm run bench`: every benchmark, both engines, figures written to bench/RESULTS.md.
 * BENCH_SECONDS sets the load duration (default 60: decay shows only over a minute or more);
 * BENCH_ENGINES=pglite or postgres runs one engine; BENCH_ONLY=foundation or grids runs one section and
 * keeps the other section of RESULTS.md as it was.
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const engines = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
const dataRoot = path.join(repoRoot, 'bench/.data');
const only = process.env.BENCH_ONLY;
const resultsFile = path.join(repoRoot, 'bench/RESULTS.md');
const previous = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';

/** A `## ` section of the previous RESULTS.md (heading to the next heading), to keep when it is not re-run. */
function previousSection(heading: string): string | null {
  const start = previous.indexOf(`\n${heading}`);
  if (start < 0) return null;
  const next = previous.indexOf('\n## ', start + 1);
  let section = previous.slice(start + 1, next < 0 ? undefined : next).trimEnd();
  // Files written before the sections carried their own date and load duration kept them in the header.
  const header = previous.slice(0, start);
  const phases = /^Load phases ran .*$/m.exec(header)?.[0];
  if (phases && !section.includes('Load phases ran')) section = section.replace(heading, `${heading}\n\n${phases}`);
  const when = /^Written by `npm run bench` on (\S+?)[.(\s]/m.exec(header)?.[1];
  if (when && !/^Measured /m.test(section)) section = section.replace(heading, `${heading}\n\nMeasured ${when}.`);
  return section;
}

const figs = [];
for (const e of only && only !== 'foundation' ? [] : engines) {
  console.log(`bench: foundation on ${e} (${seconds}s per load phase)…`);
  const f = await benchFoundation(e, dataRoot, { seconds });
  console.log(
    JSON.stringify({ engine: e, readyColdMs: f.readyColdMs, readyWarmMs: f.readyWarmMs, loginPerS: f.login.perSecond, sessionPerS: f.session.perSecond }),
  );
  figs.push(f);
}

const grids = only && only !== 'grids' ? null : await benchGrids(engines, dataRoot);
// BENCH_REGISTRY_ROWS (default 1,000,000) sets the file size.
const registry = only && only !== 'registry' ? null : await benchRegistry(engines, dataRoot);
// BENCH_CASES_ROWS (default 5,000,000; PGlite BENCH_CASES_PGLITE_ROWS, default 5,000,000 too), BENCH_CASES_PARTS=intake,queue.
const cases = only && only !== 'cases' ? null : await benchCases(engines, dataRoot, { seconds });

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const FOUNDATION = '## Foundation: start-up, sign-in, signed-in requests';
const GRIDS = '## Grids: point → grid lookups and the coverage check';
const REGISTRY = '## Registry: importing persons, name search';
const CASES = '## Cases: intake throughput, dispatcher queue, indicators';
const foundationSection = figs.length
  ? `${FOUNDATION}

Measured ${new Date().toISOString()}.

Load phases ran ${seconds} s each, from a client in the same process tree over loopback (the client shares the 2 cores with the server).

How it is taken (bench/foundation.bench.ts): the real server process (\`node --import tsx apps/server/src/main.ts\`,
demo profile) is spawned and polled on \`GET /api/health\`; the time from spawn to the first 200 is the ready time.
The first start creates the data (PGlite: a new data directory with PostGIS; PostgreSQL: a new database), migrates and
seeds the demo district; then the server is stopped and restarted three times on the same data ("warm").
Logins: 8 concurrent clients POST /api/auth/login with demo accounts (each login verifies an argon2id hash,
m = 19 MiB, t = 2, so this is CPU-bound by design). Signed-in requests: 32 concurrent clients GET /api/auth/session
with session cookies (session lookup + user + scopes from the database per request).

${foundationMarkdown(figs)}

Reproduce: \`npm run bench\` (both engines; PostgreSQL at postgres://postgres@127.0.0.1:5432, override with
BENCH_DATABASE_URL), or \`BENCH_ENGINES=pglite BENCH_SECONDS=20 npm run bench\` for a quick look.`
  : (previousSection(FOUNDATION) ?? `${FOUNDATION}\n\nNot measured yet: run \`npm run bench\`.`);
const gridsSection = grids
  ? `${GRIDS}\n\nMeasured ${new Date().toISOString()}.\n\n${gridsMarkdown(grids)}`
  : (previousSection(GRIDS) ?? `${GRIDS}\n\nNot measured yet: run \`BENCH_ONLY=grids npm run bench\`.`);

const registrySection = registry
  ? `${REGISTRY}

Measured ${new Date().toISOString()}.

How it is taken (bench/registry.bench.ts): a GBK CSV and an xlsx (shared strings, as office suites write it) of the same
persons are generated; each is imported into a freshly migrated and seeded database (the person table emptied between the
two) by the real import service in a child process with the CLI's Node flags (\`apps/server/bin/cli-node-flags.js\`: the
heap capped at 256 MB), as the CLI does when no server holds the database (keep_valid, acting as admin): header mapping,
per-row checks (GB 11643 check digit, codes, phone), in-file dedup, grid assignment (half by 网格编码, half by coordinates
through the in-process grid index), AES-256-GCM encryption and blind index of 身份证号 and phone, and a batched upsert with
change history; at the end the import refreshes the planner statistics of the tables it wrote. Peak RSS is the
child's maxRSS. Name search: the persons repository's search over the imported persons plus 30 % more (then the
statistics refresh the server runs after such a change), 200 queries (full names, surname + one character, bare
surnames), 20 per page.

${registryMarkdown(registry)}

Reproduce: \`BENCH_ONLY=registry npm run bench\` (both engines), \`BENCH_ENGINES=postgres BENCH_REGISTRY_ROWS=100000\` for a quick look.`
  : (previousSection(REGISTRY) ?? `${REGISTRY}\n\nNot measured yet: run \`BENCH_ONLY=registry npm run bench\`.`);

const casesSection = cases
  ? `${CASES}

Measured ${new Date().toISOString()}.

How it is taken (bench/cases.bench.ts): (a) the real server process (demo profile, fresh database) is spawned; 50 clients,
each with its own grid worker session (wgy_baotuquan / wgy_daminghu) on its own keep-alive connection (node:http Agent,
one socket each), POST /api/cases with a catalogue item, a point near one of the worker's grid stations and an idempotency
key, first for ${process.env.BENCH_WARMUP_SECONDS ?? 10} s of warm-up (not counted; its own figure is in the table), then for ${seconds} s measured;
the figure is created cases per second, with the throughput of each 10-second window to show whether it holds over the
minute. (b) the cases are generated set-based (INSERT … SELECT generate_series, 250,000 per statement)
over the demo district's grids, the catalogue items and the departments, reported 2025-01-01 … 2026-12-03, mostly finished
(a recent 60 days with about 37 % open); then the workflow's cases.service list (view=queue) is timed in process for ten
filter/page variants as a street center, the district center and a community station. (c) more cases are generated up to
the target and indicators.service report (one SQL aggregate) is timed for each street × six months, grouped by community or
by grid, as the district center with the street as region.

${casesMarkdown(cases)}

Reproduce: \`BENCH_ONLY=cases npm run bench\`; \`BENCH_ENGINES=postgres BENCH_CASES_ROWS=1000000 BENCH_SECONDS=20\` for a quick look.`
  : (previousSection(CASES) ?? `${CASES}\n\nNot measured yet: run \`BENCH_ONLY=cases npm run bench\`.`);

const md = `# Benchmark results

Written by \`npm run bench\` on ${new Date().toISOString()}${only ? ` (BENCH_ONLY=${only}: the other sections are kept from the previous run)` : ''}.
Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.

${foundationSection}

${gridsSection}

${registrySection}

${casesSection}
`;
writeFileSync(resultsFile, md);
console.log(md);
