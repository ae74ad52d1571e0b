/**
 * The demo's history: on a fresh demo installation the overview would otherwise start with one
 * point per chart, and the daily health report of yesterday would have nothing to read. The seed
 * writes the last hour of the overview's series for this node every 30 s, starting from the host's
 * real figures (CPU, memory, disk of the data folder, this process's RSS) and a quiet shop's traffic
 * (a few agents and shoppers online, messages, API calls with the odd 5xx); before it, the 47 hours
 * every 15 minutes (yesterday, whatever the hour) and 8 days hourly (the anomaly flags' reference:
 * the same hours of the 7 days before yesterday), with the results of the installation's probes.
 * The older figures follow a shop's day (busy 10:00-22:00 Shanghai time) scaled by a fixed factor
 * per day, so the same hour of different days differs a little and never by chance alone; two blips
 * planted yesterday (a slow evening API hour, an event-loop stall during the night's backup) are
 * what the report flags. The sampler's live samples continue the same series (same names and
 * labels) from the first tick on.
 */
import type { Services } from '../../context.ts';
import { hostSnapshot } from './host.ts';
import { nodeName, runtime } from './runtime.ts';
import type { Sample } from './store.ts';
import { own } from './schema.ts';

export type HostBase = { cpu: number; memTotal: number; memAvailable: number; diskFree: number; rss?: number };
export type DemoProbe = { name: string; component: string | null };

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

/** The demo shop's hours are Shanghai's (UTC+8, no daylight saving). */
const zoneOffsetMs = 8 * 3600_000;
const localHour = (t: number) => Math.floor((t + zoneOffsetMs) / 3600_000) % 24;
const localDay = (t: number) => Math.floor((t + zoneOffsetMs) / 86_400_000);
/** Load of each local hour relative to the day's busiest (piecewise constant: one value per hour). */
const dayShape = [
  0.3, 0.25, 0.22, 0.2, 0.2, 0.22, 0.3, 0.4, 0.55, 0.7, 0.85, 0.95, 0.9, 0.85, 0.95, 1, 0.95, 0.9, 0.85, 0.9, 1, 0.95,
  0.75, 0.5,
];
/** Each day's traffic against the usual (cycling by day): the reference hours' spread. */
const dayFactors = [1, 0.94, 1.06, 0.9, 1.1, 0.97, 1.03];
const dayFactor = (t: number) => dayFactors[((localDay(t) % 7) + 7) % 7]!;

const routes = [
  { method: 'GET', route: '/api/conversations', rate: 0.8, p99: 0.045 },
  { method: 'POST', route: '/api/conversations/:id/messages', rate: 0.3, p99: 0.07 },
  { method: 'GET', route: '/api/tickets', rate: 0.2, p99: 0.06 },
];

/**
 * Batches of samples for `minutes` before `now` (exclusive of `now`), every `stepMs`, for `node`:
 * the overview's CPU, memory, disk, API p99 and p95 and request counts, online people (agents and
 * shoppers of the demo workspace, slug `workspace`) and sockets, and messages; the process's RSS
 * and event-loop delay p99 (the daily report's peaks); and each of `probes`' check results.
 * `olderHours` before that every 15 minutes, and `olderDays` before those hourly: the same series.
 */
