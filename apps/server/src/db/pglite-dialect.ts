import type { PGlite } from '@electric-sql/pglite';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * A Kysely dialect over one PGlite instance. Written here because the published PGlite dialects
 * declare peer ranges that stop before PGlite 0.5 (the version pglite-postgis requires).
 *
 * PGlite is a single backend session, so a Kysely "connection" is that session: a mutex hands it to
 * one user at a time. Without it, two concurrent requests would interleave statements inside each
 * other's transactions.
 */
class Mutex {
  #tail: Promise<void> = Promise.resolve();
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => {
      release = r;
    });
    const prev = this.#tail;
    this.#tail = prev.then(() => next);
    return prev.then(() => release);
  }
}

/**
 * How long a query may wait for the session. The usual reason to wait this long is not load but a
 * bug: a query on `db` instead of `trx` inside a transaction waits for the very session its own
 * transaction holds. On PostgreSQL that query would just take another connection; here it would hang
 * forever, so it fails with a message that names the likely cause.
 */
export const SESSION_WAIT_MS = 20_000;

export class SessionWaitTimeout extends Error {
  constructor() {
    super(`PGlite session busy for ${SESSION_WAIT_MS / 1000} s: is a query using \`db\` instead of the transaction \`trx\` inside db.transaction()?`);
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pg: PGlite) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const res = await this.pg.query<R>(compiled.sql, compiled.parameters as unknown[]);
    const affected = res.affectedRows;
    const command = compiled.query.kind;
    const isWrite = command === 'InsertQueryNode' || command === 'UpdateQueryNode' || command === 'DeleteQueryNode' || command === 'MergeQueryNode';
    return {
      rows: res.rows,
      ...(isWrite || affected ? { numAffectedRows: BigInt(affected ?? 0) } : {}),
    };
  }

  // biome-ignore lint/correctness/useYield: PGlite has no cursors over this interface
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streamQuery is not supported on PGlite; page with keyset queries instead');
  }
}

class PGliteDriver implements Driver {
  readonly #mutex = new Mutex();
  readonly #conn: PGliteConnection;
  #release: (() => void) | undefined;

  constructor(private readonly pg: PGlite) {
    this.#conn = new PGliteConnection(pg);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const granted = this.#mutex.lock();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), SESSION_WAIT_MS);
    });
    const release = await Promise.race([granted, timeout]);
    clearTimeout(timer);
    if (!release) {
      // Give our place in the queue back as soon as it comes, so later queries are not blocked by it.
      void granted.then((r) => r());
      throw new SessionWaitTimeout();
    }
    this.#release = release;
    return this.#conn;
  }
  async beginTransaction(_conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const iso = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await this.pg.exec(`begin${iso}`);
  }
  async commitTransaction(): Promise<void> {
    await this.pg.exec('commit');
  }
  async rollbackTransaction(): Promise<void> {
    await this.pg.exec('rollback');
  }
  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }
  async destroy(): Promise<void> {
    await this.pg.close();
  }
}

export class PGliteDialect implements Dialect {
  constructor(private readonly pg: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pg);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  // biome-ignore lint/suspicious/noExplicitAny: Kysely's own signature
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
}
