import { Worker } from 'node:worker_threads';
import { type BlindIndexKind, blindIndexInput, type PiiCipher } from './pii-crypto.js';

/** One batch of work: values to encrypt and values to blind-index (null stays null). Results are hex. */
export interface PiiBatch {
  encrypt: (string | null)[];
  index: ({ kind: BlindIndexKind; value: string } | null)[];
}
export interface PiiBatchResult {
  enc: (string | null)[];
  bidx: (string | null)[];
}

export interface PiiWorker {
  run(batch: PiiBatch): Promise<PiiBatchResult>;
  close(): Promise<void>;
}

/**
 * Encryption and blind indexes of an import, on a worker thread: four crypto operations per person are a third
 * of an import's main-thread time, and the worker does them while the main thread parses the next batch and
 * the database writes the previous one. Falls back to the main thread when a worker cannot start.
 */
export function createPiiWorker(pii: PiiCipher): PiiWorker {
  let worker: Worker | null = null;
  try {
    const { encKey, macKey } = pii.derivedKeys();
    // It holds one batch (a few thousand short strings) at a time: a small heap keeps V8 from letting garbage
    // grow into tens of MB beside the import's own (its default limits are the whole process's).
    worker = new Worker(new URL('./pii-worker.mjs', import.meta.url), {
      workerData: { encKey, macKey },
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 },
    });
    worker.unref();
  } catch {
    worker = null;
  }
  const waiting = new Map<number, { resolve: (r: PiiBatchResult) => void; reject: (e: Error) => void }>();
  let seq = 0;
  worker?.on('message', (m: { seq: number; enc?: (string | null)[]; bidx?: (string | null)[]; error?: string }) => {
    const w = waiting.get(m.seq);
    if (!w) return;
    waiting.delete(m.seq);
    if (m.error) w.reject(new Error(`pii worker: ${m.error}`));
    else w.resolve({ enc: m.enc ?? [], bidx: m.bidx ?? [] });
  });
  worker?.on('error', (err: Error) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  });

  const inThread = (b: PiiBatch): PiiBatchResult => ({
    enc: b.encrypt.map((v) => (v === null ? null : pii.encrypt(v).toString('hex'))),
    bidx: b.index.map((x) => (x === null ? null : pii.blindIndex(x.kind, x.value).toString('hex'))),
  });

  return {
    run(batch) {
      if (!worker) return Promise.resolve(inThread(batch));
      const id = ++seq;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        // Normalised here, with the one normaliser the rest of the server uses.
        (worker as Worker).postMessage({
          seq: id,
          encrypt: batch.encrypt,
          index: batch.index.map((x) => (x === null ? null : blindIndexInput(x.kind, x.value))),
        });
      });
    },
    async close() {
      await worker?.terminate();
      worker = null;
    },
  };
}
