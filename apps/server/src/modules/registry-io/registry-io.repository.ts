import { errorCatalog } from '@gridgov/contracts/errors';
import type { ImportJob, ImportKind } from '@gridgov/contracts/imports';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { analyzeStaleTables } from '../../db/table-statistics.js';
import type { ImportGrid } from './row-validation.js';

/**
 * A batch of persons travels to upsertPersons as jsonb, an array of row arrays, each in this order: name,
 * 身份证号 ciphertext (hex), its blind index (hex), masked 身份证号, sex, birth date, ethnicity, phone ciphertext,
 * phone blind index, masked phone, population type, hukou place, hukou address, current address, occupation,
 * workplace, marital, political, education, grid id, lng, lat — in jsonb's binary input format: the version
 * byte 1, then the JSON text in UTF-8.
 */
export type PersonBatch = Buffer;

export interface Actor {
  userId: string | null;
  name: string | null;
}

type JobRow = {
  id: string;
  kind: string;
  mode: string;
  file_name: string;
  format: string | null;
  encoding: string | null;
  status: string;
  rows_read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  error: unknown;
  started_by: string | null;
  started_by_name: string | null;
  started_at: Date | string;
  finished_at: Date | string | null;
};

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
export function toJob(r: JobRow): ImportJob {
  return {
    id: r.id,
    kind: r.kind as ImportKind,
    mode: r.mode as ImportJob['mode'],
    fileName: r.file_name,
    format: r.format as ImportJob['format'],
    encoding: r.encoding,
    status: r.status as ImportJob['status'],
    rowsRead: r.rows_read,
    inserted: r.inserted,
    updated: r.updated,
    unchanged: r.unchanged,
    rejected: r.rejected,
    error: (r.error as ImportJob['error']) ?? null,
    startedBy: r.started_by_name ?? '',
    startedAt: iso(r.started_at) as string,
    finishedAt: iso(r.finished_at),
  };
}

/** A person of the registry as the cross-check compares it. */
export interface CrossCheckPerson {
  id: string;
  name: string;
  id_number_masked: string | null;
  sex: string;
  birth_date: string | null;
  ethnicity: string | null;
  phone_bidx: Buffer | null;
  phone_masked: string | null;
  population_type: string;
  current_address: string | null;
  grid_name: string;
}

/** `alias.grid_id` in the grids of a scope filter (null: everywhere). */
const inGrids = (alias: string, grids: readonly string[] | null) =>
  grids === null ? sql<boolean>`true` : sql<boolean>`${sql.ref(`${alias}.grid_id`)} = ANY(${grids as string[]}::uuid[])`;

export interface RegistryIoRepositoryOptions {
  /**
   * The person batch goes to the server as bytes in jsonb's binary input format (PostgreSQL through pg):
   * the driver then neither measures nor encodes a string of several megabytes per batch. PGlite takes text.
   */
  jsonbAsBytes?: boolean;
}

