import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';

/**
 * Demo and test installations get a session secret and a data-encryption key generated once and kept
 * in `<dataDir>/secrets.json` (mode 600), so a restart keeps sessions and encrypted data readable.
 * Production never reaches this: config.ts refuses to start without both secrets.
 */
export function ensureInstallSecrets(config: Config): Config {
  if (config.sessionSecret && config.encryptionKey) return config;
  if (config.profile === 'production') throw new Error('production requires SESSION_SECRET and DATA_ENCRYPTION_KEY');
  const file = path.join(config.dataDir, 'secrets.json');
  let saved: { sessionSecret: string; encryptionKey: string };
  if (existsSync(file)) {
    saved = JSON.parse(readFileSync(file, 'utf8'));
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    saved = { sessionSecret: randomBytes(32).toString('base64url'), encryptionKey: randomBytes(32).toString('base64') };
    writeFileSync(file, JSON.stringify(saved), { mode: 0o600 });
  }
  return {
    ...config,
    sessionSecret: config.sessionSecret ?? saved.sessionSecret,
    encryptionKey: config.encryptionKey ?? Buffer.from(saved.encryptionKey, 'base64'),
  };
}
