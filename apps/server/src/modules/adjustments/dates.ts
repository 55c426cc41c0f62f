export { todayInChina } from '../grids/today.js';

/** The calendar date `days` after an ISO date (YYYY-MM-DD); negative goes back. */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
