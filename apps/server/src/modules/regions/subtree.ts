import { type Expression, type SqlBool, sql } from 'kysely';
import type { Principal, ScopeRoot } from '../../http/principal.js';

/** Escapes LIKE wildcards so input matches literally (backslash is PostgreSQL's default escape). */
export const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * `column` lies in one of the subtrees rooted at `paths` (materialised paths '/id/…/'). A prefix
 * LIKE per root, which the `text_pattern_ops` indexes on region.path and audit_log.region_path serve.
 * No roots → false.
 */
export function inSubtrees(column: string, paths: readonly string[]): Expression<SqlBool> {
  if (paths.length === 0) return sql<SqlBool>`false`;
  const parts = paths.map((p) => sql<SqlBool>`${sql.ref(column)} like ${`${likeLiteral(p)}%`}`);
  return parts.length === 1 ? (parts[0] as Expression<SqlBool>) : sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/** The caller's view roots (capture included), without roots nested in another one. */
export function viewRoots(p: Principal): ScopeRoot[] {
  const all = [...p.view, ...p.capture].sort((a, b) => a.path.length - b.path.length);
  const out: ScopeRoot[] = [];
  for (const r of all) if (!out.some((o) => r.path.startsWith(o.path))) out.push(r);
  return out;
}

/** Region ids on a materialised path, root first. */
export const idsOnPath = (path: string) => path.split('/').filter(Boolean);
