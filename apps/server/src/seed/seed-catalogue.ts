import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { defaultCatalogue } from './default-catalogue.js';

/**
 * Writes the default event catalogue (3 classes × 20 items, version 1 of each item's rules) into an
 * installation that has none. Runs at every start in every profile (a new jurisdiction starts with the
 * default list and edits it), so it must be cheap when the catalogue exists: one COUNT.
 */
export async function ensureDefaultCatalogue(db: Kysely<DB>): Promise<{ seeded: boolean }> {
  const has = await db.selectFrom('event_category').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(has.n) > 0) return { seeded: false };
  await db.transaction().execute(async (trx) => {
    let classOrder = 0;
    for (const c of defaultCatalogue) {
      const cls = await trx
        .insertInto('event_category')
        .values({ code: c.code, name: c.name, kind: 'class', sort_order: classOrder++ })
        .returning('id')
        .executeTakeFirstOrThrow();
      const items = await trx
        .insertInto('event_category')
        .values(c.items.map((i, n) => ({ parent_id: cls.id, code: i.code, name: i.name, kind: 'item' as const, sort_order: n })))
        .returning(['id', 'code'])
        .execute();
      const byCode = new Map(items.map((r) => [r.code, r.id]));
      await trx
        .insertInto('event_category_version')
        .values(
          c.items.map((i) => ({
            category_id: byCode.get(i.code) as string,
            version: 1,
            dept_code: i.dept,
            level: i.level,
            limits: JSON.stringify(i.limits),
            self_dispose: i.selfDispose,
            admitted: i.admitted,
            feedback: i.feedback,
            closure: i.closure,
            keywords: JSON.stringify(i.keywords),
          })),
        )
        .execute();
    }
  });
  return { seeded: true };
}
