/**
 * One check of a probe (Uptime Kuma's monitors): HTTP(S) with expected status, keyword or JSON
 * path, and the certificate's expiry; a TCP connect; a DNS answer; a push probe's last call; SMTP
 * and Redis conversations (protocol-checks.ts). A
 * check never throws and never outlives its timeout: every failure is a result with its reason.
 */
import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';
import { parseDuration, type ProbeInput } from '../../../shared/ops-api.ts';
import { outboundRequest } from '../../lib/outbound.ts';
import { checkRedis, checkSmtp, reasonOf as reason } from './protocol-checks.ts';

export type CheckResult = {
  ok: boolean;
  durationMs: number;
  statusCode?: number;
  certExpiresAt?: number | null;
  error?: string;
};

/** Follows `$.a.b[0]` through parsed JSON; undefined when a step is missing. */
export function jsonPathValue(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const [, key, index] of path.slice(1).matchAll(/\.([A-Za-z_][\w-]*)|\[(\d+)\]/g)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = key !== undefined ? (cur as Record<string, unknown>)[key] : (cur as unknown[])[Number(index)];
  }
  return cur;
}

async function checkHttp(p: Extract<ProbeInput, { type: 'http' }>, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  try {
    const res = await outboundRequest(p.url, {
      guard: false,
      method: p.method,
      headers: { 'user-agent': 'Kefu-Probe/1', ...p.headers },
      body: p.body,
      timeoutMs,
      maxBytes: 1 << 20,
      maxRedirects: p.maxRedirects,
      insecureTls: p.ignoreTls,
      ca: p.ca,
    });
    const durationMs = performance.now() - started;
    const base = { durationMs, statusCode: res.status, certExpiresAt: res.certExpiresAt };
    const okStatus = p.expectStatus ? p.expectStatus.includes(res.status) : res.status >= 200 && res.status < 400;
    if (!okStatus) return { ...base, ok: false, error: `status ${res.status}` };
    const text = res.body.toString('utf8');
    if (p.keyword && !text.includes(p.keyword)) return { ...base, ok: false, error: `keyword not found: ${p.keyword}` };
    if (p.jsonPath) {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        return { ...base, ok: false, error: res.truncated ? 'body too large for JSON' : 'body is not JSON' };
      }
      const v = jsonPathValue(doc, p.jsonPath);
      if (v === undefined) return { ...base, ok: false, error: `${p.jsonPath} not found` };
      if (p.jsonValue !== undefined && String(v) !== p.jsonValue)
        return { ...base, ok: false, error: `${p.jsonPath} is ${JSON.stringify(v).slice(0, 100)}` };
    }
    if (res.certExpiresAt && res.certExpiresAt < Date.now())
      return { ...base, ok: false, error: 'certificate expired' };
    return { ...base, ok: true };
  } catch (err) {
    return { ok: false, durationMs: performance.now() - started, error: reason(err) };
  }
}

function checkTcp(p: Extract<ProbeInput, { type: 'tcp' }>, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: p.host, port: p.port });
    const finish = (r: Omit<CheckResult, 'durationMs'>) => {
      socket.destroy();
      resolve({ ...r, durationMs: performance.now() - started });
    };
    socket.setTimeout(timeoutMs, () => finish({ ok: false, error: `timed out after ${timeoutMs} ms` }));
    socket.once('connect', () => finish({ ok: true }));
    socket.once('error', (err) => finish({ ok: false, error: reason(err) }));
  });
}

async function checkDns(p: Extract<ProbeInput, { type: 'dns' }>, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  if (p.server) resolver.setServers([p.server]);
  const timer = setTimeout(() => resolver.cancel(), timeoutMs);
  try {
    const answers = await resolver.resolve(p.host, p.record);
    const flat = (answers as unknown[]).map((a) =>
      Array.isArray(a)
        ? a.join('')
        : typeof a === 'object' && a
          ? String((a as { exchange?: string }).exchange)
          : String(a),
    );
    const durationMs = performance.now() - started;
    if (!flat.length) return { ok: false, durationMs, error: 'no records' };
    if (p.expect !== undefined && !flat.includes(p.expect))
      return { ok: false, durationMs, error: `answers ${flat.slice(0, 5).join(', ')}` };
    return { ok: true, durationMs };
  } catch (err) {
    const e = err as { code?: string };
    const error =
      e.code === 'ECANCELLED'
        ? `timed out after ${timeoutMs} ms`
        : e.code === 'ENOTFOUND'
          ? 'does not resolve'
          : reason(err);
    return { ok: false, durationMs: performance.now() - started, error };
  } finally {
    clearTimeout(timer);
  }
}

/** A push probe is up while its last call is within its interval plus timeout (the grace). */
export function checkPush(p: ProbeInput, lastPushAt: string | null, now: number): CheckResult {
  if (!lastPushAt) return { ok: false, durationMs: 0, error: 'no push received yet' };
  const age = now - Date.parse(lastPushAt);
  const limit = parseDuration(p.interval) + parseDuration(p.timeout);
  return age <= limit
    ? { ok: true, durationMs: 0 }
    : { ok: false, durationMs: 0, error: `last push ${Math.round(age / 1000)} s ago` };
}

export async function runCheck(p: ProbeInput, lastPushAt: string | null, now: number): Promise<CheckResult> {
  const timeoutMs = parseDuration(p.timeout);
  switch (p.type) {
    case 'http':
      return checkHttp(p, timeoutMs);
    case 'tcp':
      return checkTcp(p, timeoutMs);
    case 'dns':
      return checkDns(p, timeoutMs);
    case 'push':
      return checkPush(p, lastPushAt, now);
    case 'smtp':
      return checkSmtp(p, timeoutMs);
    case 'redis':
      return checkRedis(p, timeoutMs);
  }
}
