import { z } from 'zod';

export const HealthResponse = z.object({
  status: z.literal('ok'),
  engine: z.enum(['pglite', 'postgres']).describe('embedded PGlite or PostgreSQL'),
  migration: z.string().nullable().describe('newest applied migration version'),
  uptimeSeconds: z.number().int(),
  storage: z
    .object({ backend: z.enum(['disk', 's3']), ok: z.boolean() })
    .describe('attachment storage for new uploads: whether it answers now (checked at most every 30 s; the reason is in the server log)'),
  version: z.string(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;
