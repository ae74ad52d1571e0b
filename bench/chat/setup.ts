/**
 * Prepares a Kefu process for the chat benchmark over its public HTTP API: an inbox, agent
 * users signed in (one session each), and widget sessions for the shoppers.
 *
 * The widget-session endpoint allows 60 requests per minute per client address. The whole of
 * 127.0.0.0/8 is loopback on Linux, so each group of 50 sessions is requested from its own
 * source address (127.1.x.y): no server setting is changed and the limit still holds per address.
 */
import { Agent, request } from 'node:http';
import { api, signInHttp } from '../../src/server/testing/spawn.ts';

export const agentPassword = 'bench-agent-password';
const sessionsPerAddress = 50;

export type KefuSetup = {
  publicId: string;
  shopperTokens: string[];
  agentCookies: string[];
  agentsMs: number;
  sessionsMs: number;
};

async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

export function postJson(
  url: string,
  path: string,
  body: unknown,
  agent: Agent,
): Promise<{ status: number; body: string }> {
  const u = new URL(path, url);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        agent,
        timeout: 30_000,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`POST ${path}: no answer within 30 s`)));
    req.on('error', reject);
    req.end(data);
  });
}

/** Source address for group `g` (0-based): 127.1.0.1, 127.1.0.2, … (never .0 or .255). */
export const sourceAddress = (g: number) => `127.1.${Math.floor(g / 254)}.${(g % 254) + 1}`;

export async function setupKefu(
  url: string,
  opts: { shoppers: number; agents: number; log: (s: string) => void },
): Promise<KefuSetup> {
  const admin = await signInHttp(url);
  const inbox = await api<{ id: string; publicId: string }>(url, admin, 'POST', '/api/inboxes', {
    name: 'Bench shop',
    settings: { allowedOrigins: ['https://shop.example.com'] },
  });
  // The demo workspace routes by default; this benchmark measures the chat path (agents subscribe
  // to their conversations themselves), so routing is off for its inbox. Routing has its own
  // benchmark (`npm run bench -- routing`).
  await api(url, admin, 'PUT', `/api/routing/rules/${inbox.id}`, { enabled: false });

  // Agents: argon2id hashing (create) and verification (sign-in) dominate: a few in parallel.
  let t0 = performance.now();
  const agentCookies = await pool(opts.agents, 4, async (i) => {
    const email = `agent${i}@bench.kefu.local`;
    await api(url, admin, 'POST', '/api/users', { email, name: `Agent ${i}`, role: 'agent', password: agentPassword });
    return (await signInHttp(url, email, agentPassword)).cookie;
  });
  const agentsMs = performance.now() - t0;
  opts.log(`${opts.agents} agents created and signed in in ${(agentsMs / 1000).toFixed(1)} s`);

  t0 = performance.now();
  const groups = Math.ceil(opts.shoppers / sessionsPerAddress);
  const tokens = await pool(groups, 8, async (g) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1, localAddress: sourceAddress(g) });
    try {
      const out: string[] = [];
      for (let i = g * sessionsPerAddress; i < Math.min(opts.shoppers, (g + 1) * sessionsPerAddress); i++) {
        const r = await postJson(
          url,
          `/api/widget/${inbox.publicId}/session`,
          { visitorId: `bench-visitor-${String(i).padStart(8, '0')}`, origin: 'https://shop.example.com' },
          agent,
        );
        if (r.status !== 200) throw new Error(`widget session ${i} from ${sourceAddress(g)}: ${r.status} ${r.body}`);
        out.push((JSON.parse(r.body) as { token: string }).token);
      }
      return out;
    } finally {
      agent.destroy();
    }
  });
  const sessionsMs = performance.now() - t0;
  opts.log(
    `${opts.shoppers} widget sessions in ${(sessionsMs / 1000).toFixed(1)} s (${(opts.shoppers / (sessionsMs / 1000)).toFixed(0)}/s, ${groups} source addresses)`,
  );
  return { publicId: inbox.publicId, shopperTokens: tokens.flat(), agentCookies, agentsMs, sessionsMs };
}
