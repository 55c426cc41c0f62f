import { describe, expect, it, vi } from 'vitest';
import { bumpAuthEpoch } from '../../db/auth-writes.js';
import { createAuthService, SESSION_CACHE_MS } from './auth.service.js';

/** resolveSession reads a session once per SESSION_CACHE_MS, and again at once after a write to the auth tables. */
describe('session reads reused', () => {
  const row = () => ({
    id: 'u1',
    username: 'wgy',
    display_name: '张网格员',
    role: 'grid_worker',
    org_unit_id: null,
    locale: 'zh-CN',
    disabled: false,
    must_change_password: false,
    session_id: 's1',
    csrf_token: 'c1',
    expires_at: new Date(Date.now() + 3_600_000),
    revoked_at: null as Date | null,
    last_seen_at: new Date(),
    scopes: [{ kind: 'capture', regionId: 'r1', path: '/r1/', code: '1', name: '社区' }],
    staffed_grids: ['g1'],
  });
  const setup = () => {
    let stored = row();
    const repo = { findSessionWithUser: vi.fn(async () => stored), touchSession: vi.fn(async () => {}) };
    const auth = createAuthService({
      repo: repo as never,
      audit: { append: async () => {} } as never,
      config: { session: { ttlHours: 12, idleMinutes: 120 }, login: {} as never, sessionSecret: 'x'.repeat(32) },
      throttle: {} as never,
    });
    return { auth, repo, set: (r: ReturnType<typeof row>) => (stored = r) };
  };

  it('a burst of requests reads the session once', async () => {
    const { auth, repo } = setup();
    for (let i = 0; i < 5; i++) expect(await auth.resolveSession('token')).toMatchObject({ principal: { userId: 'u1', grids: ['g1'] }, csrfToken: 'c1' });
    expect(repo.findSessionWithUser).toHaveBeenCalledTimes(1);
    // Another token is another session.
    await auth.resolveSession('other');
    expect(repo.findSessionWithUser).toHaveBeenCalledTimes(2);
  });

  it('a write to the auth tables makes the next request read again and see the change', async () => {
    const { auth, repo, set } = setup();
    await auth.resolveSession('token');
    set({ ...row(), revoked_at: new Date() });
    bumpAuthEpoch();
    expect(await auth.resolveSession('token')).toEqual({ failure: 'AUTH_SESSION_EXPIRED' });
    expect(repo.findSessionWithUser).toHaveBeenCalledTimes(2);
  });

  it('reads again once SESSION_CACHE_MS has passed', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const { auth, repo } = setup();
      await auth.resolveSession('token');
      vi.advanceTimersByTime(SESSION_CACHE_MS + 1);
      await auth.resolveSession('token');
      expect(repo.findSessionWithUser).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
