/** The reports API for the console: the list per type, one report with its document, sign-off, produce, verify, live hot questions, schedules. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  LiveHotQuestions,
  ReportListItem,
  ReportSchedule,
  ReportScheduleInput,
  ReportSchedules,
  ReportSignoff,
  ReportTypeName,
} from '../../../shared/reports-api.ts';
import { api, query } from '../../shared/http.ts';

/** The document as the server stores it (`src/server/modules/reports/document.ts`), seen from the console. */
export type Text = { zh: string; en: string };
/** `ids`: the first of them (up to 1,000); `total`: how many there are (absent in reports made before it was recorded). */
export type Drill = { kind: 'conversations' | 'incidents'; ids: string[]; total?: number };
export type Figure = { label: Text; value: string; drill?: Drill; flag?: 'anomaly' | 'risk' };
export type Block =
  | { kind: 'figures'; items: Figure[] }
  | { kind: 'table'; title?: Text; columns: Text[]; rows: string[][] }
  | { kind: 'chart'; title: Text; option: Record<string, unknown> }
  | { kind: 'note'; text: Text };
export type Section = { id: string; title: Text; noSource: Text | null; blocks: Block[] };
export type ReportDocument = {
  type: ReportTypeName;
  workspaceId: string;
  title: Text;
  period: { key: string; zone: string; start: string; end: string };
  asOf: string;
  summary: Record<string, number | null>;
  sections: Section[];
  appendix: Text[];
};
export type ReportDetail = {
  id: string;
  type: ReportTypeName;
  periodKey: string;
  producedAt: string;
  sha256: string;
  document: ReportDocument;
  signoffs: ReportSignoff[];
};

/**
 * `workspace`: a merchant workspace the vendor (the installation's ops) opened from its home
 * workspace (`?workspace=…`); null for the caller's own.
 */
export type ReportWorkspace = string | null;
const ws = (workspace: ReportWorkspace) => (workspace ? { workspace } : {});

export const reportsQuery = (type: ReportTypeName, workspace: ReportWorkspace = null) =>
  queryOptions({
    queryKey: ['reports', 'list', type, workspace],
    queryFn: () => api.get<{ items: ReportListItem[] }>(`/api/reports${query({ type, limit: 120, ...ws(workspace) })}`),
  });

export const reportQuery = (id: string, workspace: ReportWorkspace = null) =>
  queryOptions({
    queryKey: ['reports', 'one', id, workspace],
    queryFn: () => api.get<ReportDetail>(`/api/reports/${encodeURIComponent(id)}${query(ws(workspace))}`),
    staleTime: 60_000,
  });

/** The current, unfinished period so far: recomputed on every view (never cached), not stored, not signable. */
export const provisionalQuery = (type: ReportTypeName, workspace: ReportWorkspace = null) =>
  queryOptions({
    queryKey: ['reports', 'provisional', type, workspace],
    queryFn: () =>
      api.get<{ provisional: true; type: ReportTypeName; periodKey: string; document: ReportDocument }>(
        `/api/reports/provisional${query({ type, ...ws(workspace) })}`,
      ),
    staleTime: 0,
    gcTime: 0,
  });

/** Refreshed every 30 s: a promotion's surprise shows up while it happens. */
export const liveHotQuestionsQuery = () =>
  queryOptions({
    queryKey: ['reports', 'live'],
    queryFn: () => api.get<LiveHotQuestions>('/api/reports/live/hot-questions'),
    refetchInterval: 30_000,
  });

export const downloadUrl = (id: string, format: string, workspace: ReportWorkspace = null) =>
  `/api/reports/${encodeURIComponent(id)}/download${query({ format, ...ws(workspace) })}`;

export function useSignOff(id: string, workspace: ReportWorkspace = null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (party: 'merchant' | 'vendor') =>
      api.post<{ signoffs: ReportSignoff[] }>(
        `/api/reports/${encodeURIComponent(id)}/sign-off${query(ws(workspace))}`,
        { party },
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['reports'] }),
  });
}

export function useProduce() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { type: ReportTypeName; period: string }) =>
      api.post<{ id: string; sha256: string }>('/api/reports', body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['reports'] }),
  });
}

export function useVerify(id: string, workspace: ReportWorkspace = null) {
  return useMutation({
    mutationFn: () =>
      api.get<{ stored: boolean; recomputed: boolean | null; inputs: 'snapshot' | 'current' }>(
        `/api/reports/${encodeURIComponent(id)}/verify${query(ws(workspace))}`,
      ),
  });
}

export const schedulesQuery = () =>
  queryOptions({
    queryKey: ['reports', 'schedules'],
    queryFn: () => api.get<ReportSchedules>('/api/reports/schedules'),
  });

export function useSaveSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ type, body }: { type: ReportTypeName; body: ReportScheduleInput }) =>
      api.put<ReportSchedule>(`/api/reports/schedules/${encodeURIComponent(type)}`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['reports', 'schedules'] }),
  });
}
