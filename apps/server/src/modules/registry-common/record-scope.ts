import { AppError } from '../../http/app-error.js';
import { canCaptureRecord, canViewRecord, type Principal } from '../../http/principal.js';
import { viewRoots } from '../regions/subtree.js';
import type { GridPlace, RecordScopeRepository } from './record-scope.repository.js';

/**
 * Which grids a list query may return records from. `null` = every record (the caller's scope is the
 * whole database and nothing narrows it); otherwise the grid ids (possibly empty: nothing visible).
 * Used as `where grid_id = any(...)`, which keeps the scope check in SQL, before paging and counting.
 */
export type GridFilter = readonly string[] | null;

export interface GridFilterOptions {
  /** Narrow to a region subtree; outside the caller's scope → nothing. */
  regionId?: string;
  /** Narrow to one grid; outside the caller's scope → nothing. */
  gridId?: string;
}

export function createRecordScope(repo: RecordScopeRepository) {
  async function gridFilter(p: Principal, mode: 'view' | 'capture', opts: GridFilterOptions = {}): Promise<GridFilter> {
    let roots = (mode === 'view' ? viewRoots(p) : p.capture).map((r) => r.path);
    if (opts.regionId) {
      const path = await repo.regionPath(opts.regionId);
      if (!path || !roots.some((r) => path.startsWith(r))) return [];
      roots = [path];
    }
    let ids: string[] | null;
    if (!opts.regionId && !p.grids && roots.length === 1 && (await repo.isTopRegion(roots[0] as string))) ids = null;
    else ids = await repo.gridsUnder(roots);
    if (p.grids) {
      const mine = new Set(p.grids);
      ids = (ids ?? [...mine]).filter((id) => mine.has(id));
    }
    if (opts.gridId) return ids === null || ids.includes(opts.gridId) ? [opts.gridId] : [];
    return ids;
  }

  return {
    gridFilter,

    /** The grid's place when the caller may read records in it; NOT_FOUND otherwise (no existence leak). */
    async viewableGrid(p: Principal, gridId: string): Promise<GridPlace> {
      const place = await repo.gridPlace(gridId);
      if (!place || !canViewRecord(p, { regionPath: place.regionPath, gridId })) throw new AppError('NOT_FOUND');
      return place;
    },

    /**
     * The grid's place when the caller may write records in it. Outside the view scope → NOT_FOUND;
     * visible but not writable → OUT_OF_SCOPE; a retired grid takes no new records.
     */
    async capturableGrid(p: Principal, gridId: string): Promise<GridPlace> {
      const place = await repo.gridPlace(gridId);
      if (!place || !canViewRecord(p, { regionPath: place.regionPath, gridId })) throw new AppError('NOT_FOUND');
      if (!canCaptureRecord(p, { regionPath: place.regionPath, gridId })) throw new AppError('OUT_OF_SCOPE');
      if (place.retired) throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'gridId', code: 'retired', message: '该网格已撤销，请选择现行网格' }] });
      return place;
    },

    place: (gridId: string) => repo.gridPlace(gridId),
  };
}
export type RecordScope = ReturnType<typeof createRecordScope>;
