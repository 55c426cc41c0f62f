import { AppError } from '../../http/app-error.js';
import type { GridIndexKeeper } from '../gridlookup/grid-index.js';

/** Where a new or moved record is: a grid chosen outright and/or a WGS84 point. */
export interface PlacementInput {
  gridId?: string;
  lng?: number;
  lat?: number;
}

/**
 * Resolves a record's grid: a point decides through the in-process grid index (the same lookup every
 * intake path uses); a grid given with a point must agree with it. Call this BEFORE opening a
 * transaction: on PGlite the index refresh reads through `db`, which a held transaction would block.
 */
export async function resolvePlacement(index: GridIndexKeeper, input: PlacementInput): Promise<{ gridId: string; point: [number, number] | null }> {
  const hasPoint = input.lng !== undefined && input.lat !== undefined;
  if (input.lng !== undefined && input.lat === undefined) throw fieldError('lat', '请同时填写经度和纬度');
  if (input.lat !== undefined && input.lng === undefined) throw fieldError('lng', '请同时填写经度和纬度');
  if (hasPoint) {
    const point: [number, number] = [input.lng as number, input.lat as number];
    const found = (await index.ensureFresh()).lookup(point[0], point[1]);
    if (!found) throw new AppError('LOCATION_OUTSIDE_GRIDS', { fields: [{ path: 'lng', code: 'outside', message: '该位置不在任何网格内' }] });
    if (input.gridId && input.gridId !== found) {
      throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'gridId', code: 'mismatch', message: '标注的位置不在所选网格内' }] });
    }
    return { gridId: found, point };
  }
  if (input.gridId) return { gridId: input.gridId, point: null };
  throw new AppError('LOCATION_REQUIRED', { fields: [{ path: 'gridId', code: 'required', message: '请选择网格或标注位置' }] });
}

const fieldError = (path: string, message: string) => new AppError('VALIDATION_FAILED', { fields: [{ path, code: 'required', message }] });
