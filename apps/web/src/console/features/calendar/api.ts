import type { DeadlinePreview, HolidayYear, LimitUnit, OfficeHours, SetHolidayYearRequest } from '@gridgov/contracts/calendar';
import type { z } from 'zod';
import { api } from '../../../common/api/client';

export const calendarApi = {
  years: () => api.get<{ items: HolidayYear[] }>('/api/calendar/years'),
  setYear: (year: number, body: SetHolidayYearRequest) => api.put<HolidayYear>(`/api/calendar/years/${year}`, body),
  officeHours: (regionId: string) => api.get<z.infer<typeof OfficeHours>>(`/api/calendar/office-hours/${regionId}`),
  setOfficeHours: (regionId: string, periods: [string, string][]) =>
    api.put<z.infer<typeof OfficeHours>>(`/api/calendar/office-hours/${regionId}`, { periods }),
  deadline: (q: { start: string; amount: number; unit: LimitUnit; regionId?: string }) => api.get<z.infer<typeof DeadlinePreview>>('/api/calendar/deadline', q),
};

/** holiday-cn's JSON ({ year, days: [{ name, date, isOffDay }] }), as published for each year, → our lists. */
export function fromHolidayCn(json: unknown): { year: number; offDays: string[]; workDays: string[]; names: string[] } {
  const o = json as { year?: unknown; days?: unknown };
  if (typeof o?.year !== 'number' || !Array.isArray(o.days)) throw new Error('not a holiday-cn file: expected { year, days: [...] }');
  const offDays: string[] = [];
  const workDays: string[] = [];
  const names = new Set<string>();
  for (const d of o.days as { name?: string; date?: string; isOffDay?: boolean }[]) {
    if (typeof d.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(d.date) || typeof d.isOffDay !== 'boolean')
      throw new Error(`bad day entry: ${JSON.stringify(d)}`);
    (d.isOffDay ? offDays : workDays).push(d.date);
    if (d.name) names.add(d.name);
  }
  return { year: o.year, offDays, workDays, names: [...names] };
}
