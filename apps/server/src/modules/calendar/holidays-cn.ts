/**
 * China's statutory holidays and 调休 make-up working days, as published by the State Council 办公厅
 * each November for the next year (no algorithm gives them; see domain-reference.md §5). Shipped as
 * data; an administrator can correct a year or load the next one, and a year without a schedule falls
 * back to Monday–Friday with a visible warning.
 */
export interface HolidaySchedule {
  year: number;
  /** Where the dates come from. */
  source: string;
  /** Statutory days off (including the weekend days inside a holiday block). */
  offDays: readonly string[];
  /** Weekend days that are working days (调休上班). */
  workDays: readonly string[];
}

/** Expands inclusive date ranges 'YYYY-MM-DD..YYYY-MM-DD' (or single dates). */
function days(...ranges: string[]): string[] {
  const out: string[] = [];
  for (const r of ranges) {
    const [from, to = from] = r.split('..') as [string, string?];
    for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) {
      out.push(d.toISOString().slice(0, 10));
    }
  }
  return out;
}

export const cnHolidaySchedules: readonly HolidaySchedule[] = [
  {
    year: 2025,
    source: '国办发明电〔2024〕12号',
    // 元旦 1/1; 春节 1/28–2/4; 清明 4/4–4/6; 劳动节 5/1–5/5; 端午 5/31–6/2; 国庆·中秋 10/1–10/8.
    offDays: days(
      '2025-01-01',
      '2025-01-28..2025-02-04',
      '2025-04-04..2025-04-06',
      '2025-05-01..2025-05-05',
      '2025-05-31..2025-06-02',
      '2025-10-01..2025-10-08',
    ),
    workDays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  {
    year: 2026,
    source: '国务院办公厅关于2026年部分节假日安排的通知 (gov.cn content_7047091)',
    // 元旦 1/1–1/3; 春节 2/15–2/23; 清明 4/4–4/6; 劳动节 5/1–5/5; 端午 6/19–6/21; 中秋 9/25–9/27; 国庆 10/1–10/7.
    offDays: days(
      '2026-01-01..2026-01-03',
      '2026-02-15..2026-02-23',
      '2026-04-04..2026-04-06',
      '2026-05-01..2026-05-05',
      '2026-06-19..2026-06-21',
      '2026-09-25..2026-09-27',
      '2026-10-01..2026-10-07',
    ),
    workDays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
];
