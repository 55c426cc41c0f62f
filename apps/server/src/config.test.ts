import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const SECRET = 'x'.repeat(32);
const KEY = Buffer.alloc(32, 7).toString('base64');

describe('production profile secrets', () => {
  it('refuses to start without SESSION_SECRET and DATA_ENCRYPTION_KEY, naming both', () => {
    let err: unknown;
    try {
      loadConfig({ GRIDGOV_PROFILE: 'production' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toContain('SESSION_SECRET');
    expect(message).toContain('DATA_ENCRYPTION_KEY');
  });

  it('names only the one that is missing', () => {
    expect(() => loadConfig({ GRIDGOV_PROFILE: 'production', SESSION_SECRET: SECRET })).toThrow(/DATA_ENCRYPTION_KEY/);
    expect(() => loadConfig({ GRIDGOV_PROFILE: 'production', DATA_ENCRYPTION_KEY: KEY })).toThrow(/SESSION_SECRET/);
  });

  it('refuses a session secret that is too short or a key that is not 32 bytes', () => {
    expect(() => loadConfig({ GRIDGOV_PROFILE: 'production', SESSION_SECRET: 'short', DATA_ENCRYPTION_KEY: KEY })).toThrow(ConfigError);
    expect(() => loadConfig({ GRIDGOV_PROFILE: 'production', SESSION_SECRET: SECRET, DATA_ENCRYPTION_KEY: 'abc=' })).toThrow(ConfigError);
  });

  it('starts with both, with secure cookies by default', () => {
    const config = loadConfig({ GRIDGOV_PROFILE: 'production', SESSION_SECRET: SECRET, DATA_ENCRYPTION_KEY: KEY });
    expect(config.profile).toBe('production');
    expect(config.sessionSecret).toBe(SECRET);
    expect(config.encryptionKey?.length).toBe(32);
    expect(config.cookieSecure).toBe(true);
  });

  it('the demo profile needs neither (secrets are generated per installation)', () => {
    const config = loadConfig({ GRIDGOV_PROFILE: 'demo' });
    expect(config.sessionSecret).toBeUndefined();
    expect(config.cookieSecure).toBe(false);
  });
});
