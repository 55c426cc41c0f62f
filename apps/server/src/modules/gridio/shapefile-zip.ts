import { unzipSync } from 'fflate';
import { read } from 'shapefile';
import { AppError } from '../../http/app-error.js';

/** Zip entries larger than this (uncompressed) are refused: a grid layer is megabytes, not gigabytes. */
const MAX_ENTRY_BYTES = 200 * 1024 * 1024;
const WANTED = new Set(['shp', 'shx', 'dbf', 'prj', 'cpg']);

const fileInvalid = (zh: string, en: string, details?: Record<string, unknown>) =>
  new AppError('IMPORT_FILE_INVALID', { fields: [{ path: 'file', code: 'shapefile', message: `${zh} / ${en}` }], details });

/** A .cpg names the DBF's code page; GIS tools write 'UTF-8', 'GBK', '936', 'CP936' … */
export function encodingFromCpg(cpg: string): string {
  const n = cpg
    .trim()
    .toUpperCase()
    .replace(/^ANSI\s*/, '');
  if (['UTF-8', 'UTF8', '65001'].includes(n)) return 'utf-8';
  if (['GBK', '936', 'CP936', 'GB2312', 'GB_2312-80', 'EUC-CN'].includes(n)) return 'gbk';
  if (['GB18030', '54936'].includes(n)) return 'gb18030';
  if (['BIG5', '950', 'CP950'].includes(n)) return 'big5';
  if (['1252', 'CP1252', 'WINDOWS-1252', 'ISO-8859-1', 'LATIN1'].includes(n)) return 'windows-1252';
  return n.toLowerCase();
}

/**
 * Without a .cpg: the DBF header's language driver (byte 29; 0x4D = code page 936 / GBK), otherwise
 * UTF-8 when the attribute bytes decode as UTF-8, else GBK (what Chinese desktop GIS writes).
 */
export function guessDbfEncoding(dbf: Uint8Array): string {
  if (dbf[29] === 0x4d) return 'gbk';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(dbf.subarray(32));
    return 'utf-8';
  } catch {
    return 'gbk';
  }
}

export interface ShapefileContent {
  layer: string;
  features: unknown[];
  /** The .prj text (ESRI WKT), or null when the zip has none. */
  prj: string | null;
  encoding: string;
}

/** Reads one polygon layer from a .zip holding .shp + .shx + .dbf (+ .prj, .cpg). */
export async function readShapefileZip(zip: Uint8Array): Promise<ShapefileContent> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip, {
      filter: (f) => {
        const ext = f.name.split('.').pop()?.toLowerCase() ?? '';
        if (f.name.startsWith('__MACOSX/') || !WANTED.has(ext)) return false;
        if (f.originalSize > MAX_ENTRY_BYTES) throw fileInvalid(`${f.name} 过大`, `${f.name} is too large`);
        return true;
      },
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw fileInvalid('不是有效的 zip 文件', 'not a valid zip file');
  }
  const byExt = new Map<string, { name: string; data: Uint8Array }[]>();
  for (const [name, data] of Object.entries(entries)) {
    const ext = name.split('.').pop()?.toLowerCase() ?? '';
    byExt.set(ext, [...(byExt.get(ext) ?? []), { name, data }]);
  }
  const shps = byExt.get('shp') ?? [];
  if (shps.length === 0) throw fileInvalid('zip 中没有 .shp 文件', 'the zip holds no .shp file');
  if (shps.length > 1) {
    throw fileInvalid('zip 中有多个图层（.shp），请每次导入一个', 'the zip holds several layers (.shp); import one at a time', {
      layers: shps.map((s) => s.name),
    });
  }
  const shp = shps[0] as { name: string; data: Uint8Array };
  const base = shp.name.slice(0, -4).toLowerCase();
  const sibling = (ext: string) => (byExt.get(ext) ?? []).find((e) => e.name.slice(0, -4).toLowerCase() === base)?.data;
  const dbf = sibling('dbf');
  if (!sibling('shx')) throw fileInvalid('缺少 .shx 文件', 'the .shx file is missing');
  if (!dbf) throw fileInvalid('缺少 .dbf 文件（属性表）', 'the .dbf file (attributes) is missing');
  const prjBytes = sibling('prj');
  const cpgBytes = sibling('cpg');
  const encoding = cpgBytes ? encodingFromCpg(new TextDecoder().decode(cpgBytes)) : guessDbfEncoding(dbf);
  try {
    new TextDecoder(encoding);
  } catch {
    throw fileInvalid(`不支持 .cpg 声明的字符编码 ${encoding}`, `the character encoding ${encoding} named by the .cpg is not supported`);
  }
  try {
    // Fresh copies: the reader expects buffers of their own (fflate hands out views).
    const fc = await read(shp.data.slice(), dbf.slice(), { encoding });
    return { layer: shp.name, features: fc.features, prj: prjBytes ? new TextDecoder().decode(prjBytes) : null, encoding };
  } catch {
    throw fileInvalid('无法读取 shapefile（文件损坏或格式不支持）', 'the shapefile cannot be read (damaged or unsupported)');
  }
}
