/**
 * Outbound HTTP(S) with an SSRF guard: the one path for every URL that workspace users configure
 * (webhooks, notifier endpoints, the LLM endpoint, store APIs). Private, loopback, link-local,
 * shared (CGNAT), multicast and unspecified addresses are refused unless the installation lists
 * them (`outboundAllowList`: host names or CIDRs). The check runs on the address the connection
 * actually uses (a `lookup` hook, so a DNS answer cannot change between check and connect) and on
 * every redirect. Bodies are cut at `maxBytes`; a target that hangs hits `timeoutMs`.
 *
 * Probes defined by the installation's ops roles use the same request with `guard: false`
 * (watching the database host is their point).
 */
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { rootCertificates, type DetailedPeerCertificate, type PeerCertificate, type TLSSocket } from 'node:tls';
import { AppError } from './errors.ts';

const v4Blocked: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const v6Blocked: [string, number][] = [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
];
const blocked = new BlockList();
for (const [a, p] of v4Blocked) blocked.addSubnet(a, p, 'ipv4');
for (const [a, p] of v6Blocked) blocked.addSubnet(a, p, 'ipv6');

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:10.0.0.1), else the address itself. */
function unmapped(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1] : ip;
}

/** Whether an address is private, loopback, link-local or otherwise not the public internet. */
export function isPrivateAddress(address: string): boolean {
  const ip = unmapped(address);
  const family = isIP(ip);
  if (!family) return true;
  return blocked.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

export type AllowList = { hosts: Set<string>; nets: BlockList };

/** Parses `outboundAllowList`: comma-separated host names, addresses and CIDRs. */
export function parseAllowList(text: string): AllowList {
  const hosts = new Set<string>();
  const nets = new BlockList();
  for (const item of text
    .split(',')
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean)) {
    const [ip, bits] = item.split('/');
    const family = isIP(ip);
    if (family) nets.addSubnet(ip, bits ? Number(bits) : family === 4 ? 32 : 128, family === 4 ? 'ipv4' : 'ipv6');
    else hosts.add(item);
  }
  return { hosts, nets };
}

function allowedAddress(address: string, host: string, allow: AllowList): boolean {
  if (!isPrivateAddress(address)) return true;
  if (allow.hosts.has(host.toLowerCase())) return true;
  const ip = unmapped(address);
  const family = isIP(ip);
  return family ? allow.nets.check(ip, family === 4 ? 'ipv4' : 'ipv6') : false;
}

export const blockedError = (host: string, address: string) =>
  new AppError(
    400,
    'outbound_blocked',
    `${host} resolves to ${address}, a private address this installation does not allow`,
  );

export type OutboundOptions = {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  /** Bytes of body kept; the rest is not read (the connection is closed). Default 1 MiB. */
  maxBytes?: number;
  maxRedirects?: number;
  /** true (default): the SSRF guard with this allow list; false: any address (installation ops only). */
  guard?: boolean;
  allow?: AllowList;
  /** Accept self-signed and expired certificates (probes that want to report on them say so). */
  insecureTls?: boolean;
  /** PEM certificates of authorities to trust besides the system's (a private CA). */
  ca?: string;
};

export type OutboundResponse = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  truncated: boolean;
  url: string;
  redirects: number;
  /** The earliest expiry among the certificates the server presented (HTTPS), epoch ms. */
  certExpiresAt: number | null;
};

/**
 * The earliest `valid_to` along a peer certificate's chain (leaf, intermediates, root), as the
 * blackbox exporter's `probe_ssl_earliest_cert_expiry`; null without a certificate.
 */
export function earliestExpiry(cert: DetailedPeerCertificate | PeerCertificate | null | undefined): number | null {
  let earliest: number | null = null;
  const seen = new Set<unknown>();
  let c = cert as DetailedPeerCertificate | undefined;
  while (c && c.valid_to && !seen.has(c)) {
    seen.add(c);
    const t = Date.parse(c.valid_to);
    if (Number.isFinite(t) && (earliest === null || t < earliest)) earliest = t;
    c = c.issuerCertificate;
  }
  return earliest;
}