export function demoHistory(
  node: string,
  base: HostBase,
  now: number,
  o: {
    minutes?: number;
    stepMs?: number;
    seed?: number;
    olderHours?: number;
    olderDays?: number;
    workspace?: string;
    probes?: readonly DemoProbe[];
  } = {},
): { t: number; samples: Sample[] }[] {
  const workspace = o.workspace ?? 'demo';
  const minutes = o.minutes ?? 60;
  const stepMs = o.stepMs ?? 30_000;
  const rnd = prng(o.seed ?? 11);
  const steps = Math.floor((minutes * 60_000) / stepMs);
  const out: { t: number; samples: Sample[] }[] = [];
  const first = now - steps * stepMs;
  const olderStep = 900_000;
  const older = Math.floor(((o.olderHours ?? 0) * 3600_000) / olderStep);
  const oldest = first - older * olderStep;
  const days = (o.olderDays ?? 0) * 24;
  const times = [
    ...Array.from({ length: days }, (_, k) => oldest - (days - k) * 3600_000),
    ...Array.from({ length: older }, (_, k) => first - (older - k) * olderStep),
    ...Array.from({ length: steps }, (_, k) => now - (steps - k) * stepMs),
  ];
  // Yesterday (Shanghai time) as of `now`: where the planted blips are.
  const yesterday = localDay(now) - 1;
  const blip = (t: number, hour: number) => localDay(t) === yesterday && localHour(t) === hour;
  // Every gauge is its level × the hour's shape × the day's factor × a small wobble (a bounded walk,
  // ±3 %: the day factors' spread, not chance, is what the same hour of different days differs by).
  // The levels are set so that the history ends at the host's and this process's real figures.
  // Yesterday, the daily report's day, was an ordinary day (the reference days' median factor, 1) but
  // for its planted blips: with its own factor it could be the week's extreme, and on a week whose
  // other days happened to lie close together the report flagged an hour of it by chance (16:00's
  // API p99, 3.66 robust deviations, seen on 2026-12-08).
  const factor = (t: number) => (localDay(t) === yesterday ? 1 : dayFactor(t));
  const shape = (t: number, lo: number) => (lo + (1 - lo) * dayShape[localHour(t)]!) * factor(t);
  // Never so high that the busiest hour of the busiest day reaches the clamps below: a host busy
  // when the demo is seeded late at night (a loaded CI machine) gave a history flat at the cap,
  // and the daily report flagged its every busy hour. Such a history ends below the real figure.
  const busiest = Math.max(...dayFactors) * 1.03; // the wobble's top
  const cpuLevel = Math.min(clamp(base.cpu, 0.02, 0.8) / shape(now, 0.5), 0.8 / busiest);
  const usedLevel = Math.min((base.memTotal - base.memAvailable) / shape(now, 0.9), (base.memTotal * 0.8) / busiest);
  const rssLevel = (base.rss ?? 180e6) / shape(now, 0.85);
  const wobble = new Map<string, number>();
  const wob = (key: string) => {
    const w = clamp((wobble.get(key) ?? 0) + (rnd() - 0.5) * 0.012, -0.03, 0.03);
    wobble.set(key, w);
    return 1 + w;
  };
  let messages = 0;
  const requests = new Map<string, number>();
  let agents = 3;
  let customers = 8;
  for (let j = 0; j < times.length; j++) {
    const at = times[j]!;
    const t = Math.floor(at / 1000) * 1000;
    const dt = j ? at - times[j - 1]! : stepMs;
    const recent = at >= first;
    const phase = Math.max(0, (at - first) / (steps * stepMs));
    const load = shape(at, 0);
    const cpu = clamp(cpuLevel * shape(at, 0.5) * wob('cpu'), 0.01, 0.95);
    const used = clamp(usedLevel * shape(at, 0.9) * wob('mem'), base.memTotal * 0.05, base.memTotal * 0.95);
    const rss = rssLevel * shape(at, 0.85) * wob('rss');
    agents = recent ? clamp(agents + (rnd() < 0.1 ? (rnd() < 0.5 ? -1 : 1) : 0), 1, 6) : Math.round(1 + 5 * load);
    customers = recent ? clamp(customers + Math.round((rnd() - 0.5) * 4), 2, 25) : Math.round(2 + 23 * load);
    messages += Math.round(customers * (0.5 + rnd()) * (dt / 60_000) * 2);
    // Yesterday at 03:00 the night's backup stalls the event loop for a moment.
    const loop = blip(at, 3) ? 0.18 : 0.012 * shape(at, 0.7) * wob('loop');
    // The data folder fills slowly: about 40 MB over the last hour, 2 MB an hour before.
    const disk = base.diskFree + (1 - phase) * 40e6 + Math.max(0, first - at) * (2e6 / 3600_000);
    const samples: Sample[] = [
      { name: 'kefu_host_cpu_usage_ratio', labels: { node }, value: cpu },
      { name: 'kefu_host_memory_total_bytes', labels: { node }, value: base.memTotal },
      { name: 'kefu_host_memory_available_bytes', labels: { node }, value: base.memTotal - used },
      { name: 'kefu_host_disk_free_bytes', labels: { node }, value: disk },
      { name: 'kefu_process_resident_memory_bytes', labels: { node }, value: rss },
      { name: 'kefu_nodejs_eventloop_lag_p99_seconds', labels: { node }, value: loop },
      // People online in the demo workspace (the overview's chart), and their sockets: one agent has two tabs open.
      { name: 'kefu_realtime_agents_online', labels: { node, workspace }, value: agents },
      { name: 'kefu_realtime_shoppers_online', labels: { node, workspace }, value: customers },
      { name: 'kefu_realtime_connections', labels: { node, kind: 'agent' }, value: agents + 1 },
      { name: 'kefu_realtime_connections', labels: { node, kind: 'customer' }, value: customers },
      { name: 'kefu_chat_messages_committed_total', labels: { node }, value: messages, kind: 'counter' },
      // The gateway's ack latency p99, a few ms, following the day's load (no draw: the rest stays as seeded).
      { name: 'kefu_realtime_ack_latency_seconds_p99', labels: { node }, value: 0.004 + 0.012 * shape(at, 0.5) },
    ];
    // The installation's probes (no `node`: a probe is the installation's), every check passing.
    for (const p of o.probes ?? []) {
      const labels = { probe: p.name, ...(p.component ? { component: p.component } : {}) };
      samples.push({ name: 'probe_success', labels, value: 1 });
      samples.push({ name: 'probe_duration_seconds', labels, value: 0.003 + rnd() * 0.004 });
    }
    for (const r of routes) {
      for (const [code, share] of [
        ['200', 1],
        ['500', 0.004],
      ] as const) {
        const k = `${r.route} ${code}`;
        const rate = r.rate * load * 1.2;
        const n =
          (requests.get(k) ?? 0) +
          Math.round(rate * share * (dt / 1000) * (0.5 + rnd()) + (rnd() < 0.05 && code === '500' ? 1 : 0));
        requests.set(k, n);
        const labels = { node, method: r.method, route: r.route, status_code: code };
        samples.push({ name: 'kefu_http_request_duration_seconds_count', labels, value: n, kind: 'counter' });
      }
      // Yesterday's evening rush at 20:00 slows the conversation list (a slow query, since fixed).
      const slow = blip(at, 20) && r.route === '/api/conversations' ? 4 : 1;
      const p99 = r.p99 * shape(at, 0.7) * wob(r.route) * slow;
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
 * The living demo's history for this node (demoHistory): the last hour from the host's real figures,
 * the 47 hours before it every 15 minutes and 8 days before those hourly, with the results of the
 * installation's enabled probes (the built-in ones: the monitoring seed ensures them first).
 */
export async function seedDemoHistory(s: Services): Promise<void> {
  const h = await hostSnapshot(s.config.dataDir);
  const base = {
    cpu: h.cpu,
    memTotal: h.memTotal,
    memAvailable: h.memAvailable,
    diskFree: h.disk.free,
    rss: process.memoryUsage.rss(),
  };
  const probes = await own(s.db)
    .selectFrom('monitoring_probes')
    .select(['name', 'component'])
    .where('enabled', '=', 1)
    .orderBy('name')
    .execute();
  const store = runtime(s).store;
  const batches = demoHistory(nodeName(s), base, s.clock.now().getTime(), { olderHours: 47, olderDays: 8, probes });
  for (const b of batches) await store.write(b.t, b.samples);
}
