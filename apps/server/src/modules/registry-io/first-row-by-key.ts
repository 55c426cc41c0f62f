/**
 * The in-file duplicate check's memory: for each upsert key seen so far, the row it was first seen on. A million
 * persons' 身份证号 kept as JS strings in a Map cost about 100 MB of heap; an 18-character mainland number is 17
 * digits and a check character, so it packs into two 32-bit words kept in typed arrays (open addressing, about
 * 24 MB at a million). Every other key (other documents, addresses, credit codes) goes to a plain Map.
 */
export class FirstRowByKey {
  private hi = new Uint32Array(1 << 16);
  private lo = new Uint32Array(1 << 16);
  /** Row number + 1 per slot; 0 = empty. */
  private rows = new Uint32Array(1 << 16);
  private used = 0;
  private readonly other = new Map<string, number>();

  get size() {
    return this.used + this.other.size;
  }

  get(key: string): number | undefined {
    if (!packable(key)) return this.other.get(key);
    const h = packHi(key);
    const l = packLo(key);
    const mask = this.rows.length - 1;
    for (let i = slot(h, l, mask); ; i = (i + 1) & mask) {
      const r = this.rows[i] as number;
      if (r === 0) return undefined;
      if (this.hi[i] === h && this.lo[i] === l) return r - 1;
    }
  }

  /** Records `row` for `key` unless the key is already there (the first row wins). */
  set(key: string, row: number) {
    if (!packable(key)) {
      if (!this.other.has(key)) this.other.set(detached(key), row);
      return;
    }
    if ((this.used + 1) * 2 > this.rows.length) this.grow();
    this.insert(packHi(key), packLo(key), row + 1);
  }

  private insert(h: number, l: number, rowPlusOne: number) {
    const mask = this.rows.length - 1;
    for (let i = slot(h, l, mask); ; i = (i + 1) & mask) {
      if (this.rows[i] === 0) {
        this.hi[i] = h;
        this.lo[i] = l;
        this.rows[i] = rowPlusOne;
        this.used++;
        return;
      }
      if (this.hi[i] === h && this.lo[i] === l) return;
    }
  }

  private grow() {
    const { hi, lo, rows } = this;
    this.hi = new Uint32Array(rows.length * 2);
    this.lo = new Uint32Array(rows.length * 2);
    this.rows = new Uint32Array(rows.length * 2);
    this.used = 0;
    for (let i = 0; i < rows.length; i++) if (rows[i] !== 0) this.insert(hi[i] as number, lo[i] as number, rows[i] as number);
  }
}

/** 17 ASCII digits and a digit or X: a mainland 身份证号 (its check character already verified or not: either way exact). */
function packable(key: string): boolean {
  if (key.length !== 18) return false;
  for (let i = 0; i < 17; i++) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const last = key.charCodeAt(17);
  return (last >= 48 && last <= 57) || last === 88;
}

/** Digits 1–9 as a number (< 10^9). */
function packHi(key: string): number {
  let v = 0;
  for (let i = 0; i < 9; i++) v = v * 10 + (key.charCodeAt(i) - 48);
  return v;
}

/** Digits 10–17 and the check character (0–9, X = 10) as one number (< 1.1 × 10^9). */
function packLo(key: string): number {
  let v = 0;
  for (let i = 9; i < 17; i++) v = v * 10 + (key.charCodeAt(i) - 48);
  const last = key.charCodeAt(17);
  return v * 11 + (last === 88 ? 10 : last - 48);
}

function slot(h: number, l: number, mask: number): number {
  return (Math.imul(h, 0x9e3779b1) ^ Math.imul(l ^ (l >>> 15), 0x85ebca77)) & mask;
}

/**
 * The key as a string of its own. A cell split from a decoded record is a slice that keeps the whole record
 * alive: the fallback map above holds a key per row to the end of the file, and with slices a million-row
 * import kept every record's text (hundreds of MiB, and the garbage collector's time to walk them). Pieces
 * shorter than 13 characters are copied, not sliced, and joining them references only the pieces.
 */
const detached = (s: string) => (s.length < 13 ? s : s.length <= 24 ? s.slice(0, 12) + s.slice(12) : Buffer.from(s).toString());
