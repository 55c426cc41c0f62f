import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption at rest of identifying numbers (身份证号, phone) and the keyed blind index that makes them
 * searchable and unique without storing them in clear.
 *
 * - Ciphertext: version byte (1) ‖ 12-byte random nonce ‖ AES-256-GCM ciphertext ‖ 16-byte tag. The
 *   version byte leaves room for key rotation (a new version with a new key; old rows still decrypt).
 * - Blind index: HMAC-SHA256 over `<kind>:<normalised value>`, truncated to 16 bytes — enough to make
 *   collisions negligible at national scale, short enough to keep the unique index small.
 * - Both keys are derived (HKDF-SHA256) from DATA_ENCRYPTION_KEY with distinct labels, so leaking the
 *   index key does not expose the encryption key and vice versa.
 */
export interface PiiCipher {
  encrypt(plain: string): Buffer;
  decrypt(data: Uint8Array): string;
  /** Blind index of a value; `kind` separates domains (an ID number and a phone never collide). */
  blindIndex(kind: BlindIndexKind, value: string): Buffer;
  /** The derived keys, for the bulk worker (pii-worker.mjs) that does the same work off the main thread. */
  derivedKeys(): { encKey: Buffer; macKey: Buffer };
}

/** What the blind index hashes: `<kind>:<normalised value>` (the bulk worker receives this text). */
export const blindIndexInput = (kind: BlindIndexKind, value: string) => `${kind}:${normaliseForIndex(kind, value)}`;

export type BlindIndexKind = 'id_card' | 'passport' | 'hk_macao' | 'taiwan' | 'foreign_pr' | 'other' | 'phone';

const VERSION = 1;
const NONCE = 12;
const TAG = 16;

/** Normalises before indexing: upper case, no spaces; phones keep digits and '-' only. */
export function normaliseForIndex(kind: BlindIndexKind, value: string): string {
  const v = value.trim().toUpperCase().replace(/\s+/g, '');
  return kind === 'phone' ? v.replace(/[^0-9-]/g, '') : v;
}

/**
 * Random nonces drawn from a pool refilled 4,096 at a time: one getrandom call instead of one per value,
 * which an import of a million people would otherwise spend a tenth of its time on. Each nonce is still
 * 96 fresh random bits, used once.
 */
function noncePool(size = NONCE * 4096) {
  let pool = randomBytes(size);
  let at = 0;
  return () => {
    if (at + NONCE > pool.length) {
      pool = randomBytes(size);
      at = 0;
    }
    const n = pool.subarray(at, at + NONCE);
    at += NONCE;
    return n;
  };
}

export function createPiiCipher(masterKey: Buffer): PiiCipher {
  if (masterKey.length < 32) throw new Error('DATA_ENCRYPTION_KEY must be at least 32 bytes (openssl rand -base64 32)');
  const encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'gridgov pii encryption v1', 32));
  const macKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'gridgov pii blind index v1', 32));
  const nextNonce = noncePool();
  return {
    encrypt(plain) {
      const nonce = nextNonce();
      const c = createCipheriv('aes-256-gcm', encKey, nonce);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([Buffer.from([VERSION]), nonce, body, c.getAuthTag()]);
    },
    decrypt(data) {
      const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      if (buf.length < 1 + NONCE + TAG || buf[0] !== VERSION) throw new Error('pii ciphertext: unknown version or truncated');
      const d = createDecipheriv('aes-256-gcm', encKey, buf.subarray(1, 1 + NONCE));
      d.setAuthTag(buf.subarray(buf.length - TAG));
      return Buffer.concat([d.update(buf.subarray(1 + NONCE, buf.length - TAG)), d.final()]).toString('utf8');
    },
    blindIndex(kind, value) {
      return createHmac('sha256', macKey).update(blindIndexInput(kind, value)).digest().subarray(0, 16);
    },
    derivedKeys: () => ({ encKey, macKey }),
  };
}
