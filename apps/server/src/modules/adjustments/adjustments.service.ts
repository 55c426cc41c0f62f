import {
  type AdjustmentAction,
  type AdjustmentDetail,
  type AdjustmentReport,
  type AdjustmentSummary,
  type ApplyDueResult,
  adjustmentTransitions,
  type CreateAdjustmentBody,
  REPORT_ITEM_CAP,
  type ReviewAdjustmentBody,
  type UpdateAdjustmentBody,
} from '@gridgov/contracts/adjustments';
import type { FieldIssue } from '@gridgov/contracts/errors';
import type { CoordSystem } from '@gridgov/contracts/geojson';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/app-error.js';
import { canCapture, canView, type Principal } from '../../http/principal.js';
import { actorOf, type RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import { normaliseArea } from '../grids/geometry.js';
import { viewRoots } from '../regions/subtree.js';
import {
  type AdjustmentKind,
  type AdjustmentRow,
  type AdjustmentsRepository,
  AREA_TOLERANCE_M2,
  type CommunityRow,
  type StoredProposal,
} from './adjustments.repository.js';
import { addDays, todayInChina } from './dates.js';
import { nextGridCode } from './grid-codes.js';
import type { ReattributionRegistry } from './reattribution.registry.js';

export interface AdjustmentsServiceDeps {
  repo: AdjustmentsRepository;
  audit: Pick<AuditRepository, 'append'>;
  registry: ReattributionRegistry;
  /** Today's date (YYYY-MM-DD); China Standard Time unless a test says otherwise. */
  today?: () => string;
  /** Where an application that failed to take effect (rolled back) is reported. */
  log?: (err: unknown, adjustmentId: string) => void;
}

/** A proposed grid as sent (any coordinate system) or as stored (WGS84). */
interface Proposal {
  gridId?: string | null;
  name: string;
  gridType: '01' | '02' | '03';
  dedicatedKind?: string | null;
  geometry: unknown;
}
const round = (n: number) => Math.round(n * 100) / 100;
const m2 = (n: number) => `${round(n).toLocaleString('en-US')} m²`;

function wrongState(row: AdjustmentRow, action: AdjustmentAction): AppError {
  const to = adjustmentTransitions[action].to;
  return new AppError('ADJUSTMENT_WRONG_STATE', {
    fields: [
      {
        path: 'status',
        code: 'wrong_state',
        message: `当前状态「${row.status}」不能${action === 'return' ? '退回' : '转为'}「${to}」 / cannot go from ${row.status} to ${to}`,
      },
    ],
    details: { from: row.status, to, action, allowedFrom: adjustmentTransitions[action].from },
  });
}

const invalid = (fields: FieldIssue[], details?: Record<string, unknown>) => new AppError('ADJUSTMENT_PROPOSAL_INVALID', { fields, details });

/**
 * Grid adjustments: a community (station or above) applies to split, merge, redraw or add grids
 * with proposed polygons; a center reviews (approve → public notice, or return with reasons);
 * on the effective date `applyDue` versions the boundaries, creates and retires grids and moves
 * the located records, all in one transaction per application.
 */
export function createAdjustmentsService({ repo, audit, registry, today = todayInChina, log }: AdjustmentsServiceDeps) {
  async function viewableCommunity(actor: Principal, id: string): Promise<CommunityRow> {
    const c = await repo.community(id);
    if (!c || !canView(actor, c.path)) throw new AppError('NOT_FOUND');
    return c;
  }

  async function viewable(actor: Principal, id: string, trx?: Kysely<DB>, lock = false): Promise<AdjustmentRow> {
    const a = await repo.findById(id, trx, lock);
    if (!a || !canView(actor, a.community_path)) throw new AppError('NOT_FOUND');
    return a;
  }

  const requireCapture = (actor: Principal, path: string) => {
    if (!canCapture(actor, path)) throw new AppError('OUT_OF_SCOPE');
  };

  const requireState = (row: AdjustmentRow, action: AdjustmentAction) => {
    if (!(adjustmentTransitions[action].from as readonly string[]).includes(row.status)) throw wrongState(row, action);
  };

  /**
   * Checks an application against the grids as they are now and returns the proposal as stored
   * (WGS84 MultiPolygons). Throws ADJUSTMENT_PROPOSAL_INVALID / ADJUSTMENT_NOT_TILING.
   */
  async function validate(
    community: CommunityRow,
    kind: AdjustmentKind,
    sourceGridIds: readonly string[],
    proposal: readonly Proposal[],
    coordSystem: CoordSystem,
    trx?: Kysely<DB>,
    effectiveDate?: string,
  ): Promise<StoredProposal[]> {
    const fields: FieldIssue[] = [];
    const sources = new Set(sourceGridIds);
    if (sources.size !== sourceGridIds.length)
      fields.push({ path: 'sourceGridIds', code: 'duplicate', message: '原网格有重复 / a source grid is listed twice' });
    const kept = proposal.map((p) => p.gridId).filter((g): g is string => !!g);
    const shape: Record<AdjustmentKind, { ok: boolean; zh: string; en: string }> = {
      split: {
        ok: sources.size === 1 && proposal.length >= 2,
        zh: '拆分须为 1 个原网格、至少 2 个新网格',
        en: 'a split takes 1 source grid and at least 2 proposed grids',
      },
      merge: {
        ok: sources.size >= 2 && proposal.length === 1,
        zh: '合并须为至少 2 个原网格、1 个新网格',
        en: 'a merge takes at least 2 source grids and 1 proposed grid',
      },
      redraw: {
        ok: sources.size >= 1 && proposal.length === sources.size && kept.length === proposal.length,
        zh: '边界调整须为每个原网格给出一个新边界（均保留原网格）',
        en: 'a redraw gives each source grid (kept) one new boundary',
      },
      create: { ok: sources.size === 0 && kept.length === 0, zh: '新增网格不能指定原网格', en: 'new grids take no source grids' },
    };
    if (!shape[kind].ok)
      fields.push({ path: kind === 'create' ? 'sourceGridIds' : 'proposal', code: 'kind_shape', message: `${shape[kind].zh} / ${shape[kind].en}` });
    const keptSeen = new Set<string>();
    proposal.forEach((p, i) => {
      if (!p.gridId) return;
      if (!sources.has(p.gridId))
        fields.push({ path: `proposal.${i}.gridId`, code: 'not_a_source', message: '保留的网格须是原网格之一 / a kept grid must be one of the source grids' });
      if (keptSeen.has(p.gridId)) fields.push({ path: `proposal.${i}.gridId`, code: 'duplicate', message: '同一网格只能保留一次 / a grid can be kept once' });
      keptSeen.add(p.gridId);
    });

    const rows = await repo.sourceGrids([...sources], trx);
    const byId = new Map(rows.map((r) => [r.id, r]));
    sourceGridIds.forEach((id, i) => {
      const g = byId.get(id);
      const path = `sourceGridIds.${i}`;
      if (!g || g.community_id !== community.id) {
        fields.push({ path, code: 'other_community', message: `网格不属于「${community.name}」 / the grid is not in ${community.name}` });
      } else if (g.valid_to !== null || g.boundary_from === null) {
        fields.push({ path, code: 'not_current', message: `网格 ${g.code} 已撤销或无现行边界 / grid ${g.code} is retired or has no current boundary` });
      } else if (g.level !== 'grid') {
        fields.push({ path, code: 'not_grid_level', message: `${g.code} 是微网格或楼栋单元 / ${g.code} is a micro-grid or building unit` });
      } else if (effectiveDate && (g.boundary_from >= effectiveDate || g.valid_from >= effectiveDate)) {
        fields.push({
          path: 'effectiveDate',
          code: 'before_current_version',
          message: `生效日期须晚于网格 ${g.code} 现行边界的起始日 ${g.boundary_from} / the effective date must be after ${g.boundary_from}, when grid ${g.code}'s boundary began`,
        });
      }
    });

    const stored: StoredProposal[] = [];
    proposal.forEach((p, i) => {
      const area = normaliseArea(p.geometry, coordSystem, `proposal.${i}.geometry`);
      for (const problem of area.problems) fields.push({ path: problem.path, code: problem.code, message: problem.message });
      if (p.gridType === '03' && !p.dedicatedKind) {
        fields.push({ path: `proposal.${i}.dedicatedKind`, code: 'required', message: '专属网格须注明类别 / a dedicated grid needs its kind' });
      }
      const src = p.gridId ? byId.get(p.gridId) : undefined;
      if (src && src.grid_type !== p.gridType) {
        fields.push({
          path: `proposal.${i}.gridType`,
          code: 'type_change',
          message: `保留的网格 ${src.code} 不能改变类型（编码含类型段） / kept grid ${src.code} cannot change type (its code carries the type)`,
        });
      }
      if (area.geojson) {
        stored.push({
          gridId: p.gridId ?? null,
          name: p.name,
          gridType: p.gridType,
          dedicatedKind: p.gridType === '03' ? (p.dedicatedKind ?? null) : null,
          geometry: area.geojson,
        });
      }
    });
    if (fields.length) throw invalid(fields);

    const texts = stored.map((s) => JSON.stringify(s.geometry));
    for (const f of await repo.checkGeometries(texts, trx)) {
      if (!f.valid)
        fields.push({ path: `proposal.${f.idx}.geometry`, code: 'invalid_geometry', message: `几何图形无效：${f.reason} / invalid geometry: ${f.reason}` });
      else if (f.area_m2 <= AREA_TOLERANCE_M2) fields.push({ path: `proposal.${f.idx}.geometry`, code: 'empty', message: '面积为零 / the area is zero' });
    }
    if (fields.length) throw invalid(fields);

    const overlaps = await repo.mutualOverlaps(texts, trx);
    if (overlaps.length) {
      throw invalid(
        overlaps.map((o) => ({
          path: `proposal.${o.b}.geometry`,
          code: 'overlap',
          message: `与第 ${o.a + 1} 个方案网格重叠 ${m2(o.area_m2)} / overlaps proposed grid ${o.a + 1} by ${m2(o.area_m2)}`,
        })),
        { overlaps: overlaps.map((o) => ({ a: o.a, b: o.b, areaM2: round(o.area_m2) })) },
      );
    }

    if (kind === 'create') {
      const outside = await repo.outsideCommunity(texts, community.id, trx);
      const clash = await repo.overlapsWithCurrentGrids(texts, community.id, [], trx);
      const issues: FieldIssue[] = [
        ...outside.map((o) => ({
          path: `proposal.${o.idx}.geometry`,
          code: 'outside_community',
          message: `有 ${m2(o.area_m2)} 超出「${community.name}」边界 / ${m2(o.area_m2)} lies outside ${community.name}`,
        })),
        ...clash.map((o) => ({
          path: `proposal.${o.idx}.geometry`,
          code: 'overlaps_grid',
          message: `与现有网格 ${o.code} 重叠 ${m2(o.area_m2)} / overlaps grid ${o.code} by ${m2(o.area_m2)}`,
        })),
      ];
      if (issues.length) throw invalid(issues);
    } else {
      const diff = await repo.tilingDifference(texts, [...sources], trx);
      if (diff > AREA_TOLERANCE_M2) {
        throw new AppError('ADJUSTMENT_NOT_TILING', {
          fields: [
            {
              path: 'proposal',
              code: 'not_tiling',
              message: `方案与原网格范围相差 ${m2(diff)}（允许 ≤ ${AREA_TOLERANCE_M2} m²） / the proposal differs from the source grids by ${m2(diff)} (at most ${AREA_TOLERANCE_M2} m²)`,
            },
          ],
          details: { areaM2: round(diff), toleranceM2: AREA_TOLERANCE_M2 },
        });
      }
    }
    return stored;
  }

  async function summaries(rows: AdjustmentRow[], trx?: Kysely<DB>): Promise<AdjustmentSummary[]> {
    const refs = new Map((await repo.gridRefs([...new Set(rows.flatMap((r) => r.source_grid_ids))], trx)).map((g) => [g.id, g]));
    return rows.map((r) => ({
      id: r.id,
      communityId: r.community_id,
      communityName: r.community_name,
      communityCode: r.community_code,
      kind: r.kind,
      status: r.status,
      reason: r.reason,
      sourceGrids: r.source_grid_ids.map((id) => refs.get(id) ?? { id, code: '', name: '' }),
      proposalCount: r.proposal.length,
      noticeDays: r.notice_days,
      noticeFrom: r.notice_from,
      effectiveDate: r.effective_date,
      reviewNote: r.review_note,
      createdBy: r.created_by ? { id: r.created_by, displayName: r.created_by_name ?? '' } : null,
      reviewedBy: r.reviewed_by ? { id: r.reviewed_by, displayName: r.reviewed_by_name ?? '' } : null,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    }));
  }

  async function detail(actor: Principal, row: AdjustmentRow, trx?: Kysely<DB>): Promise<AdjustmentDetail> {
    const [summary] = await summaries([row], trx);
    const areas = await repo.checkGeometries(
      row.proposal.map((p) => JSON.stringify(p.geometry)),
      trx,
    );
    const capture = canCapture(actor, row.community_path);
    const applier = capture && actor.permissions.has('grid.adjust.apply');
    const isState = (a: AdjustmentAction) => (adjustmentTransitions[a].from as readonly string[]).includes(row.status);
    return {
      ...(summary as AdjustmentSummary),
      proposal: row.proposal.map((p, i) => ({
        gridId: p.gridId,
        name: p.name,
        gridType: p.gridType,
        dedicatedKind: (p.dedicatedKind ?? null) as AdjustmentDetail['proposal'][number]['dedicatedKind'],
        geometry: p.geometry,
        areaM2: round(areas[i]?.area_m2 ?? 0),
      })),
      trigger: row.trigger,
      report: (row.report as AdjustmentReport | null) ?? null,
      can: {
        update: applier && isState('update'),
        submit: applier && isState('submit'),
        withdraw: applier && isState('withdraw'),
        review: capture && actor.permissions.has('grid.adjust.review') && isState('approve') && row.created_by !== actor.userId,
      },
    };
  }

  function auditEntry(
    actor: Principal | null,
    row: Pick<AdjustmentRow, 'id' | 'community_id' | 'community_path'>,
    action: string,
    meta: RequestMeta | null,
    details: Record<string, unknown>,
  ) {
    return {
      ...actorOf(actor),
      action,
      outcome: 'ok' as const,
      targetType: 'grid_adjustment',
      targetId: row.id,
      regionId: row.community_id,
      regionPath: row.community_path,
      ip: meta?.ip ?? null,
      requestId: meta?.requestId ?? null,
      details,
    };
  }

  /** A status change from an allowed state, in one transaction with its audit row. */
  async function transition(
    actor: Principal,
    id: string,
    action: AdjustmentAction,
    meta: RequestMeta,
    check: (row: AdjustmentRow) => void,
    apply: (row: AdjustmentRow, trx: Kysely<DB>) => Promise<Record<string, unknown>>,
    auditAction: string,
  ): Promise<AdjustmentDetail> {
    return repo.transaction(async (trx) => {
      const row = await viewable(actor, id, trx, true);
      check(row);
      requireState(row, action);
      const details = await apply(row, trx);
      await audit.append(auditEntry(actor, row, auditAction, meta, { from: row.status, to: adjustmentTransitions[action].to, ...details }), trx);
      const after = await repo.findById(id, trx);
      if (!after) throw new AppError('NOT_FOUND');
      return detail(actor, after, trx);
    });
  }

  const applierCheck = (actor: Principal) => (row: AdjustmentRow) => requireCapture(actor, row.community_path);

  /** Takes one claimed application into effect; returns what moved, or why it went back to the community. */
  async function takeEffect(
    id: string,
    trx: Kysely<DB>,
    actor: Principal | null,
    meta: RequestMeta | null,
  ): Promise<{ applied: ApplyDueResult['applied'][number] } | { returned: ApplyDueResult['returned'][number] }> {
    const row = await repo.findById(id, trx);
    if (row?.status !== 'notice' || !row.effective_date) throw new Error(`adjustment ${id} was claimed but is not under notice`);
    const eff = row.effective_date;
    await repo.lockCommunity(row.community_id, trx);
    const community = await repo.community(row.community_id, trx);
    if (!community) throw new Error(`adjustment ${id}: community missing`);

    // The grids may have changed during the notice period: check again against the current state,
    // and number the new grids, before anything is written.
    const sources = await repo.sourceGrids(row.source_grid_ids, trx);
    const areaCode = sources[0]?.area_code ?? '00';
    const codes: ({ code: string; seq: number } | null)[] = [];
    try {
      await validate(community, row.kind, row.source_grid_ids, row.proposal, 'WGS84', trx, eff);
      const template = await repo.codeTemplate(trx);
      const used = await repo.usedSeqsAndCodes(row.community_id, trx);
      for (const p of row.proposal) {
        codes.push(p.gridId ? null : nextGridCode({ template, communityCode: community.code, areaCode, gridType: p.gridType, used }));
      }
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const reason = err.fields?.map((f) => f.message).join('；') || err.message;
      const note = `生效前复核未通过，已退回：${reason} / re-check before taking effect failed; returned: ${reason}`.slice(0, 1000);
      await repo.update(id, { status: 'returned', reviewNote: note }, trx);
      await audit.append(
        { ...auditEntry(actor, row, 'grid_adjustment.apply_failed', meta, { code: err.code, fields: err.fields ?? [] }), outcome: 'failed' },
        trx,
      );
      return { returned: { id, reason: note } };
    }

    const keptIds = new Set(row.proposal.map((p) => p.gridId).filter((g): g is string => !!g));
    const retired = sources.filter((s) => !keptIds.has(s.id));
    const reshaped = sources.filter((s) => keptIds.has(s.id));

    await repo.closeBoundaries(row.source_grid_ids, eff, trx);
    await repo.retireGrids(
      retired.map((g) => g.id),
      eff,
      trx,
    );

    const created: { id: string; code: string; name: string }[] = [];
    const createdBy = row.reviewed_by ?? row.created_by;
    for (const [i, p] of row.proposal.entries()) {
      const geojson = JSON.stringify(p.geometry);
      const numbered = codes[i];
      if (p.gridId || !numbered) {
        if (!p.gridId) throw new Error(`adjustment ${id}: proposal ${i} has neither a grid nor a code`);
        await repo.renameGrid(p.gridId, p.name, trx);
        await repo.insertBoundary({ gridId: p.gridId, geojson, validFrom: eff, adjustmentId: id, createdBy }, trx);
        continue;
      }
      const { code, seq } = numbered;
      const gridId = await repo.insertGrid(
        { communityId: row.community_id, code, name: p.name, gridType: p.gridType, dedicatedKind: p.dedicatedKind, areaCode, seq, validFrom: eff },
        trx,
      );
      await repo.insertBoundary({ gridId, geojson, validFrom: eff, adjustmentId: id, createdBy }, trx);
      created.push({ id: gridId, code, name: p.name });
    }
    await repo.bumpIndexVersion(trx);

    const codeOf = new Map<string, string>([...sources.map((s) => [s.id, s.code] as const), ...created.map((c) => [c.id, c.code] as const)]);
    const records: AdjustmentReport['records'] = [];
    for (const t of registry.list()) {
      const moves = [...(await repo.reattribute(t, id, row.source_grid_ids, trx)), ...(await repo.reattributeToHeir(t, id, row.source_grid_ids, trx))];
      const pairs = new Map<string, number>();
      for (const m of moves) {
        const k = `${codeOf.get(m.from_grid) ?? m.from_grid}\u0000${codeOf.get(m.to_grid) ?? m.to_grid}`;
        pairs.set(k, (pairs.get(k) ?? 0) + 1);
      }
      moves.sort((a, b) => a.id.localeCompare(b.id));
      records.push({
        type: t.type,
        label: t.label,
        moved: moves.length,
        byGrids: [...pairs].map(([k, count]) => {
          const [fromGridCode = '', toGridCode = ''] = k.split('\u0000');
          return { fromGridCode, toGridCode, count };
        }),
        items: moves.slice(0, REPORT_ITEM_CAP).map((m) => ({
          id: m.id,
          fromGridCode: codeOf.get(m.from_grid) ?? m.from_grid,
          toGridCode: codeOf.get(m.to_grid) ?? m.to_grid,
        })),
        truncated: moves.length > REPORT_ITEM_CAP,
        unplaced: await repo.countInGrids(
          t,
          retired.map((g) => g.id),
          trx,
        ),
        unplacedItems: await repo.idsInGrids(
          t,
          retired.map((g) => g.id),
          REPORT_ITEM_CAP,
          trx,
        ),
      });
    }
    const ref = (g: { id: string; code: string; name: string }) => ({ id: g.id, code: g.code, name: g.name });
    const report: AdjustmentReport = {
      effectiveDate: eff,
      appliedAt: new Date().toISOString(),
      retiredGrids: retired.map(ref),
      reshapedGrids: reshaped.map((g) => ref({ ...g, name: row.proposal.find((p) => p.gridId === g.id)?.name ?? g.name })),
      createdGrids: created,
      records,
      totalMoved: records.reduce((n, r) => n + r.moved, 0),
    };
    await repo.update(id, { status: 'effective', report }, trx);
    await audit.append(
      auditEntry(actor, row, 'grid_adjustment.effective', meta, {
        from: 'notice',
        to: 'effective',
        effectiveDate: eff,
        retired: report.retiredGrids.map((g) => g.code),
        reshaped: report.reshapedGrids.map((g) => g.code),
        created: created.map((g) => g.code),
        moved: Object.fromEntries(records.map((r) => [r.type, r.moved])),
      }),
      trx,
    );
    return { applied: { id, communityId: row.community_id, effectiveDate: eff, moved: report.totalMoved } };
  }

  return {
    async list(actor: Principal, q: { regionId?: string; status?: AdjustmentRow['status']; limit: number; offset: number }) {
      const paths = q.regionId ? [(await viewableCommunity(actor, q.regionId)).path] : viewRoots(actor).map((r) => r.path);
      const { rows, total } = await repo.list({ paths, status: q.status, limit: q.limit, offset: q.offset });
      return { items: await summaries(rows), total };
    },

    async get(actor: Principal, id: string): Promise<AdjustmentDetail> {
      return detail(actor, await viewable(actor, id));
    },

    async create(actor: Principal, body: CreateAdjustmentBody, meta: RequestMeta): Promise<AdjustmentDetail> {
      const community = await viewableCommunity(actor, body.communityId);
      requireCapture(actor, community.path);
      if (community.level !== 'community') {
        throw invalid([{ path: 'communityId', code: 'not_community', message: '调整申请须针对社区/村 / an adjustment is filed for a community or village' }]);
      }
      const stored = await validate(community, body.kind, body.sourceGridIds, body.proposal, body.coordSystem);
      const id = crypto.randomUUID();
      const status = body.submit ? 'submitted' : 'draft';
      return repo.transaction(async (trx) => {
        await repo.insert(
          {
            id,
            communityId: community.id,
            kind: body.kind,
            status,
            reason: body.reason,
            sourceGridIds: [...body.sourceGridIds],
            proposal: stored,
            noticeDays: body.noticeDays,
            effectiveDate: body.effectiveDate ?? null,
            createdBy: actor.userId,
          },
          trx,
        );
        const row = { id, community_id: community.id, community_path: community.path };
        await audit.append(
          auditEntry(actor, row, 'grid_adjustment.created', meta, { kind: body.kind, sourceGridIds: body.sourceGridIds, proposed: stored.length, status }),
          trx,
        );
        if (body.submit) await audit.append(auditEntry(actor, row, 'grid_adjustment.submitted', meta, { from: 'draft', to: 'submitted' }), trx);
        const after = await repo.findById(id, trx);
        if (!after) throw new AppError('NOT_FOUND');
        return detail(actor, after, trx);
      });
    },

    /** Reworks a draft or returned application (it stays or becomes a draft until submitted). */
    async update(actor: Principal, id: string, body: UpdateAdjustmentBody, meta: RequestMeta): Promise<AdjustmentDetail> {
      const current = await viewable(actor, id);
      requireCapture(actor, current.community_path);
      requireState(current, 'update');
      const community = await repo.community(current.community_id);
      if (!community) throw new AppError('NOT_FOUND');
      const stored = await validate(community, current.kind, body.sourceGridIds, body.proposal, body.coordSystem);
      return transition(
        actor,
        id,
        'update',
        meta,
        applierCheck(actor),
        async (_row, trx) => {
          await repo.update(
            id,
            {
              status: 'draft',
              reason: body.reason,
              sourceGridIds: [...body.sourceGridIds],
              proposal: stored,
              noticeDays: body.noticeDays,
              effectiveDate: body.effectiveDate ?? null,
            },
            trx,
          );
          return { sourceGridIds: body.sourceGridIds, proposed: stored.length };
        },
        'grid_adjustment.updated',
      );
    },

    async submit(actor: Principal, id: string, meta: RequestMeta): Promise<AdjustmentDetail> {
      return transition(
        actor,
        id,
        'submit',
        meta,
        applierCheck(actor),
        async (row, trx) => {
          // The grids may have changed since the draft was saved.
          const community = await repo.community(row.community_id, trx);
          if (!community) throw new AppError('NOT_FOUND');
          await validate(community, row.kind, row.source_grid_ids, row.proposal, 'WGS84', trx);
          await repo.update(id, { status: 'submitted' }, trx);
          return {};
        },
        'grid_adjustment.submitted',
      );
    },

    async withdraw(actor: Principal, id: string, meta: RequestMeta): Promise<AdjustmentDetail> {
      return transition(
        actor,
        id,
        'withdraw',
        meta,
        applierCheck(actor),
        async (_row, trx) => {
          await repo.update(id, { status: 'withdrawn' }, trx);
          return {};
        },
        'grid_adjustment.withdrawn',
      );
    },

    /** A center approves (→ public notice from today) or returns with reasons; never the applicant. */
    async review(actor: Principal, id: string, body: ReviewAdjustmentBody, meta: RequestMeta): Promise<AdjustmentDetail> {
      const action = body.decision === 'approve' ? 'approve' : 'return';
      return transition(
        actor,
        id,
        action,
        meta,
        (row) => {
          requireCapture(actor, row.community_path);
          if (row.created_by === actor.userId) throw new AppError('ADJUSTMENT_SELF_REVIEW');
        },
        async (row, trx) => {
          if (action === 'return') {
            await repo.update(id, { status: 'returned', reviewNote: body.note ?? '', reviewedBy: actor.userId }, trx);
            return { note: body.note };
          }
          const noticeFrom = today();
          const noticeDays = body.noticeDays ?? row.notice_days;
          const earliest = addDays(noticeFrom, noticeDays);
          if (body.effectiveDate && body.effectiveDate < earliest) {
            throw new AppError('VALIDATION_FAILED', {
              fields: [
                {
                  path: 'effectiveDate',
                  code: 'before_notice_end',
                  message: `生效日期不能早于公示期满次日 ${earliest} / the effective date cannot be before ${earliest}, the day after the notice period`,
                },
              ],
              details: { earliest, noticeFrom, noticeDays },
            });
          }
          const requested = body.effectiveDate ?? row.effective_date;
          const effectiveDate = requested && requested > earliest ? requested : earliest;
          const community = await repo.community(row.community_id, trx);
          if (!community) throw new AppError('NOT_FOUND');
          await validate(community, row.kind, row.source_grid_ids, row.proposal, 'WGS84', trx, effectiveDate);
          const conflicts = await repo.noticeConflicts(id, row.source_grid_ids, trx);
          if (conflicts.length) throw new AppError('ADJUSTMENT_CONFLICT', { details: { adjustmentIds: conflicts } });
          await repo.update(id, { status: 'notice', noticeDays, noticeFrom, effectiveDate, reviewNote: body.note ?? null, reviewedBy: actor.userId }, trx);
          return { noticeFrom, noticeDays, effectiveDate, note: body.note ?? null };
        },
        action === 'approve' ? 'grid_adjustment.approved' : 'grid_adjustment.returned',
      );
    },

    /**
     * Takes into effect every application under notice whose effective date is on or before
     * `day`, each in its own transaction. Rows are claimed with FOR UPDATE SKIP LOCKED, so several
     * processes may run this against one database and each application is applied once.
     */
    async applyDue(day: string = today(), actor: Principal | null = null, meta: RequestMeta | null = null): Promise<ApplyDueResult> {
      const result: ApplyDueResult = { today: day, applied: [], returned: [], failed: [] };
      const tried: string[] = [];
      for (;;) {
        let claimed: string | null = null;
        let outcome: Awaited<ReturnType<typeof takeEffect>> | null;
        try {
          outcome = await repo.transaction(async (trx) => {
            const id = await repo.claimDue(day, tried, trx);
            if (!id) return null;
            claimed = id;
            tried.push(id);
            return takeEffect(id, trx, actor, meta);
          });
        } catch (err) {
          // Rolled back whole; the next run tries again. Others due today still go ahead.
          if (!claimed) throw err;
          log?.(err, claimed);
          result.failed.push({ id: claimed });
          continue;
        }
        if (!outcome) break;
        if ('applied' in outcome) result.applied.push(outcome.applied);
        else result.returned.push(outcome.returned);
      }
      return result;
    },

    /** POST /apply-due: the same as the timer, now. */
    runDueNow(actor: Principal, meta: RequestMeta): Promise<ApplyDueResult> {
      return this.applyDue(today(), actor, meta);
    },
  };
}
export type AdjustmentsService = ReturnType<typeof createAdjustmentsService>;
