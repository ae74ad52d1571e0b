import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { BackupRun, BackupStatus, BackupTarget, TargetBackup, TargetBody } from '../../../shared/backups-api.ts';
import { api, query } from '../../shared/http.ts';

export const statusQuery = () =>
  queryOptions({ queryKey: ['backups', 'status'], queryFn: () => api.get<BackupStatus>('/api/backups/status') });

export const targetsQuery = () =>
  queryOptions({
    queryKey: ['backups', 'targets'],
    queryFn: () => api.get<{ items: BackupTarget[] }>('/api/backups/targets'),
  });

/** The history; polled while a run is queued or running, so its progress bar moves. */
export const runsQuery = (filters: { targetId?: string; kind?: string }) =>
  queryOptions({
    queryKey: ['backups', 'runs', filters],
    queryFn: () => api.get<{ items: BackupRun[] }>(`/api/backups/runs${query(filters)}`),
    refetchInterval: (q) =>
      q.state.data?.items.some((r) => r.status === 'queued' || r.status === 'running') ? 1500 : false,
  });

export const targetBackupsQuery = (targetId: string | undefined) =>
  queryOptions({
    queryKey: ['backups', 'targets', targetId, 'backups'],
    queryFn: () => api.get<{ items: TargetBackup[]; unreadable: string[] }>(`/api/backups/targets/${targetId}/backups`),
    enabled: !!targetId,
    retry: false,
  });

export function useSaveTarget() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: TargetBody }) =>
      id
        ? api.put<BackupTarget>(`/api/backups/targets/${id}`, body)
        : api.post<BackupTarget>('/api/backups/targets', body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['backups'] }),
  });
}

export function useDeleteTarget() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(`/api/backups/targets/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['backups'] }),
  });
}

export function useStartRun() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { targetId: string; kind: 'backup' | 'verify' | 'drill' | 'prune' }) =>
      api.post<BackupRun>('/api/backups/runs', body),
    // The queued run shows in the history at once (with its bar), before the list is read again:
    // a quick verification may be over by the time that read answers.
    onSuccess: (run) => {
      for (const [key, data] of client.getQueriesData<{ items: BackupRun[] }>({ queryKey: ['backups', 'runs'] })) {
        const filters = (key[2] ?? {}) as { targetId?: string; kind?: string };
        if (!data || data.items.some((r) => r.id === run.id)) continue;
        if ((filters.kind && filters.kind !== run.kind) || (filters.targetId && filters.targetId !== run.targetId))
          continue;
        client.setQueryData(key, { ...data, items: [run, ...data.items] });
      }
      return client.invalidateQueries({ queryKey: ['backups', 'runs'] });
    },
  });
}

/** A drill's report as a download: `csv` (a spreadsheet), `html` (printable) or `json`. */
export const drillReportUrl = (runId: string, format: 'json' | 'csv' | 'html', lang: string) =>
  `/api/backups/runs/${encodeURIComponent(runId)}/report${query({ format, lang: lang === 'en' ? 'en' : 'zh-CN' })}`;

export const formatBytes = (n: number | null | undefined): string => {
  if (n === null || n === undefined) return '—';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
};

export const formatMs = (ms: number | null | undefined): string =>
  ms === null || ms === undefined
    ? '—'
    : ms < 1000
      ? `${ms} ms`
      : ms < 120_000
        ? `${(ms / 1000).toFixed(1)} s`
        : `${Math.round(ms / 60_000)} min`;
