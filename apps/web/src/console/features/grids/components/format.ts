/** Whole numbers with thousands separators (zh and en alike): 12,345. */
export function formatNumber(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Areas in m², whole metres: “12,345 m²”. */
export function formatM2(n: number): string {
  return `${formatNumber(n)} m²`;
}

/** Today as YYYY-MM-DD in the browser's time zone. */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
