import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../../http/principal.js';

/** Fields whose values never go into the change history: the history says only that they changed. */
export const PII_FIELDS = new Set(['idNumber', 'phone']);

/**
 * Appends one entry to a registry record's change history (the 变更记录 of the person/house page):
 * who, when, what kind of change and which fields. Values are not copied: the audit log and the
 * record itself hold them, and identifying numbers must not leak into a second place.
 */
export async function recordChange(
  trx: Kysely<DB>,
  e: {
    entity: 'person' | 'house' | 'building' | 'organisation' | 'facility' | 'key_place';
    entityId: string;
    actor: Principal | null;
    action: string;
    fields?: string[];
    note?: string | null;
  },
): Promise<void> {
  await trx
    .insertInto('record_change')
    .values({
      entity: e.entity,
      entity_id: e.entityId,
      actor_id: e.actor?.userId ?? null,
      actor_name: e.actor?.displayName ?? null,
      action: e.action,
      fields: e.fields ?? [],
      note: e.note ?? null,
    })
    .execute();
}
