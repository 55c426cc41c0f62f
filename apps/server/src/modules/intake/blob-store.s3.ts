import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Config } from '../../config.js';
import { BlobNotFoundError, type BlobStore } from './blob-store.js';

type Sdk = typeof import('@aws-sdk/client-s3');

const notFound = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
};

/**
 * Attachments as objects of an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, OSS/COS in S3 mode …).
 * One PutObject per file: the file is complete and its length known (the largest, a 2 GB video, is under S3's
 * 5 GB single-request limit), so no multipart upload is needed. The SDK is loaded on first use: an installation
 * on disk storage never pays for it at start.
 */
export function createS3BlobStore(s3: NonNullable<Config['storage']['s3']>): BlobStore {
  let loaded: Promise<{ sdk: Sdk; client: InstanceType<Sdk['S3Client']> }> | null = null;
  const sdk = () => (loaded ??= import('@aws-sdk/client-s3').then((m) => ({ sdk: m, client: makeClient(m) })));
  const makeClient = (m: Sdk) =>
    new m.S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: s3.forcePathStyle,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      // SDK ≥ 3.729 adds CRC32 checksums in an aws-chunked trailer by default; many S3-compatible servers store
      // that framing as the object's bytes or refuse it. Checksums only where the API requires them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  const Bucket = s3.bucket;

  return {
    backend: 's3',
    async putFile(key, file, meta) {
      const { sdk: m, client } = await sdk();
      await client.send(new m.PutObjectCommand({ Bucket, Key: key, Body: createReadStream(file), ContentLength: meta.size, ContentType: meta.contentType }));
    },
    async get(key) {
      try {
        const { sdk: m, client } = await sdk();
        const r = await client.send(new m.GetObjectCommand({ Bucket, Key: key }));
        return r.Body as Readable;
      } catch (err) {
        if (notFound(err)) throw new BlobNotFoundError(key);
        throw err;
      }
    },
    async delete(key) {
      // DeleteObject succeeds for a missing key.
      const { sdk: m, client } = await sdk();
      await client.send(new m.DeleteObjectCommand({ Bucket, Key: key }));
    },
    async head(key) {
      try {
        const { sdk: m, client } = await sdk();
        const r = await client.send(new m.HeadObjectCommand({ Bucket, Key: key }));
        return { size: Number(r.ContentLength ?? 0) };
      } catch (err) {
        if (notFound(err)) return null;
        throw err;
      }
    },
    async check() {
      const { sdk: m, client } = await sdk();
      await client.send(new m.HeadBucketCommand({ Bucket }));
    },
  };
}
