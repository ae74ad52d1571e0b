/** The console's incident work: declaring, notes and updates, severity, the review, the overview, the merchant's reports. */
import { queryOptions } from '@tanstack/react-query';
import type {
  DeclareOptions,
  IncidentSeverity,
  ReportedProblems,
  TimelineEntry,
} from '../../../shared/incidents-api.ts';
import { api, query } from '../../shared/http.ts';
import type { IncidentDetail } from './api.ts';
import type { PolicyOnCall } from './policy-oncall.tsx';

const path = (id: string) => `/api/ops/incidents/${encodeURIComponent(id)}`;

export const declareOptionsQuery = () =>
  queryOptions({
    queryKey: ['incidents', 'declare-options'],
    queryFn: () => api.get<DeclareOptions>('/api/ops/incidents/declare-options'),
  });

export type Declaration = {
  title: string;
  description?: string;
  severity: IncidentSeverity;
  mode: 'real' | 'drill';
  component?: string;
  workspaceIds: string[];
};
export const declare = (body: Declaration) => api.post<IncidentDetail>('/api/ops/incidents', body);

export const addNote = (id: string, body: string, isPublic: boolean) =>
  api.post<IncidentDetail>(`${path(id)}/notes`, { body, public: isPublic });

export const changeSeverity = (id: string, version: number, severity: IncidentSeverity) =>
  api.patch<IncidentDetail>(path(id), { version, severity });

export type ActionItem = { title: string; ownerId: string; due: string; done: boolean };
export type Review = {
  impact: string;
  rootCauseCategory: string;
  rootCause: string;
  actionItems: ActionItem[];
};
export type ReviewView = {
  review: Review | null;
  minutesToAcknowledge: number | null;
  minutesToResolve: number | null;
  timeline: TimelineEntry[];
};

export const reviewQuery = (id: string) =>
  queryOptions({ queryKey: ['incident', id, 'review'], queryFn: () => api.get<ReviewView>(`${path(id)}/review`) });
export const saveReview = (id: string, body: Review) => api.put<ReviewView>(`${path(id)}/review`, body);

export const directoryQuery = () =>
  queryOptions({
    queryKey: ['users', 'directory'],
    queryFn: () => api.get<{ items: { id: string; name: string; role: string }[] }>('/api/users/directory'),
    staleTime: 60_000,
  });

export type Summary = { count: number; mean: number | null; median: number | null; p90: number | null };
export type Overview = {
  workspaces: { id: string; name: string }[];
  open: number;
  actionItems: (ActionItem & { incidentId: string; incidentNumber: number | null; ownerName: string | null })[];
  failedNotifications: {
    incidentId: string;
    incidentNumber: number | null;
    channel: string;
    error: string | null;
    at: string;
  }[];
  stats: { month: string; severity: string; mtta: Summary; mttr: Summary }[];
  onCall: PolicyOnCall;
};
export const overviewQuery = (workspaceId: string | undefined) =>
  queryOptions({
    queryKey: ['ops-overview', workspaceId ?? 'all'],
    queryFn: () => api.get<Overview>(`/api/ops/overview${query({ workspaceId })}`),
    refetchInterval: 60_000,
  });

export const reportedQuery = () =>
  queryOptions({
    queryKey: ['incidents', 'reported'],
    queryFn: () => api.get<ReportedProblems>('/api/ops/incidents/report'),
    refetchInterval: 30_000,
  });
export const reportProblem = (body: {
  title: string;
  description: string;
  severity: IncidentSeverity;
  contact?: string;
}) => api.post<{ id: string; number: number }>('/api/ops/incidents/report', body);
