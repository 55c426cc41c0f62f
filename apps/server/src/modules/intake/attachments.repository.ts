import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, EventCaseAttachmentTable } from '../../db/schema.js';

/** An attachment as intake reads it (the table's row without the timeline link and purpose). */
export type AttachmentRow = Omit<Selectable<EventCaseAttachmentTable>, 'action_id' | 'purpose'>;

const COLUMNS = ['id', 'case_id', 'kind', 'mime', 'size_bytes', 'sha256', 'storage', 'storage_key', 'original_name', 'uploaded_by', 'created_at'] as const;

/** The SQL of attachment rows (the bytes live in a blob store). */
export function createAttachmentsRepository(db: Kysely<DB>) {
  return {
    async insert(a: Omit<AttachmentRow, 'case_id' | 'created_at'> & { purpose: string }): Promise<AttachmentRow> {
      return (await db
        .insertInto('event_case_attachment')
        .values({
          id: a.id,
          kind: a.kind,
          mime: a.mime,
          size_bytes: a.size_bytes,
          sha256: a.sha256,
          storage: a.storage,
          storage_key: a.storage_key,
          original_name: a.original_name,
          uploaded_by: a.uploaded_by,
          purpose: a.purpose,
        })
        .returning(COLUMNS)
        .executeTakeFirstOrThrow()) as AttachmentRow;
    },

    async byId(id: string): Promise<AttachmentRow | undefined> {
      return (await db.selectFrom('event_case_attachment').select(COLUMNS).where('id', '=', id).executeTakeFirst()) as AttachmentRow | undefined;
    },

    /**
     * Deletes up to `limit` uploads that are still unlinked and older than `before`, and returns where their
     * bytes are. One statement: with several processes each row is deleted (and reported) by exactly one of them.
     * SKIP LOCKED passes over a row a report is linking right now; the outer `case_id IS NULL` is re-checked on
     * the row's newest version, so an upload linked meanwhile stays.
     */
    async deleteUnlinkedBefore(before: Date, limit: number): Promise<{ id: string; storage: string; storage_key: string }[]> {
      const r = await sql<{ id: string; storage: string; storage_key: string }>`
        DELETE FROM event_case_attachment
        WHERE case_id IS NULL AND id IN (
          SELECT id FROM event_case_attachment
          WHERE case_id IS NULL AND created_at < ${before}
          ORDER BY created_at
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        RETURNING id, storage, storage_key`.execute(db);
      return r.rows;
    },
  };
}

export type AttachmentsRepository = ReturnType<typeof createAttachmentsRepository>;
