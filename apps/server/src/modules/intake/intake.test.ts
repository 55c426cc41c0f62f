import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sniffAttachment } from './attachment-type.js';
import { catchAllCategory, suggestCategories } from './category-suggest.js';
import type { CategoryRow } from './intake.repository.js';
import { reportHash } from './intake.service.js';
import { backoffSeconds, signPush } from './outbox.service.js';

const bytes = (...b: number[]) => Uint8Array.from([...b, ...new Array(32).fill(0)]);
const ascii = (s: string, ...rest: number[]) => Uint8Array.from([...Buffer.from(s, 'latin1'), ...rest, ...new Array(32).fill(0)]);

describe('sniffAttachment', () => {
  it.each([
    ['JPEG', bytes(0xff, 0xd8, 0xff, 0xe1), 'image/jpeg'],
    ['PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), 'image/png'],
    ['WebP', ascii('RIFF\x10\x00\x00\x00WEBPVP8L'), 'image/webp'],
    ['MP3 with ID3', ascii('ID3\x04\x00'), 'audio/mpeg'],
    ['MP3 frame (MPEG-1 layer III, 128 kbit/s, 44.1 kHz)', bytes(0xff, 0xfb, 0x90, 0x44), 'audio/mpeg'],
    ['AAC ADTS (44.1 kHz)', bytes(0xff, 0xf1, 0x50, 0x80), 'audio/aac'],
    ['AMR', ascii('#!AMR\n'), 'audio/amr'],
    ['AMR-WB', ascii('#!AMR-WB\n'), 'audio/amr'],
    ['M4A', ascii('\x00\x00\x00\x20ftypM4A '), 'audio/mp4'],
    ['MP4', ascii('\x00\x00\x00\x18ftypmp42'), 'video/mp4'],
  ])('%s', (_name, head, mime) => {
    expect(sniffAttachment(head)?.mime).toBe(mime);
  });

  it.each([
    ['a Windows program', ascii('MZ\x90\x00')],
    ['a PDF', ascii('%PDF-1.7')],
    ['a HEIC photo (ftyp heic)', ascii('\x00\x00\x00\x18ftypheic')],
    ['an MPEG frame with a reserved version', bytes(0xff, 0xeb, 0x90, 0x44)],
    ['an MPEG frame with a bad bitrate index', bytes(0xff, 0xfb, 0xf0, 0x44)],
    ['an empty file', new Uint8Array(0)],
  ])('refuses %s', (_name, head) => {
    expect(sniffAttachment(head)).toBeNull();
  });
});

const item = (code: string, name: string, keywords: string[]): CategoryRow => ({
  id: code,
  code,
  name,
  class_name: '类',
  version: 1,
  keywords,
  self_dispose: false,
});

describe('suggestCategories', () => {
  const items = [item('0204', '燃气泄漏隐患', ['燃气泄漏', '煤气味']), item('0108', '燃气服务', ['燃气', '天然气']), item('0120', '其他民生诉求', [])];
  it('scores a longer keyword above a shorter one and names what matched', () => {
    const s = suggestCategories(items, '楼下闻到很重的煤气味，怀疑燃气泄漏');
    expect(s.map((c) => [c.code, c.score, c.matched])).toEqual([
      ['0204', 7, ['燃气泄漏', '煤气味']],
      ['0108', 2, ['燃气']],
    ]);
  });
  it('counts the item’s own name double, ignores width and spaces', () => {
    expect(suggestCategories(items, '燃 气 服 务 上门')[0]).toMatchObject({ code: '0108', score: 10 });
  });
  it('finds nothing in unrelated text; the catch-all item is the first 其他… without keywords', () => {
    expect(suggestCategories(items, '今天天气不错')).toEqual([]);
    expect(catchAllCategory(items)?.code).toBe('0120');
  });
});

describe('reportHash', () => {
  const body = {
    description: '路灯不亮',
    urgency: 'normal' as const,
    attachmentIds: ['b', 'a'],
    selfDispose: false,
    location: { lng: 117, lat: 36, crs: 'WGS84' as const },
  };
  it('is the same for the same body whatever the key order, attachment order and idempotency key', () => {
    const again = {
      location: { crs: 'WGS84' as const, lat: 36, lng: 117 },
      selfDispose: false,
      attachmentIds: ['a', 'b'],
      urgency: 'normal' as const,
      description: '路灯不亮',
      idempotencyKey: 'k-123456789',
    };
    expect(reportHash(again)).toBe(reportHash(body));
  });
  it('differs when the content differs', () => {
    expect(reportHash({ ...body, description: '路灯坏了' })).not.toBe(reportHash(body));
    expect(reportHash({ ...body, location: { ...body.location, lat: 36.0001 } })).not.toBe(reportHash(body));
  });
});

describe('outbox', () => {
  it('backs off 30 s, 1, 2, 4 … minutes up to an hour', () => {
    expect([1, 2, 3, 4, 5, 8, 20].map(backoffSeconds)).toEqual([30, 60, 120, 240, 480, 3600, 3600]);
  });
  it('signs timestamp and body with HMAC-SHA256', () => {
    const want = createHmac('sha256', 'secret').update('1700000000.{"a":1}').digest('hex');
    expect(signPush('secret', '1700000000', '{"a":1}')).toBe(`sha256=${want}`);
  });
});
