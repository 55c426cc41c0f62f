import fastifyMultipart from '@fastify/multipart';
import { ExportGridsQuery, ImportGridsRequest, ImportReport } from '@gridgov/contracts/gridio';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestMeta } from '../../lib/request-meta.js';
import type { GridioService } from './gridio.service.js';

/** GeoJSON files of a few thousand detailed polygons run to tens of megabytes. */
const IMPORT_BODY_LIMIT = 50 * 1024 * 1024;

export function registerGridioRoutes(app: FastifyInstance, deps: { gridio: GridioService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['grids'];
  const { gridio } = deps;

  r.post(
    '/api/grids/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      config: { access: { permission: 'grid.manage' } },
      schema: {
        tags,
        summary: '导入网格（GeoJSON）：先全部校验，无任何问题时才一次性写入',
        body: ImportGridsRequest,
        response: { 200: ImportReport },
      },
    },
    async (req) => gridio.importGeojson(req.principal!, req.body, requestMeta(req)),
  );

  r.get(
    '/api/grids/export.geojson',
    {
      config: { access: { permission: 'grid.read' } },
      schema: { tags, summary: '导出社区或街道的网格（GeoJSON，含编码、类型、社区与人员）', querystring: ExportGridsQuery },
    },
    async (req, reply) => {
      const x = await gridio.exportGeojson(req.principal!, req.query, requestMeta(req));
      return reply
        .header('content-type', 'application/geo+json; charset=utf-8')
        .header('content-disposition', `attachment; filename="grids.geojson"; filename*=UTF-8''${encodeURIComponent(x.filename)}`)
        .header('cache-control', 'no-store')
        .send(JSON.stringify(x.body));
    },
  );

  // Multipart only here: every other route keeps refusing multipart bodies (415).
  void app.register(async (scope) => {
    await scope.register(fastifyMultipart, { limits: { files: 1, fields: 10, fieldSize: 1024, fileSize: IMPORT_BODY_LIMIT, parts: 12 } });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/grids/import/shapefile',
      {
        config: { access: { permission: 'grid.manage' } },
        schema: {
          tags,
          summary: '导入网格（shapefile 的 .zip：shp + shx + dbf + prj，可含 cpg；表单字段 communityId、mode、coordSystem）',
          consumes: ['multipart/form-data'],
          response: { 200: ImportReport },
        },
      },
      async (req) => {
        const fields: Record<string, string> = {};
        let file: Uint8Array | null = null;
        for await (const part of req.parts()) {
          if (part.type === 'file') file = await part.toBuffer();
          else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
        }
        return gridio.importShapefile(req.principal!, { fields, file }, requestMeta(req));
      },
    );
  });
}
