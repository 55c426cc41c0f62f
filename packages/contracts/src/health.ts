import { z } from 'zod';

export const HealthResponse = z.object({
  status: z.literal('ok'),
  engine: z.enum(['pglite', 'postgres']).describe('embedded PGlite or PostgreSQL'),
  migration: z.string().nullable().describe('newest applied migration version'),
  uptimeSeconds: z.number().int(),
  version: z.string(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;
