import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { maskIdNumber, maskPhone } from '@gridgov/contracts/identifiers';
import type { ImportJob, ImportKind, ImportMode } from '@gridgov/contracts/imports';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/app-error.js';
import type { Principal } from '../../http/principal.js';
import type { PiiCipher } from '../../lib/pii-crypto.js';
import { createPiiWorker, type PiiWorker } from '../../lib/pii-worker.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { GridIndexKeeper } from '../gridlookup/grid-index.js';
import { todayInChina } from '../grids/today.js';
import type { RecordScope } from '../registry-common/record-scope.js';
import { FirstRowByKey } from './first-row-by-key.js';
import type { Actor, RegistryIoRepository } from './registry-io.repository.js';
import {
  type AnyRow,
  cellsOf,
  duplicateColumn,
  type FacilityRow,
  type HouseRow,
  type OrganisationRow,
  type PersonRow,
  type ValidationEnv,
  validators,
} from './row-validation.js';
import { type HeaderMap, isHintRow, mapHeader, type OpenedTable, openTable } from './table-reader.js';
import { XlsxFormatError } from './xlsx-reader.js';

export interface ImportDeps {
  db: Kysely<DB>;
  repo: RegistryIoRepository;
  audit: Pick<AuditRepository, 'append'>;
  scope: Pick<RecordScope, 'gridFilter'>;
  index: GridIndexKeeper;
  pii: PiiCipher;
  /** Rows per write batch (one statement, one short transaction in keep_valid mode). */
  batchSize?: number;
  /** Largest upload accepted. */
  maxBytes?: number;
  tmpDir?: string;
}

/** Live counters of a running job: answered from memory, so polling works while the embedded database is busy. */
interface Running {
  job: ImportJob;
  startedById: string | null;
}

interface Rejection {
  row: number;
  column: string | null;
  reason: string;
  values: Record<string, string>;
}

export type ProgressListener = (job: ImportJob) => void;

const MAX_BYTES = 2 * 1024 ** 3;

class TooLarge extends Error {}

/**
 * Settings of a transaction that writes import batches. Its commit does not wait for the WAL flush (see the
 * batch transaction). New names go to the trigram index's pending list until it holds 64 MB instead of 4 MB:
 * merging the list into the index is cheaper per entry in larger runs, and the import flushes the list
 * itself when it ends (flushNameIndex), so searches do not scan a long list afterwards.
 */
const bulkSettings = (trx: Kysely<DB>, syncCommit = false) =>
  sql`SELECT ${syncCommit ? sql`` : sql`set_config('synchronous_commit', 'off', true),`} set_config('gin_pending_list_limit', '65536', true)`.execute(trx);

/**
 * A running job as its poller sees it: the outcome is known before the finishing steps (name index flush, planner
 * statistics, the job row), but the job is shown running until they are done, so that whoever waits for the outcome
 * finds everything the import does already done (a test read the statistics before their refresh).
 */
const liveView = (job: ImportJob): ImportJob => ({ ...job, status: job.finishedAt ? job.status : 'running' });

/** The register table each kind of import writes (besides record_change). */
const WRITTEN_TABLE: Record<ImportKind, string> = { persons: 'person', houses: 'house', organisations: 'organisation', facilities: 'facility' };

