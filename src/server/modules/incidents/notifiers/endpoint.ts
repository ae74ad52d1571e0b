/**
 * Notifier endpoints are URLs that workspace users type in, so every request to them goes through
 * the SSRF guard of `lib/outbound.ts` (the address actually connected to, after DNS, and every
 * redirect), and a URL whose host is itself a private address is refused already when the channel
 * is saved. The installation's `outboundAllowList` lets chosen hosts or networks through (an
 * intranet SMS gateway, a self-hosted webhook receiver, the tests' local receivers).
 */
import { isIP } from 'node:net';
import { isPrivateAddress, outboundRequest, parseAllowList, type AllowList } from '../../../lib/outbound.ts';
import { AppError } from '../../../lib/errors.ts';
import type { PostResult } from './types.ts';

/** Answers are cut here: robots answer with a few bytes of JSON. */
const maxAnswerBytes = 64 * 1024;
/** Redirects followed (each one checked again by the guard). */
const maxRedirects = 3;

export const allowListOf = (config: { outboundAllowList: string }): AllowList =>
  parseAllowList(config.outboundAllowList);

/**
 * Why a configured URL is refused before any request: its host is a literal private or loopback
 * address (or `localhost`) that the allow list does not name. Names that resolve to such addresses
 * are refused when the request is made (DNS may answer differently later anyway).
 */
export function refusedEndpoint(url: string, allow: AllowList): AppError | null {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return new AppError(400, 'invalid_url', `not a URL: ${url.slice(0, 200)}`);
  }
  if (allow.hosts.has(host)) return null;
  const literal = isIP(host) ? host : host === 'localhost' || host.endsWith('.localhost') ? '127.0.0.1' : null;
  if (!literal || !isPrivateAddress(literal)) return null;
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(literal)?.[1] ?? literal;
  if (isIP(v4) && allow.nets.check(v4, isIP(v4) === 4 ? 'ipv4' : 'ipv6')) return null;
  return new AppError(
    400,
    'outbound_blocked',
    `${host} is a private address this installation does not allow (outboundAllowList)`,
  );
}

/** Every URL a notifier's settings name (the ones requests go to). */
export function endpointUrls(config: Record<string, unknown>): string[] {
  return typeof config.url === 'string' ? [config.url] : [];
}

/** The guarded POST notifiers send with. */
export function guardedPost(allow: AllowList, timeoutMs: number) {
  return async (url: string, init: { headers: Record<string, string>; body: string }): Promise<PostResult> => {
    const res = await outboundRequest(url, {
      method: 'POST',
      headers: init.headers,
      body: init.body,
      timeoutMs,
      maxBytes: maxAnswerBytes,
      maxRedirects,
      allow,
    });
    return { status: res.status, text: res.body.toString('utf8') };
  };
}
