import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root: default paths hang off it so `npm start` from any workspace agrees. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * Every setting gridgov reads from the environment, parsed once at boot. `process.env` is read
 * nowhere else. The production profile has no defaults for secrets and refuses to start without them.
 */
const EnvSchema = z
  .object({
    GRIDGOV_PROFILE: z
      .enum(['demo', 'production', 'test'])
      .default('demo')
      .describe('demo seeds the demo district and prints demo accounts; production never does'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: z.string().url().optional().describe('postgres://… — when set, PostgreSQL + PostGIS is used instead of the embedded database'),
    DATA_DIR: z.string().default(path.join(repoRoot, 'data')).describe('embedded database and uploaded files'),
    SESSION_SECRET: z.string().min(32).optional(),
    DATA_ENCRYPTION_KEY: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64 (openssl rand -base64 32)')
      .optional(),
    SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
    SESSION_IDLE_MINUTES: z.coerce.number().positive().default(120),
    LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
    LOGIN_LOCK_MINUTES: z.coerce.number().positive().default(15),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRUST_PROXY: bool.default(false),
    COOKIE_SECURE: bool.optional().describe('defaults to true in production'),
    WEB_DIST: z.string().default(path.join(repoRoot, 'apps/web/dist')),
    BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
    DB_POOL_SIZE: z.coerce.number().int().positive().default(10),
    DB_PREPARED_STATEMENTS: bool
      .default(true)
      .describe('hot statements (session lookup, case intake) as named prepared statements; false behind a pooler in transaction mode (PgBouncer < 1.21)'),
    ATTACHMENT_PHOTO_MAX_MB: z.coerce.number().positive().max(500).default(10).describe('largest photo a report may carry (JPEG/PNG/WebP)'),
    ATTACHMENT_AUDIO_MAX_MB: z.coerce.number().positive().max(500).default(10).describe('largest audio file (MP3/AAC/AMR/M4A)'),
    ATTACHMENT_VIDEO_MAX_MB: z.coerce.number().positive().max(2000).default(50).describe('largest video (MP4)'),
    ATTACHMENT_STORAGE: z
      .enum(['disk', 's3'])
      .default('disk')
      .describe('where attachment files go: disk = DATA_DIR/uploads; s3 = an S3-compatible bucket (S3_* settings)'),
    ATTACHMENT_UNLINKED_MAX_HOURS: z.coerce
      .number()
      .positive()
      .max(8760)
      .default(24)
      .describe('an upload no report or action linked within these hours is deleted (row and file)'),
    S3_ENDPOINT: z.string().url().optional().describe('S3-compatible server, e.g. http://minio:9000 (unset: AWS S3 of S3_REGION)'),
    S3_REGION: z.string().min(1).optional().describe('signing region (default us-east-1 with S3_ENDPOINT; required for AWS S3)'),
    S3_BUCKET: z.string().min(3).max(63).optional(),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    S3_FORCE_PATH_STYLE: bool.default(false).describe('http://host/bucket/key instead of http://bucket.host/key (MinIO and most self-hosted servers)'),
    OPEN311_MEDIA_FETCH_TIMEOUT_S: z.coerce.number().positive().max(120).default(10).describe('Open311 media_url: the whole download must finish within this'),
    OPEN311_MEDIA_PRIVATE_HOSTS: bool
      .default(false)
      .describe('Open311 media_url may point at loopback/private/link-local addresses (off: a client could make the server probe the internal network)'),
    DUPLICATE_RADIUS_M: z.coerce.number().positive().max(5000).default(100).describe('duplicate candidates: same category within this distance'),
    DUPLICATE_WINDOW_HOURS: z.coerce.number().positive().max(2160).default(72).describe('duplicate candidates: reported within these hours'),
    HOTLINE_WEBHOOK_URL: z.string().url().optional().describe('12345 hotline: where status changes of its cases are pushed (POST, JSON)'),
    HOTLINE_WEBHOOK_SECRET: z.string().min(16).optional().describe('key of the X-Gridgov-Signature HMAC-SHA256 of each push'),
  })
  .superRefine((env, ctx) => {
    if (env.HOTLINE_WEBHOOK_URL && !env.HOTLINE_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['HOTLINE_WEBHOOK_SECRET'], message: 'required with HOTLINE_WEBHOOK_URL (the pushes are signed with it)' });
    }
    if (env.ATTACHMENT_STORAGE === 's3') {
      const need: ('S3_BUCKET' | 'S3_ACCESS_KEY_ID' | 'S3_SECRET_ACCESS_KEY' | 'S3_REGION')[] = ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'];
      if (!env.S3_ENDPOINT) need.push('S3_REGION');
      for (const k of need) {
        if (!env[k])
          ctx.addIssue({
            code: 'custom',
            path: [k],
            message: `required with ATTACHMENT_STORAGE=s3${k === 'S3_REGION' ? ' when S3_ENDPOINT is not set (AWS S3)' : ''}`,
          });
      }
    }
    if (env.GRIDGOV_PROFILE !== 'production') return;
    if (!env.SESSION_SECRET) ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'required in production (at least 32 characters)' });
    if (!env.DATA_ENCRYPTION_KEY) ctx.addIssue({ code: 'custom', path: ['DATA_ENCRYPTION_KEY'], message: 'required in production (openssl rand -base64 32)' });
  });

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  profile: Env['GRIDGOV_PROFILE'];
  port: number;
  host: string;
  db: { engine: 'pglite'; dataDir: string } | { engine: 'postgres'; url: string; poolSize: number; preparedStatements?: boolean };
  dataDir: string;
  /** Only the demo and test profiles fall back to a per-installation secret kept in the data dir. */
  sessionSecret: string | undefined;
  encryptionKey: Buffer | undefined;
  session: { ttlHours: number; idleMinutes: number };
  login: { maxFailures: number; lockMinutes: number };
  logLevel: Env['LOG_LEVEL'];
  trustProxy: boolean;
  cookieSecure: boolean;
  webDist: string;
  bodyLimit: number;
  /** Intake: attachment size limits (bytes), duplicate search, hotline push-back. */
  intake: {
    attachmentMaxBytes: { photo: number; audio: number; video: number };
    duplicateRadiusM: number;
    duplicateWindowHours: number;
    hotlineWebhookUrl: string | undefined;
    hotlineWebhookSecret: string | undefined;
  };
  /** Attachment files: the backend new uploads go to (files already stored stay readable where they are). */
  storage: {
    backend: 'disk' | 's3';
    s3: { endpoint: string | undefined; region: string; bucket: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean } | null;
    /** Unlinked uploads older than this are deleted by the cleanup job. */
    unlinkedMaxAgeMs: number;
  };
  /** Open311 media_url download. */
  open311: { mediaTimeoutMs: number; mediaPrivateHosts: boolean };
}

