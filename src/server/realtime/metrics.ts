import { Counter, Gauge, type Registry } from 'prom-client';
import { AckLatency } from './ack-latency.ts';
import type { OnlineCounts } from './online.ts';

/** How long a workspace whose last person left is still reported, at 0 (twice the queries' lookback). */
export const emptiedKeepMs = 10 * 60_000;

/** Online users (agents and shoppers connected, per node and per workspace) and protocol trouble, for monitoring. */
export function realtimeMetrics(
  registry: Registry,
  counts: () => { agent: number; customer: number },
  online: Pick<OnlineCounts, 'perWorkspace' | 'slugOf'>,
) {
  // The gauges read this gateway's counts: a new gateway on the registry (tests) replaces them.
  for (const name of ['kefu_realtime_connections', 'kefu_realtime_agents_online', 'kefu_realtime_shoppers_online'])
    if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
  // One read per scrape for both per-workspace gauges (each collect asks; the second reuses it).
  // The `workspace` label is the slug, as alert rules and other gauges name workspaces.
  // A workspace that empties stays at 0 for `emptiedKeepMs`: a query's 5-minute lookback would
  // otherwise keep seeing its last figure (the people who left) until the series is stale.
  type Row = { workspace: string; agents: number; shoppers: number };
  const lastListed = new Map<string, number>();
  const withEmptied = (rows: Row[]): Row[] => {
    const now = Date.now();
    const listed = new Set(rows.map((w) => w.workspace));
    for (const w of listed) lastListed.set(w, now);
    const emptied: Row[] = [];
    for (const [workspace, at] of lastListed) {
      if (listed.has(workspace)) continue;
      if (now - at > emptiedKeepMs) lastListed.delete(workspace);
      else emptied.push({ workspace, agents: 0, shoppers: 0 });
    }
    return [...rows, ...emptied];
  };
  let reading: Promise<Row[]> | null = null;
  const onlineNow = () =>
    (reading ??= Promise.all(
      online.perWorkspace().map(async (w) => ({ ...w, workspace: await online.slugOf(w.workspaceId) })),
    )
      .then(withEmptied)
      .finally(() => setImmediate(() => (reading = null))));
  new Gauge({
    name: 'kefu_realtime_agents_online',
    help: 'Agents (distinct users) with a WebSocket open on this node, per workspace',
    labelNames: ['workspace'],
    registers: [registry],
    async collect() {
      const rows = await onlineNow();
      this.reset();
      for (const w of rows) this.set({ workspace: w.workspace }, w.agents);
    },
  });
  new Gauge({
    name: 'kefu_realtime_shoppers_online',
    help: 'Shoppers (distinct customers) with a WebSocket open on this node, per workspace',
    labelNames: ['workspace'],
    registers: [registry],
    async collect() {
      const rows = await onlineNow();
      this.reset();
      for (const w of rows) this.set({ workspace: w.workspace }, w.shoppers);
    },
  });
  new Gauge({
    name: 'kefu_realtime_connections',
    help: 'WebSocket connections on this node, by kind (agent, customer)',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      const c = counts();
      this.set({ kind: 'agent' }, c.agent);
      this.set({ kind: 'customer' }, c.customer);
    },
  });
  const frameErrors =
    (registry.getSingleMetric('kefu_realtime_frame_errors_total') as Counter<'code'> | undefined) ??
    new Counter({
      name: 'kefu_realtime_frame_errors_total',
      help: 'Error frames sent to clients, by code',
      labelNames: ['code'],
      registers: [registry],
    });
  const slowConsumers =
    (registry.getSingleMetric('kefu_realtime_slow_consumers_total') as Counter | undefined) ??
    new Counter({
      name: 'kefu_realtime_slow_consumers_total',
      help: 'Connections closed because they read too slowly',
      registers: [registry],
    });
  const rateLimited =
    (registry.getSingleMetric('kefu_realtime_rate_limited_total') as Counter<'what'> | undefined) ??
    new Counter({
      name: 'kefu_realtime_rate_limited_total',
      help: 'Rate-limit refusals: messages (`rate_limited`) and frames (connection closed with 4429)',
      labelNames: ['what'],
      registers: [registry],
    });
  const gapsFilled =
    (registry.getSingleMetric('kefu_realtime_gaps_filled_total') as Counter | undefined) ??
    new Counter({
      name: 'kefu_realtime_gaps_filled_total',
      help: 'Live messages that arrived out of order over the bus, the missing ones read from the database',
      registers: [registry],
    });
  const readPauses =
    (registry.getSingleMetric('kefu_realtime_read_pauses_total') as Counter<'why'> | undefined) ??
    new Counter({
      name: 'kefu_realtime_read_pauses_total',
      help: 'Times the gateway stopped reading a connection: too many of its frames waiting (frames), or too much unread output (buffer)',
      labelNames: ['why'],
      registers: [registry],
    });
  const ackLatency = AckLatency.on(registry);
  return { frameErrors, slowConsumers, rateLimited, gapsFilled, readPauses, ackLatency };
}
