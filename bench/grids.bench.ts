import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../apps/server/src/db/client.js';
import { migrate } from '../apps/server/src/db/migrate.js';
import type { DB } from '../apps/server/src/db/schema.js';
import { GridIndex, type IndexedGrid } from '../apps/server/src/modules/gridlookup/grid-index.js';
import { createGridLookupRepository } from '../apps/server/src/modules/gridlookup/gridlookup.repository.js';
import { gridIndexSource } from '../apps/server/src/modules/gridlookup/gridlookup.service.js';
import { runCoverage } from '../apps/server/src/modules/grids/coverage.repository.js';
import { buildSyntheticDistrict, defaultSyntheticSpec, type SyntheticDistrict } from '../apps/server/src/seed/synthetic-district.js';
import { prng } from '../apps/server/src/seed/tiling.js';
import { fmt } from './lib.js';

const LOOKUPS_PER_ROUND = 5_000_000;
const ROUNDS = 3;
const VALID_FROM = '2026-01-01';

export interface EngineGridFigures {
  engine: string;
  loadMs: number;
  coverageMs: number[];
  checkedGrids: number;
  issues: number;
  /** Full index rebuild from the database (read of every current boundary + build), as a process does after a grid write. */
  rebuildMs: number[];
}

export interface GridFigures {
  grids: number;
  communities: number;
  generateMs: number;
  /** 1-minute load average when the section started (other work on the machine shows in the figures). */
  loadAverage: number;
  buildMs: number[];
  lookupsPerRound: number;
  lookupsPerSecond: number[];
  hitRatio: number;
  engines: EngineGridFigures[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const time = async <T>(fn: () => Promise<T> | T): Promise<[number, T]> => {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
};

/** (a) point → grid in process over the synthetic 2,000-grid district. */
function benchIndex(d: SyntheticDistrict): Pick<GridFigures, 'buildMs' | 'lookupsPerRound' | 'lookupsPerSecond' | 'hitRatio'> {
  const grids: IndexedGrid[] = d.streets.flatMap((s) =>
    s.communities.flatMap((c) => c.grids.map((g) => ({ id: g.code, geometry: { type: 'MultiPolygon' as const, coordinates: g.geometry } }))),
  );
  const buildMs: number[] = [];
  let index = GridIndex.build(grids);
  for (let k = 0; k < 5; k++) {
    const t = performance.now();
    index = GridIndex.build(grids);
    buildMs.push(performance.now() - t);
  }
  // Uniform random points over the district's bounding box (some fall outside every grid).
  const [minX, minY, maxX, maxY] = d.bbox;
  const rnd = prng(99);
  const xs = new Float64Array(LOOKUPS_PER_ROUND);
  const ys = new Float64Array(LOOKUPS_PER_ROUND);
  for (let k = 0; k < LOOKUPS_PER_ROUND; k++) {
    xs[k] = minX + rnd() * (maxX - minX);
    ys[k] = minY + rnd() * (maxY - minY);
  }
  for (let k = 0; k < 200_000; k++) index.lookupIndex(xs[k] as number, ys[k] as number);
  const perSecond: number[] = [];
  let hits = 0;
  for (let round = 0; round < ROUNDS; round++) {
    hits = 0;
    const t = performance.now();
    for (let k = 0; k < LOOKUPS_PER_ROUND; k++) if (index.lookupIndex(xs[k] as number, ys[k] as number) >= 0) hits++;
    perSecond.push(LOOKUPS_PER_ROUND / ((performance.now() - t) / 1000));
  }
  return { buildMs, lookupsPerRound: LOOKUPS_PER_ROUND, lookupsPerSecond: perSecond, hitRatio: hits / LOOKUPS_PER_ROUND };
}

const geom = (coords: unknown) => sql<string>`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify({ type: 'MultiPolygon', coordinates: coords })}), 4326))`;

/** The synthetic district as regions (with boundaries), grids and current boundaries; returns the district's path. */
async function loadDistrict(db: Kysely<DB>, d: SyntheticDistrict): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const region = async (parent: { id: string; path: string } | null, level: string, r: { code: string; name: string; boundary: unknown }) => {
      const id = crypto.randomUUID();
      const p = `${parent?.path ?? '/'}${id}/`;
      await trx
        .insertInto('region')
        .values({ id, parent_id: parent?.id ?? null, level, code: r.code, name: r.name, path: p, boundary: geom(r.boundary) })
        .execute();
      return { id, path: p };
    };
    const district = await region(null, 'district', d.district);
    for (const s of d.streets) {
      const street = await region(district, 'street', s);
      for (const c of s.communities) {
        const community = await region(street, 'community', { ...c, boundary: c.boundary });
        const rows = c.grids.map((g) => ({ ...g, id: crypto.randomUUID() }));
        await trx
          .insertInto('grid')
          .values(
            rows.map((g) => ({
              id: g.id,
              community_id: community.id,
              code: g.code,
              name: g.name,
              grid_type: '01' as const,
              seq: g.seq,
              criteria: '{}',
              valid_from: VALID_FROM,
            })),
          )
          .execute();
        await trx
          .insertInto('grid_boundary')
          .values(rows.map((g) => ({ grid_id: g.id, geom: geom(g.geometry), valid_from: VALID_FROM })))
          .execute();
      }
    }
    await trx.updateTable('grid_index_version').set({ version: sql`version + 1` }).where('id', '=', 1).execute();
    return district.path;
  });
}

