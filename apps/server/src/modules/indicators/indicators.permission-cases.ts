import type { Case } from '../../../test/permission-matrix.types.js';

const region = (f: Parameters<Case['build']>[0], w: Parameters<Case['build']>[1], target: 'in' | 'out') =>
  target === 'in' ? w.home.community.id : f.out.community.id;

/** Permission-matrix cases of the indicators API (merged by src/http/permission-matrix.int.test.ts). */
export const indicatorsCases: Record<string, Case> = {
  'GET /api/indicators': {
    build: (f, w, target) => ({ method: 'GET', url: `/api/indicators?groupBy=grid&from=2026-01-01&to=2026-12-31&regionId=${region(f, w, target)}` }),
  },
  'GET /api/indicators/settings': { build: (f, w, target) => ({ method: 'GET', url: `/api/indicators/settings?regionId=${region(f, w, target)}` }) },
  'PUT /api/indicators/settings': {
    build: (f, w, target) => ({
      method: 'PUT',
      url: '/api/indicators/settings',
      payload: {
        regionId: region(f, w, target),
        denominators: { rework: 'shouldClose', close: 'shouldCloseMinusSuspended', extension: 'shouldHandle', satisfaction: 'satisfiedAndBasic' },
      },
    }),
  },
};