export function createRegistryIoRepository(db: Kysely<DB>, options: RegistryIoRepositoryOptions = {}) {
  const utf8 = new TextDecoder();
  const jobSelect = (trx: Kysely<DB>) =>
    trx
      .selectFrom('import_job as j')
      .leftJoin('app_user as u', 'u.id', 'j.started_by')
      .select([
        'j.id',
        'j.kind',
        'j.mode',
        'j.file_name',
        'j.format',
        'j.encoding',
        'j.status',
        'j.rows_read',
        'j.inserted',
        'j.updated',
        'j.unchanged',
        'j.rejected',
        'j.error',
        'j.started_by',
        'u.username as started_by_name',
        'j.started_at',
        'j.finished_at',
      ]);

  return {
    /** One page (keyset on id) of a table's records in the given grids, with the grid code and the point. */
    async exportPage(table: 'person' | 'house' | 'organisation' | 'facility', grids: readonly string[] | null, after: string, limit: number) {
      const active = table === 'person' ? sql`AND t.status = 'active'` : sql``;
      const r = await sql<Record<string, unknown> & { id: string; grid_code: string; lng: number | null; lat: number | null }>`
        SELECT t.*, g.code AS grid_code, ST_X(t.geom) AS lng, ST_Y(t.geom) AS lat
        FROM ${sql.table(table)} t JOIN grid g ON g.id = t.grid_id
        WHERE ${inGrids('t', grids)} ${active} AND t.id > ${after}::uuid ORDER BY t.id LIMIT ${limit}`.execute(db);
      return r.rows;
    },

    /** Active persons in the given grids holding one of these 身份证号 blind indexes (hex), keyed by it. */
    async personsForCrossCheck(grids: readonly string[] | null, bidxHex: string[]): Promise<Map<string, CrossCheckPerson>> {
      const r = await sql<CrossCheckPerson & { b: string }>`
        SELECT encode(p.id_number_bidx, 'hex') AS b, p.id, p.name, p.id_number_masked, p.sex, p.birth_date::text AS birth_date, p.ethnicity,
               p.phone_bidx, p.phone_masked, p.population_type, p.current_address, g.name AS grid_name
        FROM person p JOIN grid g ON g.id = p.grid_id
        WHERE p.status = 'active' AND ${inGrids('p', grids)}
          AND p.id_number_bidx = ANY(ARRAY(SELECT decode(x, 'hex') FROM unnest(${bidxHex}::text[]) AS x))`.execute(db);
      return new Map(r.rows.map((x) => [x.b, x]));
    },

    /** Active persons with a 身份证号 in the given grids that are not among these blind indexes (at most `limit`). */
    async personsNotListed(grids: readonly string[] | null, bidxHex: string[], limit: number) {
      const r = await sql<{ id: string; name: string; id_number_masked: string | null; grid_name: string }>`
        SELECT p.id, p.name, p.id_number_masked, g.name AS grid_name FROM person p JOIN grid g ON g.id = p.grid_id
        WHERE p.status = 'active' AND ${inGrids('p', grids)} AND p.id_number_bidx IS NOT NULL
          AND NOT (p.id_number_bidx = ANY(ARRAY(SELECT decode(x, 'hex') FROM unnest(${bidxHex}::text[]) AS x)))
        ORDER BY g.name, p.name LIMIT ${limit}`.execute(db);
      return r.rows;
    },

    /** Every grid (current and retired) with its community and region path. */
    async grids(): Promise<ImportGrid[]> {
      const rows = await db
        .selectFrom('grid as g')
        .innerJoin('region as r', 'r.id', 'g.community_id')
        .select(['g.id', 'g.code', 'g.valid_to', 'r.id as community_id', 'r.path'])
        .execute();
      return rows.map((r) => ({ id: r.id, code: r.code, communityId: r.community_id, regionPath: r.path, retired: r.valid_to !== null }));
    },

    async insertJob(
      j: {
        kind: ImportKind;
        mode: 'all_or_nothing' | 'keep_valid';
        fileName: string;
        format: string | null;
        encoding: string | null;
        startedBy: string | null;
      },
      trx: Kysely<DB> = db,
    ): Promise<string> {
      const r = await trx
        .insertInto('import_job')
        .values({ kind: j.kind, mode: j.mode, file_name: j.fileName, format: j.format, encoding: j.encoding, started_by: j.startedBy })
        .returning('id')
        .executeTakeFirstOrThrow();
      return r.id;
    },

    async updateJob(
      id: string,
      v: Partial<{
        status: string;
        rows_read: number;
        inserted: number;
        updated: number;
        unchanged: number;
        rejected: number;
        error: { code: string; message: string } | null;
        finished: boolean;
      }>,
      trx: Kysely<DB> = db,
    ) {
      const { finished, error, ...rest } = v;
      await trx
        .updateTable('import_job')
        .set({
          ...rest,
          ...(error !== undefined ? { error: error === null ? null : JSON.stringify(error) } : {}),
          ...(finished ? { finished_at: sql<Date>`now()` } : {}),
        } as never)
        .where('id', '=', id)
        .execute();
    },

    async job(id: string, trx: Kysely<DB> = db): Promise<(ImportJob & { startedById: string | null }) | undefined> {
      const r = await jobSelect(trx).where('j.id', '=', id).executeTakeFirst();
      return r ? { ...toJob(r as JobRow), startedById: r.started_by } : undefined;
    },

    async jobs(startedBy: string | null, limit: number, offset: number): Promise<{ items: ImportJob[]; total: number }> {
      let q = jobSelect(db);
      let c = db.selectFrom('import_job').select(sql<number>`count(*)::int`.as('n'));
      if (startedBy) {
        q = q.where('j.started_by', '=', startedBy);
        c = c.where('started_by', '=', startedBy);
      }
      const [rows, total] = await Promise.all([q.orderBy('j.started_at', 'desc').limit(limit).offset(offset).execute(), c.executeTakeFirstOrThrow()]);
      return { items: rows.map((r) => toJob(r as JobRow)), total: total.n };
    },

    /** Jobs left running by a process that stopped: they can never finish. */
    async failStale(trx: Kysely<DB> = db) {
      await trx
        .updateTable('import_job')
        .set({
          status: 'failed',
          finished_at: sql<Date>`now()`,
          error: JSON.stringify({ code: 'IMPORT_INTERRUPTED', message: errorCatalog.IMPORT_INTERRUPTED.zh }),
        } as never)
        .where('status', 'in', ['queued', 'running'])
        .execute();
    },

    async insertRejections(jobId: string, rows: { row: number; column: string | null; reason: string; valuesEnc: Buffer }[], trx: Kysely<DB> = db) {
      if (!rows.length) return;
      await trx
        .insertInto('import_rejection')
        .values(rows.map((r) => ({ job_id: jobId, row_no: r.row, column_name: r.column, reason: r.reason, values_enc: r.valuesEnc })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    },

    async deleteRejections(jobId: string, trx: Kysely<DB> = db) {
      await trx.deleteFrom('import_rejection').where('job_id', '=', jobId).execute();
    },

    async rejections(jobId: string, limit: number, offset: number) {
      const [items, total] = await Promise.all([
        db
          .selectFrom('import_rejection')
          .select(['row_no', 'column_name', 'reason', 'values_enc'])
          .where('job_id', '=', jobId)
          .orderBy('row_no')
          .orderBy('reason')
          .limit(limit)
          .offset(offset)
          .execute(),
        db.selectFrom('import_rejection').select(sql<number>`count(*)::int`.as('n')).where('job_id', '=', jobId).executeTakeFirstOrThrow(),
      ]);
      return { items, total: total.n };
    },

    /** Existing persons by blind index (hex) → their grid: an import may update only those it may capture. */
    async personsByBidx(bidx: string[], trx: Kysely<DB> = db): Promise<Map<string, string>> {
      if (!bidx.length) return new Map();
      const r = await sql<{ b: string; grid_id: string }>`
        SELECT encode(id_number_bidx, 'hex') AS b, grid_id FROM person
        WHERE id_number_bidx = ANY(ARRAY(SELECT decode(x, 'hex') FROM unnest(${bidx}::text[]) AS x))`.execute(trx);
      return new Map(r.rows.map((x) => [x.b, x.grid_id]));
    },

    /**
     * One batch of persons in one statement: insert new, update existing (matched by the 身份证号's blind index)
     * only where a value really differs — identifying numbers compared by blind index, never by ciphertext;
     * an empty cell keeps what is stored.
     *
     * The batch travels as one jsonb parameter (an array of row arrays): the server parses it once, where 22
     * array parameters cost a text-array parse each and the driver an escape per element. The import encodes it
     * once into bytes (PersonBatch); on PostgreSQL they go as they are (jsonb's binary input format), where a
     * string parameter made pg measure and encode several megabytes again per batch.
     *
     * Change history: every updated person gets its own `record_change` row, as before. The persons a batch
     * inserts share one row (entity `person_import`, entity_id the job), written only when the batch inserted
     * someone, and each new person points at it through `person.created_change`; the person page reads both
     * (persons.repository `changes`). A million-person import so writes one history row per batch instead of a
     * million rows and two million index entries.
     */
    async upsertPersons(
      payload: PersonBatch,
      actor: Actor,
      note: string,
      trx: Kysely<DB> = db,
      /** Grids the importer may write to (null: all). A row matching a person registered elsewhere is not written but returned in `denied`. */
      capturable: string[] | null = null,
      /** The import job: the entity of the batch's shared creation row. */
      jobId: string | null = null,
    ): Promise<{ inserted: number; updated: number; denied: string[] }> {
      const denied = capturable
        ? sql`, denied AS (
          SELECT s.id_bidx FROM src s JOIN person p ON p.id_number_bidx = decode(s.id_bidx, 'hex')
          WHERE NOT (p.grid_id = ANY(${capturable}::uuid[]))
        )`
        : sql``;
      const allowed = capturable ? sql`WHERE NOT EXISTS (SELECT 1 FROM denied d WHERE d.id_bidx = src.id_bidx)` : sql``;
      const deniedOut = capturable ? sql`(SELECT array_agg(id_bidx) FROM denied)` : sql`NULL::text[]`;
      const batch = options.jsonbAsBytes ? payload : utf8.decode(payload.subarray(1));
      const r = await sql<{ inserted: number; updated: number; denied: string[] | null }>`
        WITH src AS (
          SELECT r->>0 AS name, r->>1 AS id_enc, r->>2 AS id_bidx, r->>3 AS id_masked, r->>4 AS sex, r->>5 AS birth_date,
                 r->>6 AS ethnicity, r->>7 AS phone_enc, r->>8 AS phone_bidx, r->>9 AS phone_masked, r->>10 AS population_type,
                 r->>11 AS hukou_place, r->>12 AS hukou_address, r->>13 AS current_address, r->>14 AS occupation, r->>15 AS workplace,
                 r->>16 AS marital, r->>17 AS political, r->>18 AS education, r->>19 AS grid_id, (r->>20)::float8 AS lng, (r->>21)::float8 AS lat
          FROM jsonb_array_elements(${batch}::jsonb) AS r
        )${denied}, chg AS (
          SELECT nextval(pg_get_serial_sequence('record_change', 'id')) AS id
        ), up AS (
          INSERT INTO person AS p (name, doc_type, id_number_enc, id_number_bidx, id_number_masked, sex, birth_date, ethnicity,
            phone_enc, phone_bidx, phone_masked, population_type, hukou_place, hukou_address, current_address, occupation, workplace,
            marital, political, education, grid_id, geom, created_by, created_change)
          SELECT name, 'id_card', decode(id_enc, 'hex'), decode(id_bidx, 'hex'), id_masked, sex, birth_date::date, ethnicity,
            decode(phone_enc, 'hex'), decode(phone_bidx, 'hex'), phone_masked, population_type, hukou_place, hukou_address, current_address,
            occupation, workplace, marital, political, education, grid_id::uuid,
            CASE WHEN lng IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(lng, lat), 4326) END, ${actor.userId}::uuid, (SELECT id FROM chg)
          FROM src ${allowed}
          ON CONFLICT (id_number_bidx) DO UPDATE SET
            name = excluded.name, sex = excluded.sex, birth_date = excluded.birth_date, population_type = excluded.population_type,
            grid_id = excluded.grid_id,
            ethnicity = coalesce(excluded.ethnicity, p.ethnicity),
            phone_enc = CASE WHEN excluded.phone_bidx IS NOT NULL AND excluded.phone_bidx IS DISTINCT FROM p.phone_bidx THEN excluded.phone_enc ELSE p.phone_enc END,
            phone_bidx = coalesce(excluded.phone_bidx, p.phone_bidx),
            phone_masked = coalesce(excluded.phone_masked, p.phone_masked),
            hukou_place = coalesce(excluded.hukou_place, p.hukou_place),
            hukou_address = coalesce(excluded.hukou_address, p.hukou_address),
            current_address = coalesce(excluded.current_address, p.current_address),
            occupation = coalesce(excluded.occupation, p.occupation),
            workplace = coalesce(excluded.workplace, p.workplace),
            marital = coalesce(excluded.marital, p.marital),
            political = coalesce(excluded.political, p.political),
            education = coalesce(excluded.education, p.education),
            geom = coalesce(excluded.geom, p.geom),
            updated_at = now()
          WHERE (p.name, p.sex, p.birth_date, p.population_type, p.grid_id) IS DISTINCT FROM (excluded.name, excluded.sex, excluded.birth_date, excluded.population_type, excluded.grid_id)
             OR (excluded.ethnicity IS NOT NULL AND excluded.ethnicity IS DISTINCT FROM p.ethnicity)
             OR (excluded.phone_bidx IS NOT NULL AND excluded.phone_bidx IS DISTINCT FROM p.phone_bidx)
             OR (excluded.hukou_place IS NOT NULL AND excluded.hukou_place IS DISTINCT FROM p.hukou_place)
             OR (excluded.hukou_address IS NOT NULL AND excluded.hukou_address IS DISTINCT FROM p.hukou_address)
             OR (excluded.current_address IS NOT NULL AND excluded.current_address IS DISTINCT FROM p.current_address)
             OR (excluded.occupation IS NOT NULL AND excluded.occupation IS DISTINCT FROM p.occupation)
             OR (excluded.workplace IS NOT NULL AND excluded.workplace IS DISTINCT FROM p.workplace)
             OR (excluded.marital IS NOT NULL AND excluded.marital IS DISTINCT FROM p.marital)
             OR (excluded.political IS NOT NULL AND excluded.political IS DISTINCT FROM p.political)
             OR (excluded.education IS NOT NULL AND excluded.education IS DISTINCT FROM p.education)
             OR (excluded.geom IS NOT NULL AND (p.geom IS NULL OR NOT ST_Equals(excluded.geom, p.geom)))
          RETURNING p.id, (xmax = 0) AS ins
        ), created AS (
          INSERT INTO record_change (id, entity, entity_id, actor_id, actor_name, action, note)
          SELECT id, 'person_import', coalesce(${jobId}::uuid, '00000000-0000-0000-0000-000000000000'::uuid), ${actor.userId}::uuid, ${actor.name}, 'import.created', ${note}
          FROM chg WHERE EXISTS (SELECT 1 FROM up WHERE ins)
        ), changed AS (
          INSERT INTO record_change (entity, entity_id, actor_id, actor_name, action, note)
          SELECT 'person', id, ${actor.userId}::uuid, ${actor.name}, 'import.updated', ${note} FROM up WHERE NOT ins
        )
        SELECT (count(*) FILTER (WHERE ins))::int AS inserted, (count(*) FILTER (WHERE NOT ins))::int AS updated, ${deniedOut} AS denied FROM up`.execute(trx);
      const row = r.rows[0];
      return { inserted: row?.inserted ?? 0, updated: row?.updated ?? 0, denied: row?.denied ?? [] };
    },

    /** Merges the person name index's pending list (left long by an import's batches) into the index. */
    async flushNameIndex(trx: Kysely<DB> = db) {
      await sql`SELECT person_name_index_flush()`.execute(trx);
    },

    /** Fresh planner statistics for the tables an import wrote, where it changed their size by a tenth or more. */
    async refreshStatistics(tables: readonly string[], trx: Kysely<DB> = db) {
      return analyzeStaleTables(trx, tables);
    },

    /** Generic single-row upsert for the smaller registers (houses, organisations, facilities); returns what happened. */
    async upsertOne(
      table: 'house' | 'organisation' | 'facility',
      match: { column: string; value: string } | { where: Record<string, string | null> },
      values: Record<string, unknown>,
      point: [number, number] | null,
      actor: Actor,
      note: string,
      trx: Kysely<DB>,
    ): Promise<{ outcome: 'inserted' | 'updated' | 'unchanged'; id: string; gridId: string | null }> {
      const conds =
        'column' in match
          ? sql`${sql.ref(match.column)} = ${match.value}`
          : sql.join(
              Object.entries(match.where).map(([k, v]) => (v === null ? sql`${sql.ref(k)} IS NULL` : sql`${sql.ref(k)} = ${v}`)),
              sql` AND `,
            );
      const existing = await sql<{ id: string; grid_id: string; same: boolean }>`
        SELECT id, grid_id,
          (${sql.join(
            Object.entries(values).map(([k, v]) => (v === null ? sql`true` : sql`${sql.ref(k)} IS NOT DISTINCT FROM ${v}`)),
            sql` AND `,
          )}) AND (${point ? sql`geom IS NOT NULL AND ST_Equals(geom, ST_SetSRID(ST_MakePoint(${point[0]}, ${point[1]}), 4326))` : sql`true`}) AS same
        FROM ${sql.table(table)} WHERE ${conds} LIMIT 1`.execute(trx);
      const geom = point ? sql`ST_SetSRID(ST_MakePoint(${point[0]}, ${point[1]}), 4326)` : sql`NULL`;
      const cur = existing.rows[0];
      if (cur?.same) return { outcome: 'unchanged', id: cur.id, gridId: cur.grid_id };
      const entity = table;
      if (cur) {
        const sets = Object.entries(values)
          .filter(([, v]) => v !== null)
          .map(([k, v]) => sql`${sql.ref(k)} = ${v}`);
        if (point) sets.push(sql`geom = ${geom}`);
        sets.push(sql`updated_at = now()`);
        await sql`UPDATE ${sql.table(table)} SET ${sql.join(sets)} WHERE id = ${cur.id}`.execute(trx);
        await trx
          .insertInto('record_change')
          .values({ entity, entity_id: cur.id, actor_id: actor.userId, actor_name: actor.name, action: 'import.updated', note })
          .execute();
        return { outcome: 'updated', id: cur.id, gridId: cur.grid_id };
      }
      const cols = Object.keys(values);
      const ins = await sql<{ id: string }>`
        INSERT INTO ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))}, geom, created_by)
        VALUES (${sql.join(cols.map((c) => sql`${values[c]}`))}, ${geom}, ${actor.userId}::uuid) RETURNING id`.execute(trx);
      const id = (ins.rows[0] as { id: string }).id;
      await trx
        .insertInto('record_change')
        .values({ entity, entity_id: id, actor_id: actor.userId, actor_name: actor.name, action: 'import.created', note })
        .execute();
      return { outcome: 'inserted', id, gridId: null };
    },

    /** The grid of an existing record matched by the import key (for the scope check before an update). */
    async existingGrid(table: 'house' | 'organisation' | 'facility', column: string, value: string, trx: Kysely<DB> = db): Promise<string | null> {
      const r = await sql<{ grid_id: string }>`SELECT grid_id FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${value} LIMIT 1`.execute(trx);
      return r.rows[0]?.grid_id ?? null;
    },
  };
}
export type RegistryIoRepository = ReturnType<typeof createRegistryIoRepository>;