/** (b) coverage check of the whole synthetic district on one engine, in a fresh database. */
async function benchEngine(engine: 'pglite' | 'postgres', dataRoot: string, d: SyntheticDistrict): Promise<EngineGridFigures> {
  let database: Awaited<ReturnType<typeof openDatabase>>;
  if (engine === 'pglite') {
    const dir = path.join(dataRoot, 'grids-pglite');
    rmSync(dir, { recursive: true, force: true });
    database = await openDatabase({ engine: 'pglite', dataDir: dir });
  } else {
    const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS gridgov_bench_grids WITH (FORCE)');
    await admin.query('CREATE DATABASE gridgov_bench_grids');
    await admin.end();
    const u = new URL(base);
    u.pathname = '/gridgov_bench_grids';
    database = await openDatabase({ engine: 'postgres', url: u.toString(), poolSize: 2 });
  }
  try {
    await migrate(database);
    const [loadMs, districtPath] = await time(() => loadDistrict(database.db, d));
    // Planner statistics, as autovacuum would have them on a running system.
    await sql`analyze`.execute(database.db);
    const coverageMs: number[] = [];
    let result: Awaited<ReturnType<typeof runCoverage>> | undefined;
    for (let k = 0; k < 3; k++) {
      const [ms, r] = await time(() => runCoverage(database.db, districtPath));
      coverageMs.push(ms);
      result = r;
    }
    const source = gridIndexSource(createGridLookupRepository(database.db));
    const rebuildMs: number[] = [];
    for (let k = 0; k < 3; k++) {
      const [ms] = await time(async () => {
        const loaded = await source.loadCurrent();
        return GridIndex.build(loaded.grids, loaded);
      });
      rebuildMs.push(ms);
    }
    return { engine, loadMs, coverageMs, checkedGrids: result?.checkedGrids ?? 0, issues: result?.issues.length ?? -1, rebuildMs };
  } finally {
    await database.close();
  }
}

