import { describe, expect, it } from 'vitest';
import { compileOnlyDb as db } from '../../../test/compile-only-db.js';
import { type ListScopeCaller, listScope } from './cases.repository.js';

const text = (c: ListScopeCaller, view: Parameters<typeof listScope>[1]) => listScope(c, view).compile(db).sql;
const street: ListScopeCaller = {
  userId: 'u1',
  orgUnitId: 'o1',
  role: 'street_center',
  canRead: true,
  canDispatch: true,
  viewPaths: ['/d/s/'],
  capturePaths: ['/d/s/'],
  grids: null,
};

describe('the case list scope', () => {
  it('the queue of a dispatcher whose capture lies inside the view is the capture subtree alone', () => {
    const sql = text(street, 'queue');
    expect(sql).not.toMatch(/reporter_user_id|lead_org_unit_id/);
    expect(sql).toContain('region_path');
  });

  it('keeps the whole visibility condition where the capture subtree does not imply it', () => {
    // A capture root outside every view root (not made by loadPrincipal, but the condition must not assume it).
    expect(text({ ...street, viewPaths: ['/d/other/'] }, 'queue')).toMatch(/reporter_user_id/);
    // No case.read: only one's own reports are visible.
    expect(text({ ...street, canRead: false }, 'queue')).toMatch(/reporter_user_id/);
    // Department handlers see by unit, grid staff by grid.
    expect(text({ ...street, role: 'dept_handler' }, 'queue')).toMatch(/lead_org_unit_id/);
    expect(text({ ...street, role: 'grid_worker', grids: ['g1'] }, 'queue')).toMatch(/grid_id/);
    // The other views keep it too.
    expect(text(street, 'inbox')).toMatch(/reporter_user_id/);
  });
});