export function createImportService(deps: ImportDeps) {
  const { db, repo, audit, pii } = deps;
  /** Houses, organisations and facilities encrypt a phone at most: no worker thread for those. */
  const inThreadPii: PiiWorker = {
    run: async (b) => ({
      enc: b.encrypt.map((v) => (v === null ? null : pii.encrypt(v).toString('hex'))),
      bidx: b.index.map((x) => (x === null ? null : pii.blindIndex(x.kind, x.value).toString('hex'))),
    }),
    close: async () => {},
  };
  const batchSize = deps.batchSize ?? 5000;
  const running = new Map<string, Running>();
  let staleChecked = false;

  async function failStaleOnce() {
    if (staleChecked) return;
    staleChecked = true;
    if (running.size === 0) await repo.failStale();
  }

  /** Streams an upload to a temporary file, refusing more than maxBytes. */
  async function spool(body: NodeJS.ReadableStream): Promise<string> {
    const file = path.join(deps.tmpDir ?? os.tmpdir(), `gridgov-import-${randomUUID()}`);
    let size = 0;
    const limit = deps.maxBytes ?? MAX_BYTES;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > limit) cb(new TooLarge());
        else cb(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(file));
    } catch (e) {
      await rm(file, { force: true });
      throw e instanceof TooLarge ? new AppError('IMPORT_FILE_INVALID', { message: `文件超过 ${Math.round(limit / 1024 ** 2)} MB` }) : e;
    }
    if (size === 0) {
      await rm(file, { force: true });
      throw new AppError('IMPORT_EMPTY', { message: '上传的文件是空的' });
    }
    return file;
  }

  /** One running import per user: a second upload while the first runs is refused, not queued. */
  function busyCheck(actor: Principal) {
    // A job that has reached its outcome is only writing its closing row: it no longer blocks the next one.
    const busy = (r: Running) => r.startedById === actor.userId && (r.job.status === 'queued' || r.job.status === 'running');
    if ([...running.values()].some(busy)) throw new AppError('IMPORT_BUSY');
  }

  function actorOfPrincipal(p: Principal): Actor {
    return { userId: p.kind === 'user' || p.kind === 'token' ? p.userId : null, name: p.displayName };
  }

  /**
   * Starts a job on a file already on disk: the job row and `import.started` are written, the work runs in
   * the background. `ownsFile`: the file is a temporary spool to delete at the end (not the user's own file).
   */
  async function begin(
    actor: Principal,
    kind: ImportKind,
    opts: { mode: ImportMode; fileName: string; file: string; ownsFile: boolean },
    meta: RequestMeta,
    onProgress?: ProgressListener,
  ): Promise<{ job: ImportJob; done: Promise<ImportJob> }> {
    await failStaleOnce();
    let table: OpenedTable;
    try {
      table = await openTable(opts.file, opts.fileName);
    } catch (e) {
      if (opts.ownsFile) await rm(opts.file, { force: true });
      throw e;
    }
    const jobId = await db.transaction().execute(async (trx) => {
      const id = await repo.insertJob(
        { kind, mode: opts.mode, fileName: opts.fileName, format: table.format, encoding: table.encoding, startedBy: actor.userId },
        trx,
      );
      await audit.append(
        {
          ...auditContext(actor, meta),
          action: 'import.started',
          outcome: 'ok',
          targetType: 'import_job',
          targetId: id,
          regionId: actor.capture[0]?.regionId,
          regionPath: actor.capture[0]?.path,
          details: { kind, mode: opts.mode, fileName: opts.fileName, format: table.format, encoding: table.encoding },
        },
        trx,
      );
      return id;
    });
    const job: ImportJob = {
      id: jobId,
      kind,
      mode: opts.mode,
      fileName: opts.fileName,
      format: table.format,
      encoding: table.encoding,
      status: 'queued',
      rowsRead: 0,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      error: null,
      startedBy: actor.username,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
    const r: Running = { job, startedById: actor.userId };
    running.set(jobId, r);
    const done = (async () => {
      try {
        await execute(r, actor, table, meta, onProgress);
      } finally {
        running.delete(jobId);
        if (opts.ownsFile) await rm(opts.file, { force: true });
      }
      return { ...r.job };
    })();
    return { job: { ...job }, done };
  }

  async function execute(r: Running, actor: Principal, table: OpenedTable, meta: RequestMeta, onProgress?: ProgressListener) {
    const { job } = r;
    job.status = 'running';
    const tick = () => onProgress?.({ ...job });
    let piiWorker: PiiWorker | null = null;
    try {
      await repo.updateJob(job.id, { status: 'running' });
      // Index and grid list are read through `db`: before any transaction.
      const index = await deps.index.ensureFresh();
      const grids = await repo.grids();
      const capturable = await deps.scope.gridFilter(actor, 'capture');
      const env: ValidationEnv = {
        gridsByCode: new Map(grids.map((g) => [g.code, g])),
        gridsById: new Map(grids.map((g) => [g.id, g])),
        index,
        capturable: capturable === null ? null : new Set(capturable),
        today: todayInChina(),
      };
      piiWorker = job.kind === 'persons' ? createPiiWorker(pii) : null;
      const ctx: PassContext = { job, actor, env, table, tick, writer: actorOfPrincipal(actor), piiWorker: piiWorker ?? inThreadPii };
      if (job.mode === 'all_or_nothing') {
        await pass(ctx, { write: false, trx: db });
        if (job.rejected > 0) job.status = 'rejected';
        else {
          // Validated: write everything in one transaction, so a failure half-way leaves nothing behind.
          const counted = { ...job };
          await db.transaction().execute(async (trx) => {
            await bulkSettings(trx, true);
            await pass({ ...ctx, job: counted, tick: () => {} }, { write: true, trx });
          });
          Object.assign(job, { inserted: counted.inserted, updated: counted.updated, unchanged: counted.unchanged });
          job.status = 'succeeded';
        }
      } else {
        await pass(ctx, { write: true, trx: null });
        job.status = 'succeeded';
      }
    } catch (e) {
      job.status = 'failed';
      if (e instanceof AppError) job.error = { code: e.code, message: e.message === e.code ? e.code : e.message };
      else if (e instanceof XlsxFormatError) job.error = { code: 'IMPORT_FILE_INVALID', message: e.message };
      else job.error = { code: 'INTERNAL', message: (e as Error).message };
      if (job.mode === 'all_or_nothing') {
        job.inserted = 0;
        job.updated = 0;
        job.unchanged = 0;
      }
    }
    // Not awaited: the job is done, and a caller polling it must not find it still running meanwhile.
    void piiWorker?.close().catch(() => {});
    // Whatever the outcome (a failed job may have written batches, or left rolled-back entries in the list).
    if (job.kind === 'persons') await repo.flushNameIndex().catch(() => {});
    // A large import leaves the planner's row counts behind; on PGlite nothing else would bring them up to date.
    await repo.refreshStatistics([WRITTEN_TABLE[job.kind], 'record_change']).catch(() => {});
    job.finishedAt = new Date().toISOString();
    await db.transaction().execute(async (trx) => {
      await repo.updateJob(
        job.id,
        {
          status: job.status,
          rows_read: job.rowsRead,
          inserted: job.inserted,
          updated: job.updated,
          unchanged: job.unchanged,
          rejected: job.rejected,
          error: job.error,
          finished: true,
        },
        trx,
      );
      await audit.append(
        {
          ...auditContext(actor, meta),
          action: 'import.finished',
          outcome: job.status === 'failed' ? 'failed' : 'ok',
          targetType: 'import_job',
          targetId: job.id,
          regionId: actor.capture[0]?.regionId,
          regionPath: actor.capture[0]?.path,
          details: {
            kind: job.kind,
            mode: job.mode,
            status: job.status,
            rowsRead: job.rowsRead,
            inserted: job.inserted,
            updated: job.updated,
            unchanged: job.unchanged,
            rejected: job.rejected,
            ...(job.error ? { error: job.error.code } : {}),
          },
        },
        trx,
      );
    });
    tick();
  }

  interface PreparedPersons {
    /** Hex blind index of each row's 身份证号. */
    bidx: string[];
    /** When writing: the encrypted batch as the upsert's jsonb payload (binary format). */
    payload: Buffer | null;
  }

  interface PassContext {
    /** Encryption and blind indexes of this job, on a worker thread. */
    piiWorker: PiiWorker;
    job: ImportJob;
    actor: Principal;
    env: ValidationEnv;
    table: OpenedTable;
    tick: () => void;
    writer: Actor;
  }

  /**
   * One read of the file. `write: false` validates only (the first pass of all-or-nothing, rejections stored);
   * `write: true` with `trx` writes inside that transaction, with `trx: null` each batch in its own short one.
   */
  async function pass(ctx: PassContext, opts: { write: boolean; trx: Kysely<DB> | null }) {
    const { job, env, table } = ctx;
    const kind = job.kind;
    const counting = job.status === 'running' && !(opts.write && opts.trx);
    let header: HeaderMap | null = null;
    const seen = new FirstRowByKey();
    let batch: AnyRow[] = [];
    let rejections: Rejection[] = [];
    const rejectedRows = new Set<number>();
    let inFlight: Promise<void> | null = null;
    let lastTick = 0;
    let sinceYield = 0;

    const valuesOf = (cells: string[]) => {
      const v: Record<string, string> = {};
      const names = header?.headers ?? [];
      cells.forEach((cell, i) => {
        if (cell !== '') v[names[i] || `第${i + 1}列`] = cell;
      });
      return v;
    };
    let cellsByRow = new Map<number, string[]>();
    const reject = (row: number, column: string | null, reason: string, cells: string[]) => {
      rejections.push({ row, column, reason, values: valuesOf(cells) });
      if (!rejectedRows.has(row)) {
        rejectedRows.add(row);
        if (counting) job.rejected++;
      }
    };
    const storeRejections = async (trx: Kysely<DB>) => {
      if (!rejections.length || (opts.write && opts.trx)) {
        rejections = [];
        return;
      }
      const rs = rejections;
      rejections = [];
      await repo.insertRejections(
        job.id,
        rs.map((x) => ({ row: x.row, column: x.column, reason: x.reason, valuesEnc: pii.encrypt(JSON.stringify(x.values)) })),
        trx,
      );
    };

    const flush = async () => {
      const rows = batch;
      batch = [];
      const cells = cellsByRow;
      cellsByRow = new Map();
      // Blind indexes and ciphertexts are computed now, on this thread, while the database still writes the
      // previous batch: the CPU work overlaps the database's instead of following it.
      const preparing = kind === 'persons' ? preparePersons(rows as PersonRow[], opts.write, ctx.piiWorker) : null;
      // A rejected promise is awaited below; until then it must not count as unhandled.
      preparing?.catch(() => {});
      const prior = inFlight;
      const work = async () => {
        await prior;
        const prepared = await preparing;
        const run = async (trx: Kysely<DB>) => {
          const out = await writeBatch(kind, rows, prepared, ctx, trx, opts.write, (row, column, reason) => reject(row, column, reason, cells.get(row) ?? []));
          if (counting || opts.write) {
            job.inserted += out.inserted;
            job.updated += out.updated;
            job.unchanged += out.unchanged;
          }
          await storeRejections(trx);
        };
        if (opts.trx) await run(opts.trx);
        else if (opts.write)
          await db.transaction().execute(async (trx) => {
            // A batch's commit does not wait for its WAL flush: the job's closing row is committed
            // synchronously, which flushes every batch before it, and a crash before that leaves the job to be
            // marked failed at the next start — re-importing the file is an upsert that repeats nothing.
            await bulkSettings(trx);
            await run(trx);
          });
        else await run(db);
      };
      inFlight = work();
      // Parse and encrypt the next batch while the database writes this one; at most one batch waits.
      if (prior) await prior;
    };

    for await (const r of table.rows()) {
      if (!header) {
        header = mapHeader(kind, r.cells);
        continue;
      }
      if (!r.fault && isHintRow(header, r.cells)) continue;
      if (counting) job.rowsRead++;
      if (r.fault) {
        reject(r.row, null, r.fault, r.cells);
        continue;
      }
      const res = validators[kind](r.row, cellsOf(header, r.cells), env);
      if ('faults' in res) {
        for (const f of res.faults) reject(r.row, f.column, f.reason, r.cells);
        continue;
      }
      const key = res.ok.key;
      if (key) {
        const first = seen.get(key);
        if (first !== undefined) {
          reject(r.row, duplicateColumn[kind], `与第 ${first} 行重复`, r.cells);
          continue;
        }
        seen.set(key, r.row);
      }
      batch.push(res.ok);
      cellsByRow.set(r.row, r.cells);
      if (batch.length >= batchSize) await flush();
      if (rejections.length >= batchSize) {
        await inFlight;
        await storeRejections(opts.trx ?? db);
      }
      // Reading a buffered file resolves through microtasks only, which would starve the database socket: the
      // in-flight batch's replies (BEGIN, the upsert, COMMIT) would wait for the next disk read. Yield to the
      // event loop now and then so the write of one batch really runs while the next is parsed.
      if (++sinceYield >= 256) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (counting && job.rowsRead - lastTick >= 5000) {
        lastTick = job.rowsRead;
        ctx.tick();
      }
    }
    if (!header) throw new AppError('IMPORT_EMPTY', { message: '文件中没有表头和数据' });
    if (batch.length) await flush();
    await inFlight;
    if (rejections.length) {
      if (opts.trx) await storeRejections(opts.trx);
      else if (opts.write) await db.transaction().execute(storeRejections);
      else await storeRejections(db);
    }
    ctx.tick();
  }

  /**
   * Blind indexes of a batch of persons and, when writing, their encrypted rows (hex, as the database takes
   * them) — computed on the PII worker thread while this thread parses the next batch.
   */
  async function preparePersons(ps: PersonRow[], write: boolean, worker: PiiWorker): Promise<PreparedPersons> {
    if (!write) {
      const r = await worker.run({ encrypt: [], index: ps.map((p) => ({ kind: 'id_card' as const, value: p.idNumber })) });
      return { bidx: r.bidx as string[], payload: null };
    }
    const r = await worker.run({
      encrypt: ps.flatMap((p) => [p.idNumber, p.phone]),
      index: ps.flatMap((p) => [{ kind: 'id_card' as const, value: p.idNumber }, p.phone ? { kind: 'phone' as const, value: p.phone } : null]),
    });
    // Rows in the upsert's column order (PersonBatch in registry-io.repository), serialised and encoded once:
    // the bytes go to the server as they are (jsonb's binary input is a version byte and the JSON text).
    const bidx = new Array<string>(ps.length);
    const rows = ps.map((p, i) => {
      bidx[i] = r.bidx[2 * i] as string;
      return [
        p.name,
        r.enc[2 * i],
        bidx[i],
        maskIdNumber(p.idNumber),
        p.sex,
        p.birthDate,
        p.ethnicity,
        r.enc[2 * i + 1],
        r.bidx[2 * i + 1],
        p.phone ? maskPhone(p.phone) : null,
        p.populationType,
        p.hukouPlace,
        p.hukouAddress,
        p.currentAddress,
        p.occupation,
        p.workplace,
        p.marital,
        p.political,
        p.education,
        p.gridId,
        p.lng,
        p.lat,
      ];
    });
    return { bidx, payload: Buffer.from(`\x01${JSON.stringify(rows)}`) };
  }

  /** Writes (or, with write=false, only checks) one batch; rows whose stored record lies outside the importer's capture scope are rejected. */
  async function writeBatch(
    kind: ImportKind,
    rows: AnyRow[],
    prepared: PreparedPersons | null,
    ctx: PassContext,
    trx: Kysely<DB>,
    write: boolean,
    reject: (row: number, column: string | null, reason: string) => void,
  ): Promise<{ inserted: number; updated: number; unchanged: number }> {
    const cap = ctx.env.capturable;
    const outOfScope = '该记录已登记在您无权采集的网格，不能通过导入修改';
    const note = `导入 ${ctx.job.fileName}（任务 ${ctx.job.id}）`;
    if (kind === 'persons' && prepared) {
      const ps = rows as PersonRow[];
      if (!write) {
        // Checking only: a person already registered in a grid the importer may not write to is refused.
        if (cap) {
          const existing = await repo.personsByBidx(prepared.bidx, trx);
          ps.forEach((p, i) => {
            const g = existing.get(prepared.bidx[i] as string);
            if (g && !cap.has(g)) reject(p.row, '公民身份号码', outOfScope);
          });
        }
        return { inserted: 0, updated: 0, unchanged: 0 };
      }
      // Writing: the same scope check runs inside the upsert statement (no extra round trip); refused rows come back.
      const r = await repo.upsertPersons(prepared.payload as Buffer, ctx.writer, note, trx, cap ? [...cap] : null, ctx.job.id);
      if (r.denied.length) {
        const denied = new Set(r.denied);
        ps.forEach((p, i) => {
          if (denied.has(prepared.bidx[i] as string)) reject(p.row, '公民身份号码', outOfScope);
        });
      }
      return { inserted: r.inserted, updated: r.updated, unchanged: ps.length - r.denied.length - r.inserted - r.updated };
    }
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    for (const row of rows) {
      const point: [number, number] | null = row.lng !== null && row.lat !== null ? [row.lng, row.lat] : null;
      let table: 'house' | 'organisation' | 'facility';
      let match: { column: string; value: string } | { where: Record<string, string | null> };
      let values: Record<string, unknown>;
      if (kind === 'houses') {
        const h = row as HouseRow;
        table = 'house';
        match = { column: 'address_key', value: h.addressKey };
        values = {
          address: h.address,
          address_key: h.addressKey,
          unit: h.unit,
          floor: h.floor,
          room: h.room,
          use: h.use,
          area_m2: h.areaM2,
          grid_id: h.gridId,
        };
      } else if (kind === 'organisations') {
        const o = row as OrganisationRow;
        table = 'organisation';
        match = o.uscc ? { column: 'uscc', value: o.uscc } : { where: { uscc: null, name: o.name, grid_id: o.gridId } };
        values = {
          name: o.name,
          kind: o.kind,
          uscc: o.uscc,
          legal_rep_name: o.legalRepName,
          phone_enc: o.phone ? pii.encrypt(o.phone) : null,
          phone_bidx: o.phone ? pii.blindIndex('phone', o.phone) : null,
          phone_masked: o.phone ? maskPhone(o.phone) : null,
          address: o.address,
          employees: o.employees,
          key_premises: o.keyPremisesType !== null,
          key_premises_type: o.keyPremisesType,
          grid_id: o.gridId,
        };
      } else {
        const f = row as FacilityRow;
        table = 'facility';
        match = f.code ? { column: 'code', value: f.code } : { where: { code: null, kind: f.kind, name: f.name, grid_id: f.gridId } };
        values = { kind: f.kind, name: f.name, code: f.code, state: f.state, address: f.address, owner: f.owner, grid_id: f.gridId };
      }
      if ('column' in match) {
        const g = await repo.existingGrid(table, match.column, match.value, trx);
        if (g && cap && !cap.has(g)) {
          reject(row.row, duplicateColumn[kind], outOfScope);
          continue;
        }
      }
      if (!write) continue;
      const r = await repo.upsertOne(table, match, values, point, ctx.writer, note, trx);
      counts[r.outcome]++;
    }
    return counts;
  }

  return {
    /** POST /api/imports/:kind: spools the body, starts the job, answers at once (202). */
    async start(
      actor: Principal,
      kind: ImportKind,
      q: { mode: ImportMode; fileName: string },
      body: NodeJS.ReadableStream,
      meta: RequestMeta,
    ): Promise<ImportJob> {
      busyCheck(actor);
      const file = await spool(body);
      const { job, done } = await begin(actor, kind, { mode: q.mode, fileName: q.fileName, file, ownsFile: true }, meta);
      done.catch(() => {});
      return job;
    },

    /** The CLI: a file on this machine, run to the end with progress reported. */
    async runFile(
      actor: Principal,
      kind: ImportKind,
      opts: { mode: ImportMode; file: string; fileName: string },
      meta: RequestMeta,
      onProgress?: ProgressListener,
    ): Promise<ImportJob> {
      busyCheck(actor);
      const { done } = await begin(actor, kind, { ...opts, ownsFile: false }, meta, onProgress);
      return done;
    },

    /** A job the caller started (jobs are private to who started them); live counters while it runs. */
    async get(actor: Principal, id: string): Promise<ImportJob> {
      const live = running.get(id);
      if (live) {
        if (live.startedById !== actor.userId) throw new AppError('NOT_FOUND');
        return liveView(live.job);
      }
      const j = await repo.job(id);
      if (!j || j.startedById !== actor.userId) throw new AppError('NOT_FOUND');
      const { startedById: _, ...job } = j;
      return job;
    },

    async list(actor: Principal, q: { limit: number; offset: number }) {
      const page = await repo.jobs(actor.userId, q.limit, q.offset);
      return {
        ...page,
        items: page.items.map((j) => {
          const live = running.get(j.id);
          return live ? liveView(live.job) : { ...j };
        }),
      };
    },

    async rejections(actor: Principal, id: string, q: { limit: number; offset: number }) {
      await this.get(actor, id);
      const page = await repo.rejections(id, q.limit, q.offset);
      return {
        total: page.total,
        items: page.items.map((r) => ({
          row: r.row_no,
          column: r.column_name,
          reason: r.reason,
          values: r.values_enc ? (JSON.parse(pii.decrypt(r.values_enc)) as Record<string, string>) : {},
        })),
      };
    },

    /** Rejected rows as an xlsx: row, column, reason, then the original cells. */
    async rejectionsXlsx(actor: Principal, id: string): Promise<{ filename: string; body: Buffer }> {
      const job = await this.get(actor, id);
      const all = await this.rejections(actor, id, { limit: 1_000_000, offset: 0 });
      const { rejectionsWorkbook } = await import('./xlsx-writer.js');
      return { filename: `${job.fileName.replace(/\.[^.]+$/, '')}.rejected.xlsx`, body: await rejectionsWorkbook(all.items) };
    },

    /** A raw upload spooled to a temporary file for the duration of `fn` (the cross-check). */
    async withSpool<T>(body: NodeJS.ReadableStream, fn: (file: string) => Promise<T>): Promise<T> {
      const file = await spool(body);
      try {
        return await fn(file);
      } finally {
        await rm(file, { force: true });
      }
    },

    isBusy: () => running.size > 0,
  };
}
export type ImportService = ReturnType<typeof createImportService>;
