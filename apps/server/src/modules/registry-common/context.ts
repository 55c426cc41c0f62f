import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { DB } from '../../db/schema.js';
import type { PiiCipher } from '../../lib/pii-crypto.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { GridIndexKeeper } from '../gridlookup/grid-index.js';
import type { RecordScope } from './record-scope.js';

/** What the registry modules (places, persons, organisations, registry-io) share, built once in app.ts. */
export interface RegistryContext {
  db: Kysely<DB>;
  audit: Pick<AuditRepository, 'append'>;
  /** Scope checks on registry records (region scope + grid-staff narrowing) and list filters. */
  scope: RecordScope;
  /** The in-process point → grid index (refresh it before opening a transaction). */
  index: GridIndexKeeper;
  /** Encryption and blind index of identifying numbers. */
  pii: PiiCipher;
  config: Config;
}
