import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/**
 * Put in a hot statement's SQL (a comment: PGlite and psql ignore it). On PostgreSQL the statement then runs as a
 * named prepared statement, parsed once per connection; after five runs PostgreSQL keeps a generic plan when it
 * costs no more than the custom ones. Measured on intake (bench/cases.bench.ts): parsing and planning were most of
 * the database's CPU per report, more than executing. Only for short statements whose plan does not depend on the
 * values (lookups by key, inserts): a search whose best plan depends on its pattern stays unprepared.
 */
export const PREPARED = '/* gridgov:prepared */';

/** SQLSTATEs after which a connection's prepared statements are not to be trusted: drop the connection. */
const STALE_STATEMENT = new Set([
  '0A000', // cached plan must not change result type (the schema changed under the statement)
  '26000', // invalid_sql_statement_name
  '42P05', // duplicate_prepared_statement
]);

const names = new Map<string, string>();
/** A stable name per SQL text (the same on every connection). */
function nameOf(text: string): string {
  let n = names.get(text);
  if (!n) {
    n = `gg_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    // The marked texts are a few dozen; the bound only guards against a marked text built from values.
    if (names.size > 1000) names.clear();
    names.set(text, n);
  }
  return n;
}

/**
 * The pool as Kysely's PostgresDialect wants it, sending marked statements as named prepared statements.
 * Kysely keys its connection objects by client, so each pg client keeps one wrapper.
 */
export function withPreparedStatements(pool: pg.Pool): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient & { stale: boolean }>();
  return {
    async connect() {
      const client = await pool.connect();
      let w = wrappers.get(client);
      if (!w) {
        const self: PostgresPoolClient & { stale: boolean } = {
          stale: false,
          query(textOrCursor: unknown, values?: readonly unknown[]) {
            if (typeof textOrCursor !== 'string') return client.query(textOrCursor as never) as never;
            if (!textOrCursor.includes(PREPARED)) return client.query(textOrCursor, values as unknown[]) as never;
            return client.query({ name: nameOf(textOrCursor), text: textOrCursor, values: values as unknown[] }).catch((err: { code?: string }) => {
              if (err?.code && STALE_STATEMENT.has(err.code)) self.stale = true;
              throw err;
            }) as never;
          },
          release() {
            // A connection whose statements went stale is closed, not pooled: the next one prepares afresh.
            if (self.stale) {
              wrappers.delete(client);
              client.release(true);
            } else client.release();
          },
        };
        w = self;
        wrappers.set(client, w);
      }
      return w;
    },
    end: () => pool.end(),
  };
}
