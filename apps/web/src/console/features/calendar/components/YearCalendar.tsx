import { Tooltip } from 'antd';
import type { CSSProperties } from 'react';
import { useI18n } from '../../../../common/i18n/I18nProvider';

export type DayMark = 'off' | 'work' | null;

const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = Array.from({ length: 12 }, (_, m) => m);

/**
 * A whole year, month by month (Monday first): statutory days off in red (休), 调休 working days in blue
 * (班), ordinary weekends grey. When `onToggle` is given, each day is a button that cycles it (a weekday:
 * normal ↔ off; a weekend day: normal → off → make-up working day).
 */
export function YearCalendar({
  year,
  offDays,
  workDays,
  onToggle,
}: {
  year: number;
  offDays: Set<string>;
  workDays: Set<string>;
  onToggle?: (date: string) => void;
}) {
  const { t, locale } = useI18n();
  const weekdays = locale === 'en' ? ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] : ['一', '二', '三', '四', '五', '六', '日'];
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(230px, 1fr))', gap: 12 }} data-testid="year-calendar">
      {MONTHS.map((m) => {
        const first = new Date(Date.UTC(year, m, 1)).getUTCDay();
        const lead = (first + 6) % 7;
        const days = new Date(Date.UTC(year, m + 1, 0)).getUTCDate();
        // Blank cells before the 1st get negative numbers, so every cell has a stable key.
        const cells = [...Array.from({ length: lead }, (_, i) => -i - 1), ...Array.from({ length: days }, (_, i) => i + 1)];
        return (
          <div key={`${year}-${m}`} style={{ border: '1px solid #e5e8ee', borderRadius: 4, padding: 8 }}>
            <div style={{ fontWeight: 600, marginBottom: 4 }}>{t('cal.month', { m: m + 1 })}</div>
            <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 2, fontSize: 12, textAlign: 'center' }}>
              {weekdays.map((w) => (
                <div key={w} style={{ color: '#8c8c8c' }}>
                  {w}
                </div>
              ))}
              {cells.map((d) => {
                if (d < 0) return <div key={`blank${d}`} />;
                const date = `${year}-${pad(m + 1)}-${pad(d)}`;
                const weekend = (lead + d - 1) % 7 >= 5;
                const mark: DayMark = offDays.has(date) ? 'off' : workDays.has(date) ? 'work' : null;
                const style: CSSProperties = {
                  borderRadius: 3,
                  padding: '2px 0',
                  position: 'relative',
                  background: mark === 'off' ? '#ffe3e3' : mark === 'work' ? '#dbe9ff' : weekend ? '#f3f4f6' : 'transparent',
                  color: mark === 'off' ? '#c92a2a' : mark === 'work' ? '#1c5fd4' : weekend ? '#868e96' : undefined,
                  fontWeight: mark ? 600 : undefined,
                };
                const label = mark === 'off' ? t('cal.off') : mark === 'work' ? t('cal.work') : weekend ? t('cal.weekend') : t('cal.workday');
                const dataMark = mark ?? (weekend ? 'weekend' : 'workday');
                const content = (
                  <>
                    {d}
                    {mark && (
                      <span style={{ position: 'absolute', top: -2, right: 1, fontSize: 9 }}>{mark === 'off' ? t('cal.offShort') : t('cal.workShort')}</span>
                    )}
                  </>
                );
                return (
                  <Tooltip key={date} title={`${date} ${label}`} mouseEnterDelay={0.4}>
                    {onToggle ? (
                      <button
                        type="button"
                        style={{ ...style, border: 'none', font: 'inherit', width: '100%', cursor: 'pointer' }}
                        data-date={date}
                        data-mark={dataMark}
                        onClick={() => onToggle(date)}
                      >
                        {content}
                      </button>
                    ) : (
                      <div style={style} data-date={date} data-mark={dataMark}>
                        {content}
                      </div>
                    )}
                  </Tooltip>
                );
              })}
            </div>
          </div>
        );
      })}
    </div>
  );
}
