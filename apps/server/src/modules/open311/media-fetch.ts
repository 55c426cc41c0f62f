import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { PassThrough, type Readable } from 'node:stream';

/** Why a media_url could not be fetched, in zh and en (kept on the request, said in the answer). */
export class MediaFetchError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

export interface MediaFetchOptions {
  /** The whole download (connect, redirects, body) must finish within this. */
  timeoutMs: number;
  /** Largest body read (the photo limit); past it the stream ends and `truncated()` says so. */
  maxBytes: number;
  /** Allow loopback, private, link-local and other non-public addresses. */
  privateHosts: boolean;
}

const MAX_REDIRECTS = 3;

/** Addresses an Open311 client must not make the server reach (SSRF): loopback, private, link-local, CGNAT, multicast, reserved. */
const NON_PUBLIC = new net.BlockList();
for (const [a, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  NON_PUBLIC.addSubnet(a, bits, 'ipv4');
}
for (const [a, bits] of [
  ['::', 127], // :: and ::1
  ['64:ff9b::', 96], // NAT64
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(a, bits, 'ipv6');
}

// IPv4-mapped IPv6 (::ffff:a.b.c.d) would reach any IPv4 address: refused whole. A list of its own, since
// BlockList matches IPv4 addresses against a mapped IPv6 subnet too.
const MAPPED = new net.BlockList();
MAPPED.addSubnet('::ffff:0:0', 96, 'ipv6');

export const isPublicAddress = (address: string) => {
  const family = net.isIP(address);
  if (family === 4) return !NON_PUBLIC.check(address, 'ipv4');
  return family === 6 && !MAPPED.check(address, 'ipv6') && !NON_PUBLIC.check(address, 'ipv6');
};

const blockedError = (host: string) => new MediaFetchError(`地址 ${host} 不是公网地址，不予获取`, `${host} is not a public address`);

/**
 * dns.lookup that refuses non-public answers. It is checked where the connection is made (not by a lookup of
 * its own beforehand), so a name that answers differently the second time cannot slip past.
 */
const publicOnlyLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, options, (err, address, family) => {
    if (err) return callback(err, address as string, family);
    const list = Array.isArray(address) ? address : [{ address, family }];
    if (list.some((a) => !isPublicAddress(a.address))) return callback(blockedError(hostname) as NodeJS.ErrnoException, '', 4);
    callback(null, address as string, family);
  });
};

/**
 * Starts the download of an Open311 media_url (http or https, redirects followed up to 3 times) and hands out
 * its body, cut at `maxBytes` + 1 byte: the caller sniffs the type and checks the size as for any upload.
 * Fails with MediaFetchError (zh/en reason) for a bad URL, a refused address, a non-200 answer, a declared
 * length over the limit, or the time limit (which also ends a body still streaming).
 */
export async function openMediaUrl(
  url: string,
  opts: MediaFetchOptions,
): Promise<{ stream: Readable; truncated: () => boolean; filename: string | undefined }> {
  const deadline = AbortSignal.timeout(opts.timeoutMs);
  let target = url;
  for (let hop = 0; ; hop++) {
    let u: URL;
    try {
      u = new URL(target);
    } catch {
      throw new MediaFetchError('media_url 不是有效的网址', 'media_url is not a valid URL');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new MediaFetchError('media_url 只接受 http 或 https 网址', 'media_url must be an http or https URL');
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (!opts.privateHosts && net.isIP(host) && !isPublicAddress(host)) throw blockedError(host);

    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = (u.protocol === 'https:' ? https : http).get(
        u,
        { signal: deadline, lookup: opts.privateHosts ? undefined : publicOnlyLookup, headers: { accept: 'image/*' } },
        resolve,
      );
      req.on('error', reject);
    }).catch((err: unknown) => {
      if (err instanceof MediaFetchError) throw err;
      if (deadline.aborted) throw new MediaFetchError(`获取超时（${opts.timeoutMs / 1000} 秒）`, `timed out after ${opts.timeoutMs / 1000} s`);
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new MediaFetchError(`无法连接（${code}）`, `could not connect (${code})`);
    });

    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      if (hop >= MAX_REDIRECTS) throw new MediaFetchError('重定向次数过多', 'too many redirects');
      target = new URL(res.headers.location, u).toString();
      continue;
    }
    if (status !== 200) {
      res.resume();
      throw new MediaFetchError(`对方返回 HTTP ${status}`, `the server answered HTTP ${status}`);
    }
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > opts.maxBytes) {
      res.destroy();
      throw new MediaFetchError(`图片超过大小限制（${declared} 字节）`, `the picture is larger than the limit (${declared} bytes)`);
    }

    // The body, cut one byte past the limit (enough for the size check to refuse it).
    let read = 0;
    let cut = false;
    const out = new PassThrough();
    res.on('data', (chunk: Buffer) => {
      if (cut) return;
      const room = opts.maxBytes + 1 - read;
      read += chunk.length;
      if (chunk.length >= room) {
        cut = true;
        out.end(chunk.subarray(0, room));
        res.destroy();
        return;
      }
      if (!out.write(chunk)) {
        res.pause();
        out.once('drain', () => res.resume());
      }
    });
    res.on('end', () => out.end());
    // A body that stops early (time limit, connection lost) fails the stream, so the upload is not kept.
    const fail = () => {
      if (cut || out.destroyed || res.complete) return;
      out.destroy(
        deadline.aborted
          ? new MediaFetchError(`获取超时（${opts.timeoutMs / 1000} 秒）`, `timed out after ${opts.timeoutMs / 1000} s`)
          : new MediaFetchError('下载中断', 'the download was cut off'),
      );
    };
    res.on('error', fail);
    res.on('close', fail);
    let name: string | undefined;
    try {
      name = decodeURIComponent(u.pathname.split('/').pop() ?? '') || undefined;
    } catch {
      name = undefined;
    }
    return { stream: out, truncated: () => cut, filename: name };
  }
}
