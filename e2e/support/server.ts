import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../apps/server/src/app.js';
import { loadConfig, repoRoot } from '../../apps/server/src/config.js';
import { ensureInstallSecrets } from '../../apps/server/src/lib/install-secrets.js';
import { createTestDatabase, type TestDatabase } from '../../apps/server/test/test-db.js';
import { TEST_ENCRYPTION_KEY } from '../../apps/server/test/test-key.js';

export interface E2EServer {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  app: FastifyInstance;
  /** The spec's private database, for setting up what no screen makes (a push the hotline kept refusing). */
  database: TestDatabase['database'];
  close(): Promise<void>;
}

/**
 * A real gridgov server for one spec file: a private copy of the seeded demo database (the template
 * vitest's globalSetup prepared), the full app, and the built console from apps/web/dist.
 */
export async function startServer(env: Record<string, string> = {}): Promise<E2EServer> {
  const webDist = env.WEB_DIST ?? path.join(repoRoot, 'apps/web/dist');
  if (!existsSync(path.join(webDist, 'index.html'))) throw new Error(`the console is not built (${webDist}); run \`npm run build:web\` first`);
  const tdb = await createTestDatabase();
  const config = ensureInstallSecrets(
    loadConfig({
      GRIDGOV_PROFILE: 'test',
      // The template's demo residents are encrypted with the test key (apps/server/test/test-key.ts).
      DATA_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      LOG_LEVEL: 'silent',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: tdb.dataDir,
      WEB_DIST: webDist,
      ...(tdb.dbConfig.engine === 'postgres' ? { DATABASE_URL: tdb.dbConfig.url } : {}),
      ...env,
    }),
  );
  const app = await buildApp({ config: { ...config, db: tdb.dbConfig }, database: tdb.database, version: 'e2e' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app,
    database: tdb.database,
    async close() {
      await app.close();
      await tdb.cleanup();
    },
  };
}
