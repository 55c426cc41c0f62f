import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress, MediaFetchError, openMediaUrl } from './media-fetch.js';

describe('Open311 media_url download', () => {
  let server: Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': '5000' }).end(Buffer.alloc(5000, 0xff));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const opts = { timeoutMs: 2000, maxBytes: 10_000, privateHosts: false };

  it('tells public addresses from loopback, private, link-local, mapped and reserved ones', () => {
    for (const a of ['8.8.8.8', '114.114.114.114', '2400:3200::1']) expect(isPublicAddress(a), a).toBe(true);
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      'not-an-ip',
    ]) {
      expect(isPublicAddress(a), a).toBe(false);
    }
  });

  it('refuses a non-public address unless allowed, before any request is sent (by IP and by a name that resolves to one)', async () => {
    for (const url of [`http://127.0.0.1:${port}/p.jpg`, `http://localhost:${port}/p.jpg`, `http://[::1]:${port}/p.jpg`]) {
      await expect(openMediaUrl(url, opts), url).rejects.toMatchObject({ zh: expect.stringContaining('不是公网地址') });
    }
    expect(hits).toBe(0);
    const ok = await openMediaUrl(`http://127.0.0.1:${port}/p.jpg`, { ...opts, privateHosts: true });
    let n = 0;
    for await (const c of ok.stream) n += (c as Buffer).length;
    expect([n, ok.truncated(), ok.filename]).toEqual([5000, false, 'p.jpg']);
  });

  it('refuses other schemes and a declared length over the limit', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.org/a.jpg', 'not a url']) {
      await expect(openMediaUrl(url, opts)).rejects.toBeInstanceOf(MediaFetchError);
    }
    await expect(openMediaUrl(`http://127.0.0.1:${port}/p.jpg`, { ...opts, privateHosts: true, maxBytes: 4000 })).rejects.toMatchObject({
      zh: expect.stringContaining('超过大小限制'),
    });
  });
});
