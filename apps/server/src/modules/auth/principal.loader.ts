import { type Permission, type Role, rolePermissions } from '@gridgov/contracts/roles';
import type { Principal, ScopeRoot } from '../../http/principal.js';
import type { AuthRepository } from './auth.repository.js';

type UserRow = NonNullable<Awaited<ReturnType<AuthRepository['findUserById']>>>;

/** Builds the principal for a user row: permissions from the role, scopes from user_scope. */
export async function loadPrincipal(
  repo: Pick<AuthRepository, 'scopesOf' | 'staffedGrids'>,
  user: UserRow,
  extra: Partial<Principal> = {},
  /** Scopes and served grids already read with the session (resolveSession's one round trip). */
  preloaded?: { scopes: { kind: string; regionId: string; path: string }[]; grids: string[] },
): Promise<Principal> {
  const scopes = preloaded?.scopes ?? (await repo.scopesOf(user.id));
  const capture: ScopeRoot[] = scopes.filter((s) => s.kind === 'capture').map((s) => ({ regionId: s.regionId, path: s.path }));
  const view: ScopeRoot[] = scopes.filter((s) => s.kind === 'view').map((s) => ({ regionId: s.regionId, path: s.path }));
  // Whatever a user may write, they may read.
  for (const c of capture) if (!view.some((v) => c.path.startsWith(v.path))) view.push(c);
  const role = user.role as Role;
  // Grid leaders and workers see people's data of the grids they serve, not their whole community.
  const grids = role === 'grid_worker' || role === 'grid_leader' ? (preloaded?.grids ?? (await repo.staffedGrids(user.id))) : null;
  return {
    kind: 'user',
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    role,
    orgUnitId: user.org_unit_id,
    permissions: new Set<Permission>(rolePermissions[role]),
    capture,
    view,
    grids,
    mustChangePassword: user.must_change_password,
    locale: user.locale,
    ...extra,
  };
}
