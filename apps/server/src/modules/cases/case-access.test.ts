import { type Role, rolePermissions } from '@gridgov/contracts/roles';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../http/principal.js';
import { actorKinds, type CaseAccessFields, canViewCase } from './case-access.js';

const street = '/d/s1/';
const community = '/d/s1/c1/';
const other = '/d/s2/c9/';
const who = (role: Role, over: Partial<Principal> = {}): Principal => ({
  kind: 'user',
  userId: `u-${role}`,
  username: role,
  displayName: role,
  role,
  orgUnitId: null,
  permissions: new Set(rolePermissions[role]),
  capture: [],
  view: [],
  mustChangePassword: false,
  locale: 'zh-CN',
  ...over,
});
const scope = (path: string) => ({ capture: [{ regionId: path, path }], view: [{ regionId: path, path }] });
const theCase: CaseAccessFields = {
  region_path: community,
  grid_id: 'g1',
  lead_org_unit_id: 'dept-cg',
  co_org_unit_ids: ['dept-zj'],
  reporter_user_id: 'u-resident',
  child_reporter_ids: ['u-child'],
};

describe('who the caller is to a case, and whether they see it', () => {
  it.each([
    ['street center over the community', who('street_center', scope(street)), ['dispatcher'], true],
    ['street center of another street', who('street_center', scope('/d/s2/')), [], false],
    ['community station', who('community_station', scope(community)), ['dispatcher'], true],
    ['lead department handler', who('dept_handler', { ...scope('/d/'), orgUnitId: 'dept-cg' }), ['handler'], true],
    ['cooperating department', who('dept_handler', { ...scope('/d/'), orgUnitId: 'dept-zj' }), ['co_handler'], true],
    ['another department (district scope, not sent to it)', who('dept_handler', { ...scope('/d/'), orgUnitId: 'dept-sj' }), [], false],
    ['grid worker of the grid', who('grid_worker', { ...scope(community), grids: ['g1'] }), ['grid_staff'], true],
    ['grid worker of another grid in the community', who('grid_worker', { ...scope(community), grids: ['g2'] }), [], false],
    ['grid worker elsewhere', who('grid_worker', { ...scope(other), grids: ['g9'] }), [], false],
    ['the reporter (resident)', who('resident', { userId: 'u-resident' }), ['reporter'], true],
    ['the reporter of a merged child', who('resident', { userId: 'u-child' }), ['reporter'], true],
    ['another resident', who('resident', { userId: 'u-x' }), [], false],
  ] as const)('%s', (_name, p, kinds, visible) => {
    expect(actorKinds(p, theCase)).toEqual(kinds);
    expect(canViewCase(p, theCase)).toBe(visible);
  });

  it('a grid worker sees their own report in another grid, but is not grid staff there', () => {
    const p = who('grid_worker', { ...scope(community), grids: ['g2'], userId: 'u-resident' });
    expect(canViewCase(p, theCase)).toBe(true);
    expect(actorKinds(p, theCase)).toEqual(['reporter']);
  });
});