export async function benchGrids(engines: ('pglite' | 'postgres')[], dataRoot: string): Promise<GridFigures> {
  const loadAverage = os.loadavg()[0] ?? 0;
  const [generateMs, d] = await time(() => buildSyntheticDistrict());
  console.log(`bench: grids — synthetic district of ${d.gridCount} grids generated in ${fmt(generateMs)} ms; in-process lookups…`);
  const index = benchIndex(d);
  console.log(JSON.stringify({ lookupsPerSecond: index.lookupsPerSecond.map(Math.round), buildMs: index.buildMs.map(Math.round) }));
  const figs: EngineGridFigures[] = [];
  for (const e of engines) {
    console.log(`bench: grids — coverage check on ${e}…`);
    const f = await benchEngine(e, dataRoot, d);
    console.log(JSON.stringify(f));
    figs.push(f);
  }
  return {
    grids: d.gridCount,
    communities: defaultSyntheticSpec.streets * defaultSyntheticSpec.communitiesPerStreet,
    generateMs,
    loadAverage,
    ...index,
    engines: figs,
  };
}

export function gridsMarkdown(f: GridFigures): string {
  const lps = [...f.lookupsPerSecond].sort((a, b) => a - b);
  const engineRows = f.engines.map((e) => {
    const cov = [...e.coverageMs].sort((a, b) => a - b);
    return `| ${e.engine} | ${fmt(cov[0] ?? 0)} / ${fmt(median(cov))} | ${cov.map((x) => fmt(x)).join(' / ')} | ${e.checkedGrids} grids, ${e.issues} issues | ${fmt(median(e.rebuildMs))} | ${fmt(e.loadMs)} |`;
  });
  return [
    `How it is taken (bench/grids.bench.ts): a synthetic district of ${fmt(f.grids)} grids (${f.communities} communities × ${fmt(f.grids / f.communities)} grids,`,
    'each grid ~4 cells of a jittered ~150 m lattice, made by the generator of the demo district in apps/server/src/seed/tiling.ts, so',
    `the grids tile their communities exactly) is generated in ${fmt(f.generateMs)} ms. The machine's 1-minute load average was ${fmt(f.loadAverage, 1)}`,
    'when the section started (other work on the 2 cores lowers the figures).',
    '',
    `**(a) Point → grid in process** (modules/gridlookup/grid-index.ts: flatbush R-tree over the grid bounding boxes + even–odd ray casting):`,
    `the index is built 5 times from the parsed polygons; then ${fmt(f.lookupsPerRound)} uniform random points over the district's bounding box`,
    `(${fmt(f.hitRatio * 100, 1)} % inside a grid) are looked up in a tight loop, ${f.lookupsPerSecond.length} rounds after a 200,000-lookup warm-up, in this process (one core).`,
    '',
    '| grids | index build (ms), 5 builds | lookups/s per round — goal ≥ 1,000,000 | median lookups/s |',
    '|---|---|---|---|',
    `| ${fmt(f.grids)} | ${f.buildMs.map((x) => fmt(x, 1)).join(' / ')} | ${f.lookupsPerSecond.map((x) => fmt(x)).join(' / ')} | ${fmt(lps[Math.floor(lps.length / 2)] ?? 0)} |`,
    '',
    '**(b) Coverage check of the whole district** (`runCoverage` of apps/server/src/modules/grids/coverage.repository.ts: sibling overlaps,',
    'gaps against each community boundary, grids outside it — the query behind GET /api/coverage): the district is loaded into a fresh database',
    '(PGlite: a new data directory under bench/.data; PostgreSQL: a new database gridgov_bench_grids), `ANALYZE`d, and the check runs 3 times',
    'over the district. "Index rebuild" is what each process does after a grid write: read every current boundary (one snapshot) and build',
    'the in-process index (median of 3).',
    '',
    '| engine | coverage check min / median (ms) — goal ≤ 5,000 | all 3 runs (ms) | result | index rebuild from the database (ms) | loading the district (ms) |',
    '|---|---|---|---|---|---|',
    ...engineRows,
    '',
    'Reproduce just this section: `BENCH_ONLY=grids npm run bench` (BENCH_ENGINES=pglite or postgres for one engine).',
  ].join('\n');
}
