/**
 * The drain of the routing benchmark: agents resolve their chats at a steady rate, in the order
 * the assignments reached the shoppers. Per resolution the console's two requests: the
 * conversation (whose it is) and `PATCH /api/conversations/:id { status: 'resolved' }` with the
 * assignee's own session. Routing then frees the seat and assigns the next waiting shopper, whose
 * position-0 frame puts them at the end of `assigned`. Ends when `total` are resolved, or when
 * nothing has been assigned for 60 s (what is left is reported, not waited for).
 */
import { api } from '../../src/server/testing/spawn.ts';
import type { Shopper } from './clients.ts';

type Auth = { cookie: string; csrf: string };

export async function drainQueue(o: {
  url: string;
  admin: Auth;
  agents: Map<string, Auth>;
  assigned: Shopper[];
  total: number;
  rate: number;
}): Promise<{ resolved: number; failures: number }> {
  let resolved = 0;
  let failures = 0;
  let taken = 0;
  let inFlight = 0;
  let lastProgress = performance.now();
  const gap = 1000 / o.rate;
  let nextAt = performance.now();
  const resolve = async (conv: string) => {
    try {
      const c = await api<{ assigneeId: string | null }>(o.url, o.admin, 'GET', `/api/conversations/${conv}`);
      const auth = (c.assigneeId && o.agents.get(c.assigneeId)) || o.admin;
      await api(o.url, auth, 'PATCH', `/api/conversations/${conv}`, { status: 'resolved' });
      resolved++;
    } catch {
      failures++;
    } finally {
      inFlight--;
      lastProgress = performance.now();
    }
  };
  while (resolved + failures < o.total) {
    if (taken < o.assigned.length && inFlight < 64) {
      // A steady rate: one resolution every `gap` ms, never a catch-up burst after a starved moment.
      nextAt = Math.max(nextAt + gap, performance.now());
      const due = nextAt - performance.now();
      if (due > 1) await new Promise((r) => setTimeout(r, due));
      const s = o.assigned[taken++];
      inFlight++;
      void resolve(s.conv!);
      continue;
    }
    if (performance.now() - lastProgress > 60_000) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 10));
  return { resolved, failures };
}
