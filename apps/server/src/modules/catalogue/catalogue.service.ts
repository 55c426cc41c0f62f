import {
  type Catalogue,
  type CatalogueClass,
  type CatalogueItem,
  type CatalogueRules,
  type CatalogueVersions,
  type CategoryRules,
  type CreateClassRequest,
  type CreateItemRequest,
  limitLabel,
  limitStages,
  type UpdateItemRequest,
} from '@gridgov/contracts/catalogue';
import type { FieldIssue } from '@gridgov/contracts/errors';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/app-error.js';
import type { Principal } from '../../http/principal.js';
import { auditContext, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { pgErrorOf } from '../regions/regions.repository.js';
import type { CatalogueRepository, CategoryRow, VersionRow } from './catalogue.repository.js';
import { createCatalogueClassRepository } from './catalogue-class.repository.js';

export function toRules(v: VersionRow): CatalogueRules {
  const limits = Object.fromEntries(limitStages.map((s) => [s, { ...v.limits[s], ...limitLabel(v.limits[s]) }])) as CatalogueRules['limits'];
  return {
    version: v.version,
    deptCode: v.dept_code,
    deptName: v.dept_name,
    level: v.level,
    limits,
    selfDispose: v.self_dispose,
    admitted: v.admitted,
    feedback: v.feedback,
    closure: v.closure,
    keywords: v.keywords,
    createdAt: new Date(v.created_at).toISOString(),
    createdBy: v.created_by,
  };
}

/** The fields of the rules that differ between two versions (for the audit entry). */
function changedFields(before: VersionRow, after: CategoryRules): string[] {
  const out: string[] = [];
  if (before.dept_code !== after.deptCode) out.push('deptCode');
  if (before.level !== after.level) out.push('level');
  for (const s of limitStages) {
    if (before.limits[s].amount !== after.limits[s].amount || before.limits[s].unit !== after.limits[s].unit) out.push(`limits.${s}`);
  }
  if (before.self_dispose !== after.selfDispose) out.push('selfDispose');
  if (before.admitted !== after.admitted) out.push('admitted');
  if (before.feedback !== after.feedback) out.push('feedback');
  if (before.closure !== after.closure) out.push('closure');
  if (JSON.stringify(before.keywords) !== JSON.stringify(after.keywords)) out.push('keywords');
  return out;
}

const codeTaken = (code: string) =>
  new AppError('CATEGORY_CODE_TAKEN', { fields: [{ path: 'code', code: 'taken', message: `编码 ${code} 已被使用 / code ${code} is taken` }] });

export function createCatalogueService(deps: { repo: CatalogueRepository; audit: Pick<AuditRepository, 'append'> }) {
  const { repo, audit } = deps;
  const userOf = (p: Principal) => (p.kind === 'user' ? p.userId : null);

  /** Field issues of the rules that need the database (the schema checked the rest). */
  async function checkRules(rules: CategoryRules, fields: FieldIssue[]) {
    if (rules.deptCode !== null && !(await repo.deptCodeExists(rules.deptCode))) {
      fields.push({
        path: 'rules.deptCode',
        code: 'unknown_department',
        message: `没有部门代码为 ${rules.deptCode} 的职能部门 / no department has the code ${rules.deptCode}`,
      });
    }
    const kw = rules.keywords.map((k) => k.toLowerCase());
    kw.forEach((k, i) => {
      if (kw.indexOf(k) !== i) fields.push({ path: `rules.keywords.${i}`, code: 'duplicate', message: `关键词重复：${rules.keywords[i]} / duplicate keyword` });
    });
  }

  async function item(id: string, trx?: Kysely<DB>): Promise<CatalogueItem> {
    const c = await repo.findCategory(id, trx);
    if (c?.kind !== 'item' || !c.parent_id) throw new AppError('NOT_FOUND');
    const v = await repo.version(id, c.current_version, trx);
    if (!v) throw new AppError('NOT_FOUND');
    return { id: c.id, classId: c.parent_id, code: c.code, name: c.name, active: c.active, sortOrder: c.sort_order, rules: toRules(v) };
  }

  async function anItem(id: string): Promise<CategoryRow> {
    const c = await repo.findCategory(id);
    if (c?.kind !== 'item') throw new AppError('NOT_FOUND');
    return c;
  }

  const audited = (actor: Principal, meta: RequestMeta, action: string, c: { id: string }, details: Record<string, unknown>) => ({
    ...auditContext(actor, meta),
    action,
    outcome: 'ok' as const,
    targetType: 'event_category',
    targetId: c.id,
    details,
  });

  return {
    /** The tree of classes → items with each item's current rules. Inactive entries only for configurers. */
    async tree(actor: Principal, includeInactive: boolean): Promise<Catalogue> {
      if (includeInactive && !actor.permissions.has('case.configure')) throw new AppError('FORBIDDEN');
      const [cats, current] = await Promise.all([repo.categories(includeInactive), repo.currentVersions()]);
      const rules = new Map(current.map((v) => [v.category_id, v]));
      const classes: CatalogueClass[] = cats
        .filter((c) => c.kind === 'class')
        .map((c) => ({ id: c.id, code: c.code, name: c.name, active: c.active, sortOrder: c.sort_order, items: [] }));
      const byId = new Map(classes.map((c) => [c.id, c]));
      for (const c of cats) {
        const v = rules.get(c.id);
        const parent = c.parent_id ? byId.get(c.parent_id) : undefined;
        if (c.kind !== 'item' || !parent || !v) continue;
        parent.items.push({ id: c.id, classId: parent.id, code: c.code, name: c.name, active: c.active, sortOrder: c.sort_order, rules: toRules(v) });
      }
      return { classes };
    },

    item: (id: string) => item(id),

    async versions(id: string): Promise<CatalogueVersions> {
      const c = await anItem(id);
      const history = await repo.history(id);
      return { itemId: c.id, code: c.code, name: c.name, currentVersion: c.current_version, versions: history.map(toRules) };
    },

    async createClass(actor: Principal, body: CreateClassRequest, meta: RequestMeta): Promise<CatalogueClass> {
      if (await repo.codeTaken(body.code)) throw codeTaken(body.code);
      const id = await repo.db
        .transaction()
        .execute(async (trx) => {
          const sortOrder = body.sortOrder ?? (await repo.nextSortOrder(null, trx));
          const id = await repo.insertCategory({ parentId: null, code: body.code, name: body.name, kind: 'class', sortOrder }, trx);
          await audit.append(audited(actor, meta, 'catalogue.class_created', { id }, { code: body.code, name: body.name }), trx);
          return id;
        })
        .catch((err) => {
          if (pgErrorOf(err)?.code === '23505') throw codeTaken(body.code);
          throw err;
        });
      const c = await repo.findCategory(id);
      if (!c) throw new AppError('NOT_FOUND');
      return { id, code: c.code, name: c.name, active: c.active, sortOrder: c.sort_order, items: [] };
    },

    async createItem(actor: Principal, body: CreateItemRequest, meta: RequestMeta): Promise<CatalogueItem> {
      const fields: FieldIssue[] = [];
      const parent = await repo.findCategory(body.classId);
      if (parent?.kind !== 'class') {
        fields.push({ path: 'classId', code: 'unknown_class', message: '大类不存在 / no such class' });
      } else if (!body.code.startsWith(parent.code) || body.code.length <= parent.code.length) {
        fields.push({
          path: 'code',
          code: 'class_prefix',
          message: `小类编码须以大类编码 ${parent.code} 开头并更长 / the item code must start with the class code ${parent.code}`,
        });
      }
      await checkRules(body.rules, fields);
      if (fields.length) throw new AppError('VALIDATION_FAILED', { fields });
      if (await repo.codeTaken(body.code)) throw codeTaken(body.code);
      const id = await repo.db
        .transaction()
        .execute(async (trx) => {
          const sortOrder = body.sortOrder ?? (await repo.nextSortOrder(body.classId, trx));
          const id = await repo.insertCategory({ parentId: body.classId, code: body.code, name: body.name, kind: 'item', sortOrder }, trx);
          await repo.insertVersion(id, 1, body.rules, userOf(actor), trx);
          await audit.append(audited(actor, meta, 'catalogue.item_created', { id }, { code: body.code, name: body.name, version: 1 }), trx);
          return id;
        })
        .catch((err) => {
          if (pgErrorOf(err)?.code === '23505') throw codeTaken(body.code);
          throw err;
        });
      return item(id);
    },

    /**
     * Name + rules. The rules become a NEW version (the old version rows are never changed, so a case
     * opened under version n keeps its limits); the item's current_version moves on.
     */
    async updateItem(actor: Principal, id: string, body: UpdateItemRequest, meta: RequestMeta): Promise<CatalogueItem> {
      const c = await anItem(id);
      if (body.version !== undefined && body.version !== c.current_version) {
        throw new AppError('CONFLICT', {
          message: `该事项已被他人修改（当前为第 ${c.current_version} 版），请刷新后重试 / someone else changed this item (now version ${c.current_version}); reload`,
          details: { currentVersion: c.current_version },
        });
      }
      const fields: FieldIssue[] = [];
      await checkRules(body.rules, fields);
      if (fields.length) throw new AppError('VALIDATION_FAILED', { fields });
      const before = await repo.version(id, c.current_version);
      if (!before) throw new AppError('NOT_FOUND');
      const changes = changedFields(before, body.rules);
      const renamed = body.name !== c.name;
      if (changes.length === 0 && !renamed) return item(id);
      const next = c.current_version + 1;
      await repo.db.transaction().execute(async (trx) => {
        // Rules unchanged (a rename only): no new version.
        const version = changes.length ? next : c.current_version;
        if (changes.length) await repo.insertVersion(id, next, body.rules, userOf(actor), trx);
        if (!(await repo.bumpVersion(id, c.current_version, version, body.name, trx))) throw new AppError('CONFLICT');
        await audit.append(
          audited(actor, meta, 'catalogue.item_updated', { id }, { code: c.code, version, changes: renamed ? ['name', ...changes] : changes }),
          trx,
        );
      });
      return item(id);
    },

    async setActive(actor: Principal, id: string, active: boolean, meta: RequestMeta): Promise<CatalogueItem> {
      const c = await anItem(id);
      if (c.active !== active) {
        await repo.db.transaction().execute(async (trx) => {
          // An inactive class holds no active items (catalogue-class.service.ts); the share lock waits out a class deactivation.
          if (active && c.parent_id && !(await createCatalogueClassRepository(trx).lockClass(c.parent_id, 'share', trx))?.active) {
            throw new AppError('CATEGORY_CLASS_INACTIVE');
          }
          await repo.setActive(id, active, trx);
          await audit.append(audited(actor, meta, active ? 'catalogue.item_activated' : 'catalogue.item_deactivated', { id }, { code: c.code }), trx);
        });
      }
      return item(id);
    },
  };
}
export type CatalogueService = ReturnType<typeof createCatalogueService>;
