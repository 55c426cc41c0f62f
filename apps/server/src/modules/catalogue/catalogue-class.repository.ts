import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

/** SQL of class-level catalogue edits (rename, order, active). Writes take a transaction. */
export function createCatalogueClassRepository(db: Kysely<DB>) {
  return {
    db,
    /**
     * The class row, locked for the rest of the transaction: FOR UPDATE by a class deactivation, FOR SHARE by
     * an item activation, so the two cannot interleave and leave an active item in an inactive class.
     */
    async lockClass(id: string, mode: 'update' | 'share', trx: Kysely<DB>): Promise<{ id: string; code: string; name: string; active: boolean } | undefined> {
      const r = await sql<{ id: string; code: string; name: string; active: boolean }>`
        SELECT id, code, name, active FROM event_category WHERE id = ${id} AND kind = 'class'
        ${mode === 'update' ? sql`FOR UPDATE` : sql`FOR SHARE`}`.execute(trx);
      return r.rows[0];
    },
    async activeItemCodes(classId: string, trx: Kysely<DB>): Promise<string[]> {
      const rows = await trx
        .selectFrom('event_category')
        .select('code')
        .where('parent_id', '=', classId)
        .where('kind', '=', 'item')
        .where('active', '=', true)
        .orderBy('sort_order')
        .orderBy('code')
        .execute();
      return rows.map((r) => r.code);
    },
    async classIds(trx: Kysely<DB> = db): Promise<string[]> {
      const rows = await trx.selectFrom('event_category').select('id').where('kind', '=', 'class').execute();
      return rows.map((r) => r.id);
    },
    async rename(id: string, name: string, trx: Kysely<DB>): Promise<void> {
      await trx.updateTable('event_category').set({ name, updated_at: sql`now()` }).where('id', '=', id).execute();
    },
    async setActive(id: string, active: boolean, trx: Kysely<DB>): Promise<void> {
      await trx.updateTable('event_category').set({ active, updated_at: sql`now()` }).where('id', '=', id).execute();
    },
    /** sort_order = position in the list (one statement). */
    async reorder(ids: string[], trx: Kysely<DB>): Promise<void> {
      await sql`UPDATE event_category c SET sort_order = o.ord - 1, updated_at = now()
        FROM unnest(${ids}::uuid[]) WITH ORDINALITY AS o(id, ord)
        WHERE c.id = o.id AND c.kind = 'class'`.execute(trx);
    },
  };
}
export type CatalogueClassRepository = ReturnType<typeof createCatalogueClassRepository>;
