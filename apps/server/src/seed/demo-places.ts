import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** Demo buildings, houses, organisations, facilities and key places in the demo grids. */
export async function seedDemoPlaces(_trx: Kysely<DB>, _byCode: Map<string, { id: string; path: string }>, _userIds: Map<string, string>): Promise<void> {}
