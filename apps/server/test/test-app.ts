import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { ensureInstallSecrets } from '../src/lib/install-secrets.js';
import { DEMO_PASSWORD } from '../src/seed/demo-district.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';
import { TEST_ENCRYPTION_KEY } from './test-key.js';

export interface TestSession {
  cookie: string;
  csrf: string;
}

export interface TestApp extends TestDatabase {
  app: FastifyInstance;
  /** Signs in as a demo user (demo password unless given) and returns cookie + CSRF token. */
  login(username: string, password?: string): Promise<TestSession>;
  /** An injected request carrying a session (cookie + CSRF header on writes). */
  as(session: TestSession | null, opts: { method: string; url: string; payload?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const tdb = await createTestDatabase();
  const config = ensureInstallSecrets(
    loadConfig({
      GRIDGOV_PROFILE: 'test',
      // The key the template's demo residents were encrypted with (test/test-key.ts).
      DATA_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      LOG_LEVEL: 'silent',
      DATA_DIR: tdb.dataDir,
      ...(tdb.dbConfig.engine === 'postgres' ? { DATABASE_URL: tdb.dbConfig.url } : {}),
      ...env,
    }),
  );
  const app = await buildApp({ config: { ...config, db: tdb.dbConfig }, database: tdb.database, version: 'test' });
  await app.ready();
  const t: TestApp = {
    ...tdb,
    app,
    async login(username, password = DEMO_PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'gridgov_sid');
      if (!cookie) throw new Error('login set no session cookie');
      return { cookie: `gridgov_sid=${cookie.value}`, csrf: (res.json() as { csrfToken: string }).csrfToken };
    },
    as(session, { method, url, payload, headers = {} }) {
      const h: Record<string, string> = { ...headers };
      // A request that carries its own cookie (another session of the user) keeps it.
      if (session && !h.cookie) {
        h.cookie = session.cookie;
        if (!['GET', 'HEAD', 'OPTIONS'].includes(method)) h['x-csrf-token'] = session.csrf;
      }
      return app.inject({ method: method as 'GET', url, payload: payload as object, headers: h });
    },
    async close() {
      await app.close();
      await tdb.cleanup();
    },
  };
  return t;
}
