import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { tokenHash } from '../auth/session-token.js';
import { newApiToken } from '../tokens/token-secret.js';

/** The demo administrator owns the demo Open311 key (only administrators manage API tokens). */
const OWNER = 'admin';
const DISTRICT_CODE = '370118';
const NAME = 'Open311 演示客户端';

/**
 * The demo profile's Open311 api_key: an ordinary API token (stored hashed, `case.report` over the demo
 * district, owned by the administrator), whose clear value is kept beside the other demo secrets in
 * DATA_DIR/secrets.json (mode 600) so every restart prints the same key. A key revoked in the console is
 * replaced by a new one at the next start. Returns null when the demo district is not there.
 */
export async function ensureDemoOpen311Key(db: Kysely<DB>, dataDir: string, secret: string): Promise<string | null> {
  const file = path.join(dataDir, 'secrets.json');
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const known = typeof saved.demoOpen311Key === 'string' ? saved.demoOpen311Key : null;
  if (known) {
    const row = await db.selectFrom('api_token').select(['id', 'revoked_at']).where('token_hash', '=', tokenHash(known, secret)).executeTakeFirst();
    if (row && !row.revoked_at) return known;
  }
  const owner = await db.selectFrom('app_user').select('id').where('username', '=', OWNER).executeTakeFirst();
  const district = await db.selectFrom('region').select('id').where('code', '=', DISTRICT_CODE).executeTakeFirst();
  if (!owner || !district) return null;
  const { token, prefix } = newApiToken();
  await db
    .insertInto('api_token')
    .values({
      name: NAME,
      prefix,
      token_hash: tokenHash(token, secret),
      permissions: ['case.report'],
      region_ids: [district.id],
      created_by: owner.id,
      expires_at: null,
    })
    .execute();
  writeFileSync(file, JSON.stringify({ ...saved, demoOpen311Key: token }), { mode: 0o600 });
  return token;
}

/** The lines the demo start prints under the accounts: the key and a request to try. */
export function printOpen311Demo(key: string, url: string) {
  console.log(`  Open311 GeoReport v2: ${url}/open311/v2/services.json`);
  console.log(`    演示 api_key: ${key}`);
  console.log('    试一试 / try:');
  console.log(`    curl -s -X POST ${url}/open311/v2/requests.json \\`);
  console.log(`      -d api_key=${key} -d service_code=0301 -d lat=36.65816 -d long=117.00136 \\`);
  console.log(`      --data-urlencode 'description=小区门口垃圾桶满溢，垃圾散落在路边' --data-urlencode 'address_string=共青团路小区8号'`);
  console.log('');
}
