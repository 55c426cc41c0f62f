import { GridLocateQuery, GridLocateResult, PublicGridLookupResult } from '@gridgov/contracts/gridlookup';
import { GridLookupQuery } from '@gridgov/contracts/grids';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../http/app-error.js';
import { requestMeta } from '../../lib/request-meta.js';
import type { GridLookupService } from './gridlookup.service.js';

/** A rate-limited caller is told when to come back (RFC 9110 Retry-After). */
async function retryAfterHeader(_req: FastifyRequest, reply: FastifyReply, err: Error) {
  const wait = err instanceof AppError && err.code === 'RATE_LIMITED' ? err.details?.retryAfterSeconds : undefined;
  if (typeof wait === 'number') reply.header('retry-after', String(wait));
}

export function registerGridLookupRoutes(app: FastifyInstance, deps: { gridLookup: GridLookupService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { gridLookup } = deps;

  r.get(
    '/api/grids/lookup',
    {
      config: { access: { permission: 'grid.read' } },
      schema: {
        tags: ['grids'],
        summary: '坐标定位网格（管辖范围内；可查历史日期）',
        querystring: GridLocateQuery,
        response: { 200: GridLocateResult },
      },
    },
    async (req) => gridLookup.locate(req.principal!, req.query),
  );

  r.get(
    '/api/public/grid-lookup',
    {
      config: { access: 'public' },
      onError: retryAfterHeader,
      schema: {
        tags: ['public'],
        summary: '公众查询：我在哪个网格、网格员是谁、网格服务站怎么联系（按坐标或地址；每个 IP 每分钟 60 次）',
        querystring: GridLookupQuery,
        response: { 200: PublicGridLookupResult },
      },
    },
    async (req) => gridLookup.publicLookup(req.query, requestMeta(req)),
  );
}
