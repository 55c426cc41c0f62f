import { describe, expect, it } from 'vitest';
import { createPiiCipher } from './pii-crypto.js';

const key = Buffer.alloc(32, 3);

describe('PII cipher', () => {
  const pii = createPiiCipher(key);

  it('round-trips and never repeats a nonce, across pool refills', () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const c = pii.encrypt(`37010219500101${String(i).padStart(4, '0')}`);
      expect(c[0]).toBe(1);
      nonces.add(c.subarray(1, 13).toString('hex'));
      if (i % 997 === 0) expect(pii.decrypt(c)).toBe(`37010219500101${String(i).padStart(4, '0')}`);
    }
    expect(nonces.size).toBe(10_000);
  });

  it('holds no plaintext and refuses tampered ciphertext or another key', () => {
    const c = pii.encrypt('13800000000');
    expect(c.toString('latin1')).not.toContain('13800000000');
    const bad = Buffer.from(c);
    bad[bad.length - 20] = (bad[bad.length - 20] as number) ^ 1;
    expect(() => pii.decrypt(bad)).toThrow();
    expect(() => createPiiCipher(Buffer.alloc(32, 4)).decrypt(c)).toThrow();
  });

  it('blind index: deterministic per key and kind, normalised, 16 bytes', () => {
    const a = pii.blindIndex('id_card', '37010219500101001x');
    expect(a).toHaveLength(16);
    expect(pii.blindIndex('id_card', ' 37010219500101001X ')).toEqual(a);
    expect(pii.blindIndex('passport', '37010219500101001X')).not.toEqual(a);
    expect(createPiiCipher(Buffer.alloc(32, 4)).blindIndex('id_card', '37010219500101001X')).not.toEqual(a);
    expect(pii.blindIndex('phone', '138 0000 0000')).toEqual(pii.blindIndex('phone', '13800000000'));
  });

  it('refuses a short key', () => {
    expect(() => createPiiCipher(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});
