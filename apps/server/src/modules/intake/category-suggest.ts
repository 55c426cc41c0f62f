import type { CategorySuggestion } from '@gridgov/contracts/intake';
import type { CategoryRow } from './intake.repository.js';

const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/**
 * Catalogue items whose keywords (or name) occur in the text, best first. A term scores its length in
 * characters (燃气泄漏 beats 燃气), the item's own name counts double; ties go to the lower code.
 */
export function suggestCategories(items: readonly CategoryRow[], text: string, limit = 5): CategorySuggestion[] {
  const t = norm(text);
  if (!t) return [];
  const out: CategorySuggestion[] = [];
  for (const it of items) {
    const matched: string[] = [];
    let score = 0;
    if (t.includes(norm(it.name))) {
      matched.push(it.name);
      score += 2 * it.name.length;
    }
    for (const k of it.keywords) {
      const nk = norm(k);
      if (nk && t.includes(nk) && !matched.includes(k)) {
        matched.push(k);
        score += nk.length;
      }
    }
    if (score > 0) out.push({ id: it.id, code: it.code, name: it.name, className: it.class_name, score, matched, selfDispose: it.self_dispose });
  }
  return out.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code)).slice(0, limit);
}

/** The catch-all item (其他…, no keywords) a report falls into when its text matches nothing: the first by code. */
export function catchAllCategory(items: readonly CategoryRow[]): CategoryRow | undefined {
  return items.find((i) => i.keywords.length === 0 && i.name.startsWith('其他')) ?? items.find((i) => i.keywords.length === 0);
}