const guardedLookup =
  (host: string, allow: AllowList): LookupFunction =>
  (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as { address: string; family: number }[];
      const bad = list.find((a) => !allowedAddress(a.address, host, allow));
      if (bad) return callback(blockedError(host, bad.address), '', 0);
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };

function once(url: URL, o: OutboundOptions, deadline: number): Promise<OutboundResponse> {
  const guard = o.guard ?? true;
  const allow = o.allow ?? parseAllowList('');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (guard && isIP(host) && !allowedAddress(host, host, allow)) return Promise.reject(blockedError(host, host));
  const lib = url.protocol === 'https:' ? https : http;
  const maxBytes = o.maxBytes ?? 1 << 20;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method: o.method ?? 'GET',
        headers: o.headers,
        lookup: guard ? guardedLookup(host, allow) : undefined,
        rejectUnauthorized: !o.insecureTls,
        ...(o.ca ? { ca: [...rootCertificates, o.ca] } : {}),
        timeout: Math.max(1, deadline - Date.now()),
        agent: false,
      },
      (res) => {
        const socket = res.socket as TLSSocket;
        const cert = url.protocol === 'https:' ? socket.getPeerCertificate?.(true) : null;
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const done = () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            truncated,
            url: url.toString(),
            redirects: 0,
            certExpiresAt: earliestExpiry(cert),
          });
        res.on('data', (chunk: Buffer) => {
          if (truncated) return;
          const room = maxBytes - size;
          if (chunk.length >= room) {
            chunks.push(chunk.subarray(0, room));
            size = maxBytes;
            truncated = true;
            res.destroy();
            done();
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', done);
        res.on('error', (err) => (truncated ? undefined : reject(err)));
      },
    );
    const timer = setTimeout(
      () => req.destroy(new Error(`timed out after ${o.timeoutMs ?? 10_000} ms`)),
      deadline - Date.now(),
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${o.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    req.on('close', () => clearTimeout(timer));
    req.end(o.body);
  });
}

/**
 * One request, following up to `maxRedirects` redirects (each checked again), within one overall
 * timeout. Only http: and https: URLs.
 */
export async function outboundRequest(target: string, o: OutboundOptions = {}): Promise<OutboundResponse> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new AppError(400, 'invalid_url', `not a URL: ${target.slice(0, 200)}`);
  }
  const deadline = Date.now() + (o.timeoutMs ?? 10_000);
  const maxRedirects = o.maxRedirects ?? 5;
  for (let redirects = 0; ; redirects++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new AppError(400, 'invalid_url', `only http and https URLs (got ${url.protocol})`);
    const res = await once(url, o, deadline);
    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && location && redirects < maxRedirects) {
      url = new URL(location, url);
      continue;
    }
    return { ...res, redirects };
  }
}

/**
 * Why a URL a workspace user typed is refused before any request: its host is a literal private or
 * loopback address (or `localhost`) that the allow list does not name. Names that resolve to such
 * addresses are refused when the request is made (DNS may answer differently later anyway). The
 * same rule as the incidents module's notifier endpoints.
 */
export function refusedUrl(target: string, allow: AllowList): AppError | null {
  let host: string;
  try {
    const url = new URL(target);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return new AppError(400, 'invalid_url', `only http and https URLs (got ${url.protocol})`);
    host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return new AppError(400, 'invalid_url', `not a URL: ${target.slice(0, 200)}`);
  }
  if (allow.hosts.has(host)) return null;
  const literal = isIP(host) ? host : host === 'localhost' || host.endsWith('.localhost') ? '127.0.0.1' : null;
  if (!literal || allowedAddress(literal, host, allow)) return null;
  return new AppError(
    400,
    'outbound_blocked',
    `${host} is a private address this installation does not allow (outboundAllowList)`,
  );
}
