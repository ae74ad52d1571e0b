/**
 * The ops overview's charts: one PromQL expression each over the sampler's series. Shared by the
 * console (which draws them) and the tests (which check a fresh demo gives each one figures).
 */
export type OverviewChart = {
  key: 'cpu' | 'memory' | 'disk' | 'p99' | 'errors' | 'online' | 'messages' | 'ack';
  expr: string;
  unit?: 'percent' | 'seconds' | 'bytes';
  /** The label that names a line in the legend (none: one line named by the chart). */
  legend?: string;
  /** Draw each line's least-squares trend over the shown range ahead, dashed (as `predict_linear`). */
  forecast?: boolean;
  /** With a forecast: the value at which the resource is used up ("disk full in N days" when a line heads there). */
  exhaustedAt?: number;
};

/**
 * Online people, not sockets (an agent's two tabs are one agent): the per-workspace gauges of
 * distinct agents and shoppers, summed over workspaces and nodes, each sum labelled `kind` (agent,
 * customer) for the legend. With nobody online no per-workspace series exists: a sampling node's
 * socket gauge (always written) then gives 0, and with no node sampling the chart shows a gap.
 */
const people = (metric: string, kind: 'agent' | 'customer') =>
  `label_replace(sum(${metric}) or 0 * sum(kefu_realtime_connections{kind="${kind}"}), "kind", "${kind}", "", "")`;
export const onlinePeopleExpr = `${people('kefu_realtime_agents_online', 'agent')} or ${people('kefu_realtime_shoppers_online', 'customer')}`;

export const overviewCharts: readonly OverviewChart[] = [
  { key: 'cpu', expr: 'kefu_host_cpu_usage_ratio', unit: 'percent', legend: 'node', forecast: true },
  {
    key: 'memory',
    expr: '1 - kefu_host_memory_available_bytes / kefu_host_memory_total_bytes',
    unit: 'percent',
    legend: 'node',
    forecast: true,
  },
  { key: 'disk', expr: 'kefu_host_disk_free_bytes', unit: 'bytes', legend: 'node', forecast: true, exhaustedAt: 0 },
  { key: 'p99', expr: 'max by (node) (kefu_http_request_duration_seconds_p99)', unit: 'seconds', legend: 'node' },
  {
    key: 'errors',
    expr: 'sum(rate(kefu_http_request_duration_seconds_count{status_code=~"5.."}[5m])) / sum(rate(kefu_http_request_duration_seconds_count[5m]))',
    unit: 'percent',
  },
  { key: 'online', expr: onlinePeopleExpr, legend: 'kind' },
  { key: 'messages', expr: 'sum(rate(kefu_chat_messages_committed_total[5m]))' },
  // What a client waits from its send frame to its ack (the gateway's side; the network not included).
  { key: 'ack', expr: 'max by (node) (kefu_realtime_ack_latency_seconds_p99)', unit: 'seconds', legend: 'node' },
];

/** A least-squares line through points (time in ms, value), as Prometheus's `predict_linear` fits it. */
export type Trend = { slopePerMs: number; at: (t: number) => number };

export function linearTrend(points: readonly (readonly [number, number])[]): Trend | null {
  const ps = points.filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v));
  if (ps.length < 3) return null;
  const t0 = ps[0][0];
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const [t, v] of ps) {
    const x = t - t0;
    n++;
    sx += x;
    sy += v;
    sxx += x * x;
    sxy += x * v;
  }
  const d = n * sxx - sx * sx;
  if (d === 0) return null;
  const slope = (n * sxy - sx * sy) / d;
  const intercept = (sy - slope * sx) / n;
  return { slopePerMs: slope, at: (t) => intercept + slope * (t - t0) };
}

/**
 * When a line heading for `exhaustedAt` gets there, in ms after `now` (the trend's value at `now`
 * is the start); null when it is not heading there.
 */
export function exhaustedIn(trend: Trend, now: number, exhaustedAt: number): number | null {
  const v = trend.at(now);
  if (trend.slopePerMs === 0) return null;
  const ms = (exhaustedAt - v) / trend.slopePerMs;
  return ms > 0 ? ms : v === exhaustedAt ? 0 : null;
}
