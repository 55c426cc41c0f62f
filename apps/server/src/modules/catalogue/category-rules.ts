import type { CatalogueRules } from '@gridgov/contracts/catalogue';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { createCatalogueRepository } from './catalogue.repository.js';
import { toRules } from './catalogue.service.js';

/**
 * The rules of a catalogue item at a version (a case's `category_version`), or the current version when
 * none is given; undefined for an unknown item or version. For the case modules (stage limits, level,
 * 自行处置, 网格准入): pass the transaction as `db` inside one.
 */
export async function categoryRulesAt(db: Kysely<DB>, categoryId: string, version?: number): Promise<CatalogueRules | undefined> {
  const repo = createCatalogueRepository(db);
  const c = await repo.findCategory(categoryId);
  if (c?.kind !== 'item') return undefined;
  const v = await repo.version(categoryId, version ?? c.current_version);
  return v && toRules(v);
}
