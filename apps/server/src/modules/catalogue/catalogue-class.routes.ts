import { Catalogue, CatalogueClass, CategoryIdParams, ReorderClassesRequest, UpdateClassRequest } from '@gridgov/contracts/catalogue';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestMeta } from '../../lib/request-meta.js';
import type { CatalogueClassService } from './catalogue-class.service.js';

export function registerCatalogueClassRoutes(app: FastifyInstance, deps: { classes: CatalogueClassService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['catalogue'];
  const { classes } = deps;
  const configure = { access: { permission: 'case.configure' as const } };

  r.put(
    '/api/catalogue/classes/:id',
    { config: configure, schema: { tags, summary: '修改事项大类名称', params: CategoryIdParams, body: UpdateClassRequest, response: { 200: CatalogueClass } } },
    async (req) => classes.rename(req.principal!, req.params.id, req.body, requestMeta(req)),
  );
  r.post(
    '/api/catalogue/classes/reorder',
    { config: configure, schema: { tags, summary: '调整事项大类顺序（按新顺序列出全部大类）', body: ReorderClassesRequest, response: { 200: Catalogue } } },
    async (req) => classes.reorder(req.principal!, req.body, requestMeta(req)),
  );
  r.post(
    '/api/catalogue/classes/:id/deactivate',
    {
      config: configure,
      schema: { tags, summary: '停用事项大类（其下仍有启用的小类时拒绝）', params: CategoryIdParams, response: { 200: CatalogueClass } },
    },
    async (req) => classes.setActive(req.principal!, req.params.id, false, requestMeta(req)),
  );
  r.post(
    '/api/catalogue/classes/:id/activate',
    { config: configure, schema: { tags, summary: '启用事项大类', params: CategoryIdParams, response: { 200: CatalogueClass } } },
    async (req) => classes.setActive(req.principal!, req.params.id, true, requestMeta(req)),
  );
}
