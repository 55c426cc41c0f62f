import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, repoRoot } from './config.js';
import { openDatabase } from './db/client.js';
import { migrate } from './db/migrate.js';
import { startJobs } from './jobs/index.js';
import { acquireLock, DataDirLockedError, updateLock } from './lib/data-dir-lock.js';
import { ensureInstallSecrets } from './lib/install-secrets.js';
import { createPiiCipher } from './lib/pii-crypto.js';
import { ensureDemoOpen311Key, printOpen311Demo } from './modules/open311/demo-token.js';
import { printDemoBanner, seedDemoIfEmpty } from './seed/demo.js';
import { ensureDefaultCatalogue } from './seed/seed-catalogue.js';

const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** Start: config → lock → db → migrations → (demo seed) → app → listen. */
async function main() {
  const t0 = performance.now();
  // Start-up phases (ms since main began), logged with "gridgov ready" so a slow start can be explained.
  const phases: Record<string, number> = {};
  const mark = (name: string) => {
    phases[name] = Math.round(performance.now() - t0);
  };
  const config = ensureInstallSecrets(loadConfig());
  const lock = acquireLock(config.dataDir, { port: config.port, host: config.host });
  process.on('exit', lock.release);
  // Load the HTTP layer while the database opens: PGlite spends most of its ~3 s compiling PostGIS's
  // WebAssembly, which V8 does largely off the main thread.
  const appModule = import('./app.js');
  const database = await openDatabase(config.db);
  mark('dbOpen');
  const migrated = await migrate(database);
  mark('migrated');
  // Every installation starts with the default event catalogue (editable afterwards).
  await ensureDefaultCatalogue(database.db);
  const demo = config.profile === 'demo' ? await seedDemoIfEmpty(database, createPiiCipher(config.encryptionKey as Buffer)) : null;
  mark('seedChecked');
  const { buildApp } = await appModule;
  mark('appLoaded');
  const app = await buildApp({ config, database, version, cliSecret: lock.cliSecret });
  mark('appBuilt');
  await app.listen({ port: config.port, host: config.host });
  mark('listening');
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  updateLock(config.dataDir, { port });
  const jobs = startJobs({ database, log: app.log, config });

  const url = `http://localhost:${port}`;
  app.log.info(
    { engine: database.engine, migration: migrated.current, applied: migrated.applied, readyMs: Math.round(performance.now() - t0), phases },
    'gridgov ready',
  );
  console.log(`\n  gridgov 网格化服务管理平台 已启动 / ready: ${url}`);
  console.log(
    `  数据库 / database: ${database.engine === 'pglite' ? `嵌入式 PGlite (${config.db.engine === 'pglite' ? config.db.dataDir : ''})` : 'PostgreSQL'}`,
  );
  if (demo) printDemoBanner(demo, url);
  if (demo) {
    // The demo's Open311 api_key (kept in DATA_DIR/secrets.json, the same key on every start) and a request to try.
    const key = await ensureDemoOpen311Key(database.db, config.dataDir, config.sessionSecret as string);
    if (key) printOpen311Demo(key, url);
  }

  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await jobs.stop();
    await app.close();
    await database.close();
    lock.release();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(err.message);
  } else {
    console.error('gridgov 启动失败 / failed to start:', err);
  }
  process.exit(1);
});
