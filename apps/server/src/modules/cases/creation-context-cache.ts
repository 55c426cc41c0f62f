import type { CreationContext } from './cases.repository.js';

/** How long a creation context is reused: a change of the org units (a new department, a renamed station) is
 * seen by new cases within this. The category's rules are not trusted from the cache: the insert checks that the
 * cached rules version is still the current one and reads afresh when it is not (case-create.ts). */
export const CREATION_CONTEXT_TTL_MS = 10_000;
/** Entries kept at most (items × communities of a district are a few thousand); past it the cache starts over. */
const MAX_ENTRIES = 20_000;

export interface CreationContextCache {
  get(categoryId: string, regionPath: string, load: () => Promise<CreationContext | undefined>): Promise<CreationContext | undefined>;
  drop(categoryId: string, regionPath: string): void;
}

/**
 * What case creation reads before it inserts (category rules, district code, lead units) per category × region,
 * for intake's hot path: a hit saves one database round trip of the two a report makes.
 */
export function createCreationContextCache(ttlMs = CREATION_CONTEXT_TTL_MS): CreationContextCache {
  const entries = new Map<string, { at: number; ctx: Promise<CreationContext | undefined> }>();
  const keyOf = (categoryId: string, regionPath: string) => `${categoryId}|${regionPath}`;
  return {
    get(categoryId, regionPath, load) {
      const key = keyOf(categoryId, regionPath);
      const t = performance.now();
      const hit = entries.get(key);
      if (hit && t - hit.at < ttlMs) return hit.ctx;
      if (entries.size >= MAX_ENTRIES) entries.clear();
      const ctx = load();
      const entry = { at: t, ctx };
      entries.set(key, entry);
      // A failed or empty answer (unknown category) is not kept.
      ctx.then(
        (v) => {
          if (!v && entries.get(key) === entry) entries.delete(key);
        },
        () => {
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      return ctx;
    },
    drop(categoryId, regionPath) {
      entries.delete(keyOf(categoryId, regionPath));
    },
  };
}
