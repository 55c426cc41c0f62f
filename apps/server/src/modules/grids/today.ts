/** Calendar dates (YYYY-MM-DD) of grid validity are China Standard Time, whatever the host's time zone. */
const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

export function todayInChina(now: Date = new Date()): string {
  return fmt.format(now);
}
