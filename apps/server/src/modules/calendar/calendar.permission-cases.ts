import type { Case } from '../../../test/permission-matrix.types.js';

const get = (url: string) => ({ method: 'GET', url });

/** Permission-matrix cases of the calendar endpoints (merged by src/http/permission-matrix.int.test.ts). */
export const calendarCases: Record<string, Case> = {
  'GET /api/calendar/years': { build: () => get('/api/calendar/years'), out: null },
  'GET /api/calendar/years/:year': { build: () => get('/api/calendar/years/2026'), out: null },
  'PUT /api/calendar/years/:year': {
    build: () => ({ method: 'PUT', url: '/api/calendar/years/2030', payload: { source: '权限矩阵测试', offDays: ['2030-01-01'], workDays: [] } }),
    out: null,
  },
  'GET /api/calendar/office-hours/:regionId': {
    build: (f, w, target) => get(`/api/calendar/office-hours/${target === 'in' ? w.home.community.id : f.out.community.id}`),
  },
  'PUT /api/calendar/office-hours/:regionId': {
    build: (f, w, target) => ({
      method: 'PUT',
      url: `/api/calendar/office-hours/${target === 'in' ? w.home.community.id : f.out.community.id}`,
      payload: {
        periods: [
          ['08:30', '12:00'],
          ['14:00', '17:30'],
        ],
      },
    }),
  },
  'GET /api/calendar/deadline': {
    build: (f, w, target) =>
      get(
        `/api/calendar/deadline?start=2026-04-03T19:00:00%2B08:00&amount=8&unit=working_hours&regionId=${target === 'in' ? w.home.community.id : f.out.community.id}`,
      ),
  },
};
