import { zipSync } from 'fflate';

/**
 * Writes polygon shapefiles for the import tests (ESRI Shapefile Technical Description, 1998):
 * .shp + .shx + .dbf (character fields only) and optional .prj / .cpg, zipped.
 */

type Ring = [number, number][];

let gbkTable: Map<string, number[]> | null = null;
/** GBK bytes of a string, from the inverse of the platform's GBK decoder (test data only). */
export function encodeGbk(text: string): Uint8Array {
  if (!gbkTable) {
    gbkTable = new Map();
    const dec = new TextDecoder('gbk');
    for (let a = 0x81; a <= 0xfe; a++) {
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const ch = dec.decode(new Uint8Array([a, b]));
        if (ch.length === 1 && ch !== '\ufffd' && !gbkTable.has(ch)) gbkTable.set(ch, [a, b]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (code < 0x80) out.push(code);
    else {
      const bytes = gbkTable.get(ch);
      if (!bytes) throw new Error(`no GBK code for ${ch}`);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}

const signedArea = (r: Ring) =>
  r.reduce((s, p, i) => (i + 1 < r.length ? s + p[0] * (r[i + 1] as [number, number])[1] - (r[i + 1] as [number, number])[0] * p[1] : s), 0);
/** Shapefile outer rings run clockwise. */
const clockwise = (r: Ring): Ring => (signedArea(r) > 0 ? [...r].reverse() : r);

export function writeShapefile(
  features: { rings: Ring[]; attributes: Record<string, string> }[],
  opts: { fields: { name: string; length: number }[]; encoding: 'utf-8' | 'gbk'; ldid?: number },
): { shp: Uint8Array; shx: Uint8Array; dbf: Uint8Array } {
  const records = features.map((f) => {
    const rings = f.rings.map(clockwise);
    const points = rings.flat();
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    const len = 4 + 32 + 4 + 4 + 4 * rings.length + 16 * points.length;
    const b = new DataView(new ArrayBuffer(len));
    b.setInt32(0, 5, true);
    for (const [i, v] of [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].entries()) b.setFloat64(4 + 8 * i, v, true);
    b.setInt32(36, rings.length, true);
    b.setInt32(40, points.length, true);
    let start = 0;
    rings.forEach((r, i) => {
      b.setInt32(44 + 4 * i, start, true);
      start += r.length;
    });
    const p0 = 44 + 4 * rings.length;
    points.forEach((p, i) => {
      b.setFloat64(p0 + 16 * i, p[0], true);
      b.setFloat64(p0 + 16 * i + 8, p[1], true);
    });
    return new Uint8Array(b.buffer);
  });
  const all = features.flatMap((f) => f.rings.flat());
  const bbox = [Math.min(...all.map((p) => p[0])), Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[0])), Math.max(...all.map((p) => p[1]))];
  const header = (bytes: number) => {
    const h = new DataView(new ArrayBuffer(100));
    h.setInt32(0, 9994, false);
    h.setInt32(24, bytes / 2, false);
    h.setInt32(28, 1000, true);
    h.setInt32(32, 5, true);
    for (const [i, v] of bbox.entries()) h.setFloat64(36 + 8 * i, v as number, true);
    return new Uint8Array(h.buffer);
  };
  const shpLen = 100 + records.reduce((s, r) => s + 8 + r.length, 0);
  const shp = new Uint8Array(shpLen);
  const shx = new Uint8Array(100 + 8 * records.length);
  shp.set(header(shpLen), 0);
  shx.set(header(shx.length), 0);
  let off = 100;
  records.forEach((r, i) => {
    const rh = new DataView(shp.buffer, off, 8);
    rh.setInt32(0, i + 1, false);
    rh.setInt32(4, r.length / 2, false);
    const xh = new DataView(shx.buffer, 100 + 8 * i, 8);
    xh.setInt32(0, off / 2, false);
    xh.setInt32(4, r.length / 2, false);
    shp.set(r, off + 8);
    off += 8 + r.length;
  });

  const enc = (s: string) => (opts.encoding === 'gbk' ? encodeGbk(s) : new TextEncoder().encode(s));
  const recordLength = 1 + opts.fields.reduce((s, f) => s + f.length, 0);
  const headerLength = 32 + 32 * opts.fields.length + 1;
  const dbf = new Uint8Array(headerLength + recordLength * features.length + 1);
  const dh = new DataView(dbf.buffer);
  dbf[0] = 0x03;
  dbf.set([126, 11, 23], 1);
  dh.setUint32(4, features.length, true);
  dh.setUint16(8, headerLength, true);
  dh.setUint16(10, recordLength, true);
  dbf[29] = opts.ldid ?? 0;
  opts.fields.forEach((f, i) => {
    const name = enc(f.name);
    if (name.length > 10) throw new Error(`DBF field name too long: ${f.name}`);
    dbf.set(name, 32 + 32 * i);
    dbf[32 + 32 * i + 11] = 'C'.charCodeAt(0);
    dbf[32 + 32 * i + 16] = f.length;
  });
  dbf[headerLength - 1] = 0x0d;
  features.forEach((feat, k) => {
    let o = headerLength + recordLength * k;
    dbf[o++] = 0x20;
    for (const f of opts.fields) {
      const v = enc(feat.attributes[f.name] ?? '');
      dbf.fill(0x20, o, o + f.length);
      dbf.set(v.subarray(0, f.length), o);
      o += f.length;
    }
  });
  dbf[dbf.length - 1] = 0x1a;
  return { shp, shx, dbf };
}

export const PRJ_CGCS2000 =
  'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
export const PRJ_WGS84 =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
export const PRJ_CGCS2000_GK39 =
  'PROJCS["CGCS2000_3_Degree_GK_Zone_39",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",39500000.0],PARAMETER["Central_Meridian",117.0],UNIT["Meter",1.0]]';

export function zipShapefile(
  name: string,
  files: { shp: Uint8Array; shx: Uint8Array; dbf: Uint8Array },
  extra: { prj?: string; cpg?: string } = {},
): Uint8Array {
  const entries: Record<string, Uint8Array> = { [`${name}.shp`]: files.shp, [`${name}.shx`]: files.shx, [`${name}.dbf`]: files.dbf };
  if (extra.prj !== undefined) entries[`${name}.prj`] = new TextEncoder().encode(extra.prj);
  if (extra.cpg !== undefined) entries[`${name}.cpg`] = new TextEncoder().encode(extra.cpg);
  return zipSync(entries);
}

/** A multipart/form-data body for app.inject. */
export function multipart(
  fields: Record<string, string>,
  file: { name: string; data: Uint8Array } | null,
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----gridgov${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/zip\r\n\r\n`));
    parts.push(Buffer.from(file.data));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
