import { HealthResponse } from '@gridgov/contracts/health';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../../db/client.js';
import { currentVersion } from '../../db/migrate.js';
import type { BlobStores } from '../intake/blob-stores.js';

const startedAt = Date.now();

export function registerHealthRoutes(app: FastifyInstance, deps: { database: Database; version: string; storage: Pick<BlobStores, 'writeStatus'> }) {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get('/api/health', { config: { access: 'public' }, schema: { tags: ['system'], summary: '健康检查', response: { 200: HealthResponse } } }, async () => ({
      status: 'ok' as const,
      engine: deps.database.engine,
      migration: await currentVersion(deps.database),
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      storage: await deps.storage.writeStatus().then((s) => ({ backend: s.backend, ok: s.ok })),
      version: deps.version,
    }));
}
