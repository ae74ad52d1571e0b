/**
 * Notifier endpoints are URLs that workspace users type in, so every request to them goes through
 * the SSRF guard of `lib/outbound.ts` (the address actually connected to, after DNS, and every
 * redirect), and a URL whose host is itself a private address is refused already when the channel
 * is saved. The installation's `outboundAllowList` lets chosen hosts or networks through (an
 * intranet SMS gateway, a self-hosted webhook receiver, the tests' local receivers).
 */
import { outboundRequest, parseAllowList, type AllowList } from '../../../lib/outbound.ts';
import type { PostResult } from './types.ts';

/** Answers are cut here: robots answer with a few bytes of JSON. */
const maxAnswerBytes = 64 * 1024;
/** Redirects followed (each one checked again by the guard). */
const maxRedirects = 3;

export const allowListOf = (config: { outboundAllowList: string }): AllowList =>
  parseAllowList(config.outboundAllowList);

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
