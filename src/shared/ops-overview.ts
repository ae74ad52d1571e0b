/**
 * The ops overview's charts: one PromQL expression each over the sampler's series. Shared by the
 * console (which draws them) and the tests (which check a fresh demo gives each one figures).
 */
export type OverviewChart = {
  key: 'cpu' | 'memory' | 'disk' | 'p99' | 'errors' | 'online' | 'messages';
  expr: string;
  unit?: 'percent' | 'seconds' | 'bytes';
  /** The label that names a line in the legend (none: one line named by the chart). */
  legend?: string;
};

export const overviewCharts: readonly OverviewChart[] = [
  { key: 'cpu', expr: 'kefu_host_cpu_usage_ratio', unit: 'percent', legend: 'node' },
  {
    key: 'memory',
    expr: '1 - kefu_host_memory_available_bytes / kefu_host_memory_total_bytes',
    unit: 'percent',
    legend: 'node',
  },
  { key: 'disk', expr: 'kefu_host_disk_free_bytes', unit: 'bytes', legend: 'node' },
  { key: 'p99', expr: 'max by (node) (kefu_http_request_duration_seconds_p99)', unit: 'seconds', legend: 'node' },
  {
    key: 'errors',
    expr: 'sum(rate(kefu_http_request_duration_seconds_count{status_code=~"5.."}[5m])) / sum(rate(kefu_http_request_duration_seconds_count[5m]))',
    unit: 'percent',
  },
  { key: 'online', expr: 'sum by (kind) (kefu_realtime_connections)', legend: 'kind' },
  { key: 'messages', expr: 'sum(rate(kefu_chat_messages_committed_total[5m]))' },
];
