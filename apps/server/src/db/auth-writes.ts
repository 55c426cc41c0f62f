import type {
  AliasNode,
  ColumnNode,
  ColumnUpdateNode,
  KyselyPlugin,
  OperationNode,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryId,
  QueryResult,
  RootOperationNode,
  TableNode,
  UnknownRow,
} from 'kysely';

/**
 * The tables a signed-in principal is built from (session, user, scopes, served grids, the regions of the scopes,
 * the org unit). A write to one of them moves the auth epoch, and the session cache (auth.service.ts) drops every
 * principal it holds: this process's own changes (logout, a revoked session, a new role or scope) apply to the
 * very next request. Other processes see them within the cache's lifetime.
 */
const WATCHED = new Set(['app_user', 'user_session', 'user_scope', 'grid_staff', 'region', 'org_unit']);
/** Bookkeeping columns that do not change what a principal may do (written on every sign-in and once a minute). */
const BOOKKEEPING = new Set(['last_seen_at', 'last_login_at', 'failed_logins', 'locked_until']);
const RAW_WRITE = /\b(?:insert\s+into|update|delete\s+from)\s+"?(?:app_user|user_session|user_scope|grid_staff|region|org_unit)\b(?!\.)/i;

let epoch = 0;
/** Moves whenever a write to a watched table is sent and again when it has run. */
export const authEpoch = () => epoch;
/** For writes Kysely does not see (the migrations' owner scripts). */
export const bumpAuthEpoch = () => {
  epoch++;
};

function tableName(n: OperationNode | undefined): string | undefined {
  if (!n) return undefined;
  if (n.kind === 'TableNode') return (n as TableNode).table.identifier.name;
  if (n.kind === 'AliasNode') return tableName((n as AliasNode).node);
  return undefined;
}

function onlyBookkeeping(updates: readonly ColumnUpdateNode[] | undefined): boolean {
  return !!updates?.length && updates.every((u) => BOOKKEEPING.has((u.column as ColumnNode).column.name));
}

/** Whether a query writes a watched table (builder queries by their nodes, `sql` templates by their text). */
export function writesAuthTables(node: RootOperationNode): boolean {
  switch (node.kind) {
    case 'InsertQueryNode':
      return WATCHED.has(tableName(node.into) ?? '');
    case 'UpdateQueryNode':
      return WATCHED.has(tableName(node.table) ?? '') && !onlyBookkeeping(node.updates);
    case 'DeleteQueryNode':
      return node.from.froms.some((f) => WATCHED.has(tableName(f) ?? ''));
    case 'RawNode':
      return RAW_WRITE.test(node.sqlFragments.join(' '));
    default:
      return false;
  }
}

/** Kysely plugin: moves the auth epoch around every write to a watched table. */
export class AuthWritesPlugin implements KyselyPlugin {
  readonly #pending = new WeakSet<QueryId>();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (writesAuthTables(args.node)) {
      epoch++;
      this.#pending.add(args.queryId);
    }
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    // Again once it has run: a principal read while the write was under way is not kept.
    if (this.#pending.has(args.queryId)) {
      this.#pending.delete(args.queryId);
      epoch++;
    }
    return args.result;
  }
}
