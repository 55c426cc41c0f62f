import { ApiError } from '../../../common/api/client';

/** The server writes some texts as “中文 / English” (flag and field messages): the side for `locale`. */
export function localPart(text: string, locale: string): string {
  const i = text.indexOf(' / ');
  if (i < 0) return text;
  return locale === 'en' ? text.slice(i + 3) : text.slice(0, i);
}

/** The server's message and its field messages, for an alert under a map action. */
export function describeError(e: unknown, locale: string): string {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : String(e);
  const parts = e.fields.map((f) => localPart(f.message, locale)).filter((m) => m && m !== e.message);
  return [e.message, ...parts].join('；');
}

/** Whether a refusal is about overlapping neighbours — the one a draft may be saved despite. */
export function isOverlapRefusal(e: unknown): boolean {
  if (!(e instanceof ApiError)) return false;
  return /OVERLAP/.test(e.code) || e.fields.some((f) => /overlap/i.test(f.code));
}
