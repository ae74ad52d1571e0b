/**
 * The calls the console makes to list, search, report and scrape, each timed from outside
 * (HTTP, sequential, after warm-up) as an admin (owner: sees PII, reports, audit) and as an agent
 * (masked PII). Pages after the first follow the cursor the previous page returned.
 */
import { percentile } from '../server.ts';
import type { Probes } from './generate.ts';

export type Auth = { cookie: string; csrf: string } | null;
export type Call = {
  name: string;
  /** Full-text search (its target is 100 ms at L and no L/S ratio). */
  fullText?: boolean;
  roles: ('admin' | 'agent')[];
  /** The path to time; may first follow cursors (not timed). */
  path(get: (path: string, auth: Auth) => Promise<any>, auth: Auth): Promise<string>;
  /** Sent without a session (e.g. /metrics). */
  anonymous?: boolean;
};

const both: Call['roles'] = ['admin', 'agent'];
const q = (params: Record<string, string | number>) =>
  '?' + new URLSearchParams(params as Record<string, string>).toString();
const fixed = (p: string) => async () => p;
/** The `depth`-th page of a list, following nextCursor from the first. */
const page = (base: string, depth: number) => async (get: (p: string, a: Auth) => Promise<any>, auth: Auth) => {
  const param = base.startsWith('/api/audit') ? 'before' : 'cursor';
  const sep = base.includes('?') ? '&' : '?';
  let cursor: string | null = null;
  for (let i = 1; i < depth; i++) {
    const r: { nextCursor?: string | null; nextBefore?: string | null } = await get(
      cursor ? `${base}${sep}${param}=${encodeURIComponent(cursor)}` : base,
      auth,
    );
    const next = r.nextCursor ?? r.nextBefore ?? null;
    if (!next) break;
    cursor = next;
  }
  return cursor ? `${base}${sep}${param}=${encodeURIComponent(cursor)}` : base;
};

