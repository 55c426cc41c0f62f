import { afterAll, describe, expect, it } from 'vitest';
import { createPiiCipher } from './pii-crypto.js';
import { createPiiWorker } from './pii-worker.js';

const pii = createPiiCipher(Buffer.alloc(32, 5));
const worker = createPiiWorker(pii);
afterAll(() => worker.close());

describe('bulk PII worker', () => {
  it('encrypts so the main thread decrypts, and indexes exactly as the cipher does', async () => {
    const ids = ['37010219500101001X', '370102195001010029', ' 37010219500101001x '];
    const r = await worker.run({
      encrypt: [...ids, null, '13800000000'],
      index: [...ids.map((value) => ({ kind: 'id_card' as const, value })), null, { kind: 'phone', value: '138 0000 0000' }],
    });
    expect(r.enc.map((h) => (h === null ? null : pii.decrypt(Buffer.from(h, 'hex'))))).toEqual([...ids, null, '13800000000']);
    expect(r.bidx).toEqual([
      pii.blindIndex('id_card', ids[0] as string).toString('hex'),
      pii.blindIndex('id_card', ids[1] as string).toString('hex'),
      // The index normalises: the padded lower-case x is the first number.
      pii.blindIndex('id_card', ids[0] as string).toString('hex'),
      null,
      pii.blindIndex('phone', '13800000000').toString('hex'),
    ]);
    const nonces = new Set(r.enc.filter((h): h is string => h !== null).map((h) => h.slice(2, 26)));
    expect(nonces.size).toBe(4);
  });

  it('answers batches in parallel, each to its own caller', async () => {
    const batches = Array.from({ length: 5 }, (_, i) => ({ encrypt: [`v${i}`], index: [{ kind: 'other' as const, value: `v${i}` }] }));
    const rs = await Promise.all(batches.map((b) => worker.run(b)));
    rs.forEach((r, i) => {
      expect(pii.decrypt(Buffer.from(r.enc[0] as string, 'hex'))).toBe(`v${i}`);
      expect(r.bidx[0]).toBe(pii.blindIndex('other', `v${i}`).toString('hex'));
    });
  });
});