export class ConfigError extends Error {}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`配置错误 / invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    profile: env.GRIDGOV_PROFILE,
    port: env.PORT,
    host: env.HOST,
    db: env.DATABASE_URL
      ? { engine: 'postgres', url: env.DATABASE_URL, poolSize: env.DB_POOL_SIZE, preparedStatements: env.DB_PREPARED_STATEMENTS }
      : { engine: 'pglite', dataDir: path.join(dataDir, 'pg') },
    dataDir,
    sessionSecret: env.SESSION_SECRET,
    encryptionKey: env.DATA_ENCRYPTION_KEY ? Buffer.from(env.DATA_ENCRYPTION_KEY, 'base64') : undefined,
    session: { ttlHours: env.SESSION_TTL_HOURS, idleMinutes: env.SESSION_IDLE_MINUTES },
    login: { maxFailures: env.LOGIN_MAX_FAILURES, lockMinutes: env.LOGIN_LOCK_MINUTES },
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY,
    cookieSecure: env.COOKIE_SECURE ?? env.GRIDGOV_PROFILE === 'production',
    webDist: path.resolve(env.WEB_DIST),
    bodyLimit: env.BODY_LIMIT_BYTES,
    intake: {
      attachmentMaxBytes: {
        photo: Math.round(env.ATTACHMENT_PHOTO_MAX_MB * 1024 * 1024),
        audio: Math.round(env.ATTACHMENT_AUDIO_MAX_MB * 1024 * 1024),
        video: Math.round(env.ATTACHMENT_VIDEO_MAX_MB * 1024 * 1024),
      },
      duplicateRadiusM: env.DUPLICATE_RADIUS_M,
      duplicateWindowHours: env.DUPLICATE_WINDOW_HOURS,
      hotlineWebhookUrl: env.HOTLINE_WEBHOOK_URL,
      hotlineWebhookSecret: env.HOTLINE_WEBHOOK_SECRET,
    },
    storage: {
      backend: env.ATTACHMENT_STORAGE,
      s3:
        env.S3_BUCKET && env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
          ? {
              endpoint: env.S3_ENDPOINT,
              region: env.S3_REGION ?? 'us-east-1',
              bucket: env.S3_BUCKET,
              accessKeyId: env.S3_ACCESS_KEY_ID,
              secretAccessKey: env.S3_SECRET_ACCESS_KEY,
              forcePathStyle: env.S3_FORCE_PATH_STYLE,
            }
          : null,
      unlinkedMaxAgeMs: Math.round(env.ATTACHMENT_UNLINKED_MAX_HOURS * 3_600_000),
    },
    open311: { mediaTimeoutMs: Math.round(env.OPEN311_MEDIA_FETCH_TIMEOUT_S * 1000), mediaPrivateHosts: env.OPEN311_MEDIA_PRIVATE_HOSTS },
  };
}
