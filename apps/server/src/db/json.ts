/** A json/jsonb column's value: pg parses it, PGlite and some raw queries hand back the text. Same value either way. */
export function fromJson<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}
