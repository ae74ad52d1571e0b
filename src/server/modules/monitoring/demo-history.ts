/**
 * The demo's short history: on a fresh demo installation the overview would otherwise start with
 * one point per chart. The seed writes the last hour of the overview's series for this node, every
 * 30 s, starting from the host's real figures (CPU, memory, disk of the data folder) and a quiet
 * shop's traffic (a few agents and shoppers online, messages, API calls with the odd 5xx). The
 * sampler's live samples continue the same series (same names and labels) from the first tick on.
 */
import type { Services } from '../../context.ts';
import { hostSnapshot } from './host.ts';
import { nodeName, runtime } from './runtime.ts';
import type { Sample } from './store.ts';

export type HostBase = { cpu: number; memTotal: number; memAvailable: number; diskFree: number };

/** A small deterministic PRNG (mulberry32), so the demo history is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

const routes = [
  { method: 'GET', route: '/api/conversations', rate: 0.8, p99: 0.045 },
  { method: 'POST', route: '/api/conversations/:id/messages', rate: 0.3, p99: 0.07 },
  { method: 'GET', route: '/api/tickets', rate: 0.2, p99: 0.06 },
];

/**
 * Batches of samples for `minutes` before `now` (exclusive of `now`), every `stepMs`, for `node`:
 * the overview's CPU, memory, disk, API p99 and p95 and request counts, online people (agents and
 * shoppers of the demo workspace, slug `workspace`) and sockets, and messages.
 */
export function demoHistory(
  node: string,
  base: HostBase,
  now: number,
  o: { minutes?: number; stepMs?: number; seed?: number; olderHours?: number; workspace?: string } = {},
): { t: number; samples: Sample[] }[] {
  const workspace = o.workspace ?? 'demo';
  const minutes = o.minutes ?? 60;
  const stepMs = o.stepMs ?? 30_000;
  const rnd = prng(o.seed ?? 11);
  const steps = Math.floor((minutes * 60_000) / stepMs);
  const out: { t: number; samples: Sample[] }[] = [];
  // `olderHours` before that, every 15 minutes (the reports' previous day), the same series continued.
  const olderStep = 900_000;
  const older = Math.floor(((o.olderHours ?? 0) * 3600_000) / olderStep);
  const first = now - steps * stepMs;
  const times = [
    ...Array.from({ length: older }, (_, k) => first - (older - k) * olderStep),
    ...Array.from({ length: steps }, (_, k) => now - (steps - k) * stepMs),
  ];
  let cpu = clamp(base.cpu, 0.05, 0.8);
  let used = base.memTotal - base.memAvailable;
  let messages = 0;
  const requests = new Map<string, number>();
  let agents = 3;
  let customers = 8;
  for (let j = 0; j < times.length; j++) {
    const t = Math.floor(times[j]! / 1000) * 1000;
    const dt = j ? times[j]! - times[j - 1]! : stepMs;
    const phase = Math.max(0, (times[j]! - first) / (steps * stepMs));
    cpu = clamp(cpu + (rnd() - 0.5) * 0.04 + (base.cpu - cpu) * 0.1, 0.02, 0.95);
    used = clamp(used + (rnd() - 0.5) * base.memTotal * 0.004, base.memTotal * 0.05, base.memTotal * 0.95);
    agents = clamp(agents + (rnd() < 0.1 ? (rnd() < 0.5 ? -1 : 1) : 0), 1, 6);
    customers = clamp(customers + Math.round((rnd() - 0.5) * 4), 2, 25);
    messages += Math.round(customers * (0.5 + rnd()) * (dt / 60_000) * 2);
    const samples: Sample[] = [
      { name: 'kefu_host_cpu_usage_ratio', labels: { node }, value: cpu },
      { name: 'kefu_host_memory_total_bytes', labels: { node }, value: base.memTotal },
      { name: 'kefu_host_memory_available_bytes', labels: { node }, value: base.memTotal - used },
      // The data folder fills slowly: about 40 MB over the hour.
      { name: 'kefu_host_disk_free_bytes', labels: { node }, value: base.diskFree + (1 - phase) * 40e6 },
      // People online in the demo workspace (the overview's chart), and their sockets: one agent has two tabs open.
      { name: 'kefu_realtime_agents_online', labels: { node, workspace }, value: agents },
      { name: 'kefu_realtime_shoppers_online', labels: { node, workspace }, value: customers },
      { name: 'kefu_realtime_connections', labels: { node, kind: 'agent' }, value: agents + 1 },
      { name: 'kefu_realtime_connections', labels: { node, kind: 'customer' }, value: customers },
      { name: 'kefu_chat_messages_committed_total', labels: { node }, value: messages, kind: 'counter' },
    ];
    for (const r of routes) {
      for (const [code, share] of [
        ['200', 1],
        ['500', 0.004],
      ] as const) {
        const k = `${r.route} ${code}`;
        const n =
          (requests.get(k) ?? 0) +
          Math.round(r.rate * share * (dt / 1000) * (0.5 + rnd()) + (rnd() < 0.05 && code === '500' ? 1 : 0));
        requests.set(k, n);
        const labels = { node, method: r.method, route: r.route, status_code: code };
        samples.push({ name: 'kefu_http_request_duration_seconds_count', labels, value: n, kind: 'counter' });
      }
      const p99 = r.p99 * (0.7 + rnd() * 0.6);
      const labels = { node, method: r.method, route: r.route, status_code: '200' };
      samples.push({ name: 'kefu_http_request_duration_seconds_p99', labels, value: p99 });
      // p95 as the sampler records it too (the daily report's API p95), a little under p99.
      samples.push({ name: 'kefu_http_request_duration_seconds_p95', labels, value: p99 * 0.75 });
    }
    out.push({ t, samples });
  }
  return out;
}

/**
 * The living demo's last hour of overview series for this node, from the host's real figures, and
 * the 47 hours before it every 15 minutes (so the demo's daily health report of yesterday has figures).
 */
export async function seedDemoHistory(s: Services): Promise<void> {
  const h = await hostSnapshot(s.config.dataDir);
  const base = { cpu: h.cpu, memTotal: h.memTotal, memAvailable: h.memAvailable, diskFree: h.disk.free };
  const store = runtime(s).store;
  for (const b of demoHistory(nodeName(s), base, s.clock.now().getTime(), { olderHours: 47 }))
    await store.write(b.t, b.samples);
}
