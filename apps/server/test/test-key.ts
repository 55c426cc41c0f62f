import { createPiiCipher } from '../src/lib/pii-crypto.js';

/**
 * The data-encryption key of the test template: the template's demo residents are encrypted with it once
 * per run, and every test app is configured with the same key so it can read them. Test-only.
 */
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');
export const testPii = createPiiCipher(Buffer.from(TEST_ENCRYPTION_KEY, 'base64'));