export function callsFor(p: Probes): Call[] {
  const conv = p.longThreads[0];
  const month = (() => {
    const to = new Date();
    to.setUTCMinutes(0, 0, 0);
    to.setUTCHours(to.getUTCHours() + 1);
    return q({ from: new Date(to.getTime() - 30 * 86_400_000).toISOString(), to: to.toISOString() });
  })();
  const inbox = '/api/conversations';
  const tickets = '/api/tickets';
  return [
    { name: 'inbox: all, open', roles: both, path: fixed(`${inbox}${q({ view: 'all', status: 'open', limit: 30 })}`) },
    {
      name: 'inbox: mine, open',
      roles: both,
      path: fixed(`${inbox}${q({ view: 'mine', status: 'open', limit: 30 })}`),
    },
    {
      name: 'inbox: unassigned, open',
      roles: both,
      path: fixed(`${inbox}${q({ view: 'unassigned', status: 'open', limit: 30 })}`),
    },
    { name: 'inbox: all statuses', roles: both, path: fixed(`${inbox}${q({ view: 'all', limit: 30 })}`) },
    { name: 'inbox: all statuses, page 20', roles: both, path: page(`${inbox}${q({ view: 'all', limit: 30 })}`, 20) },
    { name: 'inbox: search 发票 (2 chars)', fullText: true, roles: both, path: fixed(`${inbox}${q({ q: '发票' })}`) },
    { name: 'inbox: search 发票, page 3', fullText: true, roles: both, path: page(`${inbox}${q({ q: '发票' })}`, 3) },
    {
      name: 'inbox: search 退货地址 (4 chars)',
      fullText: true,
      roles: both,
      path: fixed(`${inbox}${q({ q: '退货地址' })}`),
    },
    { name: 'inbox: search order number', fullText: true, roles: both, path: fixed(`${inbox}${q({ q: p.orderNo })}`) },
    { name: 'inbox: search phone', roles: both, path: fixed(`${inbox}${q({ q: p.phone })}`) },
    { name: 'inbox: search e-mail', roles: both, path: fixed(`${inbox}${q({ q: p.email })}`) },
    { name: 'inbox: search name', roles: both, path: fixed(`${inbox}${q({ q: p.name })}`) },
    { name: 'conversation', roles: both, path: fixed(`${inbox}/${conv}`) },
    {
      name: 'messages: latest 100 of 1,000',
      roles: both,
      path: fixed(`${inbox}/${conv}/messages${q({ after: 900 })}`),
    },
    {
      name: 'messages: 50 before #500',
      roles: both,
      path: fixed(`${inbox}/${conv}/messages${q({ before: 500, limit: 50 })}`),
    },
    { name: 'customer', roles: both, path: fixed(`/api/customers/${p.customerId}`) },
    { name: "customer's conversations", roles: both, path: fixed(`/api/customers/${p.customerId}/conversations`) },
    { name: 'tickets: mine (default)', roles: both, path: fixed(`${tickets}${q({ view: 'mine' })}`) },
    { name: 'tickets: all', roles: both, path: fixed(`${tickets}${q({ view: 'all' })}`) },
    { name: 'tickets: unassigned', roles: both, path: fixed(`${tickets}${q({ view: 'unassigned' })}`) },
    { name: 'tickets: breaching soon', roles: both, path: fixed(`${tickets}${q({ view: 'breaching_soon' })}`) },
    {
      name: 'tickets: unsolved by deadline',
      roles: both,
      path: fixed(`${tickets}${q({ view: 'all', status: 'unsolved', sort: 'deadline' })}`),
    },
    { name: 'tickets: all by created', roles: both, path: fixed(`${tickets}${q({ view: 'all', sort: 'created' })}`) },
    { name: 'tickets: all by priority', roles: both, path: fixed(`${tickets}${q({ view: 'all', sort: 'priority' })}`) },
    { name: 'tickets: all by deadline', roles: both, path: fixed(`${tickets}${q({ view: 'all', sort: 'deadline' })}`) },
    { name: 'tickets: solved', roles: both, path: fixed(`${tickets}${q({ view: 'all', status: 'solved' })}`) },
    { name: 'tickets: tag 发票', roles: both, path: fixed(`${tickets}${q({ view: 'all', tag: '发票' })}`) },
    { name: 'tickets: all, page 20', roles: both, path: page(`${tickets}${q({ view: 'all' })}`, 20) },
    {
      name: 'tickets: search #number',
      roles: both,
      path: fixed(`${tickets}${q({ view: 'all', q: `#${p.ticketNumber}` })}`),
    },
    { name: 'tickets: search order number', roles: both, path: fixed(`${tickets}${q({ view: 'all', q: p.orderNo })}`) },
    { name: 'tickets: search phone', roles: both, path: fixed(`${tickets}${q({ view: 'all', q: p.phone })}`) },
    {
      name: 'tickets: search 发票 (2 chars)',
      fullText: true,
      roles: both,
      path: fixed(`${tickets}${q({ view: 'all', q: '发票' })}`),
    },
    {
      name: 'tickets: search 退货地址 (4 chars)',
      fullText: true,
      roles: both,
      path: fixed(`${tickets}${q({ view: 'all', q: '退货地址' })}`),
    },
    { name: 'ticket', roles: both, path: fixed(`${tickets}/${p.ticketId}`) },
    { name: 'ticket timeline', roles: both, path: fixed(`${tickets}/${p.ticketId}/timeline`) },
    { name: 'SLA report, 30 days', roles: ['admin'], path: fixed(`/api/reports/sla${month}`) },
    { name: 'notifications', roles: both, path: fixed('/api/notifications') },
    { name: 'audit log', roles: ['admin'], path: fixed('/api/audit?limit=50') },
    { name: 'audit log: ticket.updated', roles: ['admin'], path: fixed('/api/audit?limit=50&action=ticket.updated') },
    { name: 'audit log, page 20', roles: ['admin'], path: page('/api/audit?limit=50', 20) },
    { name: '/metrics', roles: ['admin'], anonymous: true, path: fixed('/metrics') },
  ];
}

export type Timing = { p50: number; p95: number; bytes: number };

/** The same call on several servers, one request each in turn per run, so they share the machine's moments. */
export async function timeInterleaved(
  targets: { url: string; path: string; auth: Auth }[],
  runs: number,
  warmup: number,
): Promise<Timing[]> {
  const once = async (t: { url: string; path: string; auth: Auth }) => {
    const start = performance.now();
    const r = await fetch(`${t.url}${t.path}`, { headers: t.auth ? { cookie: t.auth.cookie } : {} });
    const body = await r.arrayBuffer();
    const ms = performance.now() - start;
    if (!r.ok) throw new Error(`GET ${t.path}: ${r.status} ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
    return { ms, bytes: body.byteLength };
  };
  for (let i = 0; i < warmup; i++) for (const t of targets) await once(t);
  const ms = targets.map(() => [] as number[]);
  const bytes = targets.map(() => 0);
  for (let i = 0; i < runs; i++)
    for (const [k, t] of targets.entries()) {
      const r = await once(t);
      ms[k].push(r.ms);
      bytes[k] = r.bytes;
    }
  return ms.map((list, k) => {
    list.sort((a, b) => a - b);
    return { p50: percentile(list, 50), p95: percentile(list, 95), bytes: bytes[k] };
  });
}
