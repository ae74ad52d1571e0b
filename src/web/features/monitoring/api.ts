/** HTTP side of monitoring: probes, alerts, the configuration, queries, and a workspace's health. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { OpsConfig, ProbeInput } from '../../../shared/ops-api.ts';
import { api, query, request } from '../../shared/http.ts';

export type Labels = Record<string, string>;
export type Probe = {
  id: string;
  name: string;
  type: ProbeInput['type'];
  definition: ProbeInput;
  component: string | null;
  enabled: boolean;
  status: 'unknown' | 'up' | 'pending' | 'down';
  failures: number;
  lastCheckAt: string | null;
  lastDurationMs: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  certExpiresAt: string | null;
  pushPath: string | null;
  uptime: { h24: number | null; d7: number | null; d30: number | null; d90: number | null };
};
export type Alert = {
  id: string;
  rule: string;
  group: string;
  state: 'pending' | 'firing' | 'resolved';
  severity: string | null;
  labels: Labels;
  annotations: Record<string, string>;
  value: number | null;
  activeAt: string;
  firedAt: string | null;
  resolvedAt: string | null;
  suppressedBy: string | null;
};
export type ComponentHealth = {
  name: string;
  title: string;
  titleEn: string;
  status: 'up' | 'degraded' | 'down' | 'unknown';
  days: (number | null)[];
  uptime90d: number | null;
};
/** A range query's answer, with the window it was asked for (the chart's time axis spans exactly that). */
export type RangeResult = {
  step: number;
  series: { labels: Labels; points: [number, number][] }[];
  from: number;
  to: number;
};
export type InstantResult = {
  resultType: string;
  result: { labels: Labels; value: number }[] | number | string;
  unknownMetrics: string[];
};

export const probesQuery = () =>
  queryOptions({
    queryKey: ['ops', 'probes'],
    queryFn: () => api.get<{ items: Probe[] }>('/api/ops/probes'),
    refetchInterval: 15_000,
  });
export const alertsQuery = (state?: Alert['state']) =>
  queryOptions({
    queryKey: ['ops', 'alerts', state ?? 'all'],
    queryFn: () => api.get<{ items: Alert[] }>(`/api/ops/alerts${query({ state })}`),
    refetchInterval: 15_000,
  });
export const configQuery = () =>
  queryOptions({ queryKey: ['ops', 'config'], queryFn: () => api.get<OpsConfig>('/api/ops/config') });
export const healthQuery = () =>
  queryOptions({
    queryKey: ['ops', 'health'],
    queryFn: () => api.get<{ items: ComponentHealth[] }>('/api/ops/health/components'),
    refetchInterval: 30_000,
  });
export const rangeQuery = (expr: string, minutes: number) =>
  queryOptions({
    queryKey: ['ops', 'range', expr, minutes],
    queryFn: async (): Promise<RangeResult> => {
      const to = Date.now();
      const from = to - minutes * 60_000;
      const r = await api.get<Omit<RangeResult, 'from' | 'to'>>(
        `/api/ops/query_range${query({ expr, from: new Date(from).toISOString(), to: new Date(to).toISOString() })}`,
      );
      return { ...r, from, to };
    },
    refetchInterval: 30_000,
  });

/** An expression's value now, kept fresh (the rules table's "current value"). */
export const instantQuery = (expr: string) =>
  queryOptions({
    queryKey: ['ops', 'instant', expr],
    queryFn: () => api.post<InstantResult>('/api/ops/query', { expr }),
    refetchInterval: 30_000,
    retry: false,
  });

export function useInstantQuery() {
  return useMutation({ mutationFn: (expr: string) => api.post<InstantResult>('/api/ops/query', { expr }) });
}

/** Ends a silence now (its end time becomes now; the audit log records who). */
export function useEndSilence() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => request<{ ok: true }>('POST', `/api/ops/silences/${encodeURIComponent(name)}/end`),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['ops'] }),
  });
}

export function useSaveConfig() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (doc: OpsConfig) => request<{ created: string[]; updated: string[] }>('PUT', '/api/ops/config', doc),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['ops'] }),
  });
}
