import type { Catalogue, CatalogueClass, ReorderClassesRequest, UpdateClassRequest } from '@gridgov/contracts/catalogue';
import { AppError } from '../../http/app-error.js';
import type { Principal } from '../../http/principal.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { CatalogueClassRepository } from './catalogue-class.repository.js';

/**
 * Class-level edits of the catalogue: rename, order, deactivate/activate.
 *
 * Deactivating a class that still has active items is refused (CATEGORY_CLASS_HAS_ACTIVE_ITEMS, naming
 * them) rather than cascading: an item taken out of service stops reporting, suggestions and routing for
 * every caller, so each one is its own visible, audited decision — and a cascade could not be undone
 * (activating the class again would not know which items had been active before). Inactive classes
 * therefore never hold active items; item activation checks the class (CATEGORY_CLASS_INACTIVE).
 */
export function createCatalogueClassService(deps: {
  repo: CatalogueClassRepository;
  audit: Pick<AuditRepository, 'append'>;
  /** The tree as configurers see it (inactive entries included), for the answer. */
  tree: (actor: Principal, includeInactive: boolean) => Promise<Catalogue>;
}) {
  const { repo, audit } = deps;
  const audited = (actor: Principal, meta: RequestMeta, action: string, id: string, details: Record<string, unknown>) => ({
    ...auditContext(actor, meta),
    action,
    outcome: 'ok' as const,
    targetType: 'event_category',
    targetId: id,
    details,
  });
  async function classOf(actor: Principal, id: string): Promise<CatalogueClass> {
    const c = (await deps.tree(actor, true)).classes.find((x) => x.id === id);
    if (!c) throw new AppError('NOT_FOUND');
    return c;
  }

  return {
    async rename(actor: Principal, id: string, body: UpdateClassRequest, meta: RequestMeta): Promise<CatalogueClass> {
      await repo.db.transaction().execute(async (trx) => {
        const c = await repo.lockClass(id, 'update', trx);
        if (!c) throw new AppError('NOT_FOUND');
        if (c.name === body.name) return;
        await repo.rename(id, body.name, trx);
        await audit.append(audited(actor, meta, 'catalogue.class_updated', id, { code: c.code, name: body.name, before: c.name }), trx);
      });
      return classOf(actor, id);
    },

    async setActive(actor: Principal, id: string, active: boolean, meta: RequestMeta): Promise<CatalogueClass> {
      await repo.db.transaction().execute(async (trx) => {
        const c = await repo.lockClass(id, 'update', trx);
        if (!c) throw new AppError('NOT_FOUND');
        if (c.active === active) return;
        if (!active) {
          const items = await repo.activeItemCodes(id, trx);
          if (items.length) {
            throw new AppError('CATEGORY_CLASS_HAS_ACTIVE_ITEMS', {
              message: `大类 ${c.code} ${c.name} 下仍有 ${items.length} 个启用的小类（${items.slice(0, 5).join('、')}${items.length > 5 ? ' …' : ''}），请先逐个停用 / the class still has ${items.length} active items; deactivate them first`,
              details: { activeItems: items },
            });
          }
        }
        await repo.setActive(id, active, trx);
        await audit.append(audited(actor, meta, active ? 'catalogue.class_activated' : 'catalogue.class_deactivated', id, { code: c.code }), trx);
      });
      return classOf(actor, id);
    },

    /** The new order of every class (a list that misses or repeats one is refused: no half-ordered catalogue). */
    async reorder(actor: Principal, body: ReorderClassesRequest, meta: RequestMeta): Promise<Catalogue> {
      await repo.db.transaction().execute(async (trx) => {
        const all = await repo.classIds(trx);
        const given = new Set(body.classIds);
        if (given.size !== body.classIds.length || given.size !== all.length || !all.every((id) => given.has(id))) {
          throw new AppError('VALIDATION_FAILED', {
            fields: [{ path: 'classIds', code: 'not_all_classes', message: '须按新顺序列出全部大类（各一次）/ list every class once, in the new order' }],
          });
        }
        await repo.reorder(body.classIds, trx);
        await audit.append({ ...audited(actor, meta, 'catalogue.classes_reordered', '', { order: body.classIds }), targetId: null }, trx);
      });
      return deps.tree(actor, true);
    },
  };
}
export type CatalogueClassService = ReturnType<typeof createCatalogueClassService>;
