import type { AttachmentKind } from '@gridgov/contracts/intake';

/** How many leading bytes `sniffAttachment` needs to decide. */
export const SNIFF_BYTES = 64;

export interface SniffedType {
  kind: AttachmentKind;
  mime: string;
  ext: string;
}

const ascii = (b: Uint8Array, at: number, len: number) => String.fromCharCode(...b.subarray(at, at + len));

/** ISO BMFF brands that are audio-only (M4A / M4B / M4P); every other ftyp brand we take is MP4 video. */
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ']);
const VIDEO_BRANDS = new Set(['isom', 'iso2', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'M4V ', 'MSNV', 'dash', 'mmp4', 'f4v ', '3gp4', '3gp5']);

/**
 * The type of an uploaded file from its first bytes — the name and the declared Content-Type are not
 * trusted (a renamed .exe stays refused): JPEG, PNG, WebP; MP3 (ID3 tag or MPEG audio frame), AAC (ADTS),
 * AMR, M4A; MP4. null = not one of these.
 */
export function sniffAttachment(head: Uint8Array): SniffedType | null {
  const b = head;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { kind: 'photo', mime: 'image/jpeg', ext: 'jpg' };
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG' && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) {
    return { kind: 'photo', mime: 'image/png', ext: 'png' };
  }
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return { kind: 'photo', mime: 'image/webp', ext: 'webp' };
  if (b.length >= 6 && ascii(b, 0, 6) === '#!AMR\n') return { kind: 'audio', mime: 'audio/amr', ext: 'amr' };
  if (b.length >= 9 && ascii(b, 0, 9) === '#!AMR-WB\n') return { kind: 'audio', mime: 'audio/amr', ext: 'amr' };
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4);
    if (AUDIO_BRANDS.has(brand)) return { kind: 'audio', mime: 'audio/mp4', ext: 'm4a' };
    if (VIDEO_BRANDS.has(brand)) return { kind: 'video', mime: 'video/mp4', ext: 'mp4' };
    return null;
  }
  if (b.length >= 10 && ascii(b, 0, 3) === 'ID3' && b[3] !== undefined && b[3] <= 4) return { kind: 'audio', mime: 'audio/mpeg', ext: 'mp3' };
  if (b.length >= 4 && b[0] === 0xff && ((b[1] as number) & 0xe0) === 0xe0) {
    const b1 = b[1] as number;
    const b2 = b[2] as number;
    const layer = (b1 >> 1) & 0x03;
    // ADTS (AAC): 12-bit sync, layer 00; a sampling index of 15 is invalid.
    if ((b1 & 0xf6) === 0xf0) return ((b2 >> 2) & 0x0f) < 13 ? { kind: 'audio', mime: 'audio/aac', ext: 'aac' } : null;
    // MPEG audio frame (MP3): layer ≠ 00, version ≠ 01 (reserved), bitrate index ≠ 1111, sampling ≠ 11.
    const version = (b1 >> 3) & 0x03;
    const bitrate = b2 >> 4;
    const sampling = (b2 >> 2) & 0x03;
    if (layer !== 0 && version !== 1 && bitrate !== 0x0f && sampling !== 0x03) return { kind: 'audio', mime: 'audio/mpeg', ext: 'mp3' };
  }
  return null;
}
