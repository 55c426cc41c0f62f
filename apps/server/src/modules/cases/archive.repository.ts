import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** The SQL of the case archive: what the case detail does not carry (file locations, ratings, the case's region path). */
export function createArchiveRepository(db: Kysely<DB>) {
  return {
    /** Photos of the case with where they sit in storage and the timeline step they belong to. */
    async photos(caseId: string) {
      return db
        .selectFrom('event_case_attachment as x')
        .leftJoin('event_case_action as a', 'a.id', 'x.action_id')
        .select(['x.id', 'x.mime', 'x.storage', 'x.storage_key', 'x.purpose', 'x.original_name', 'x.created_at', 'a.seq', 'a.action'])
        .where('x.case_id', '=', caseId)
        .where('x.kind', '=', 'photo')
        .orderBy('x.created_at')
        .orderBy('x.id')
        .execute();
    },

    async ratings(caseId: string) {
      return db
        .selectFrom('event_case_rating')
        .select(['source', 'rating', 'comment', 'created_at'])
        .where('case_id', '=', caseId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    async regionOf(caseId: string) {
      return db.selectFrom('event_case').select(['region_id', 'region_path']).where('id', '=', caseId).executeTakeFirst();
    },
  };
}
export type ArchiveRepository = ReturnType<typeof createArchiveRepository>;
