import { queryOptions } from '@tanstack/react-query';
import type { IncidentClockView, IncidentView, TimelineEntry } from '../../../shared/incidents-api.ts';
import { api, query } from '../../shared/http.ts';
import type { PolicyOnCall } from './policy-oncall.tsx';

export type IncidentDetail = IncidentView & {
  managed: boolean;
  now: string;
  clocks: IncidentClockView[];
  timeline: TimelineEntry[];
  /** Who the escalation policy calls now and next (null on another workspace's incident). */
  onCall: PolicyOnCall | null;
};

export type Shift = {
  userId: string | null;
  name: string | null;
  start: string;
  end: string;
  override: boolean;
  /** The higher layer the person is on call through (null: the base rotation or an override). */
  layer: string | null;
};
/** Problems found when a roster is saved (the API's `warnings`). */
export type RosterWarning =
  | { code: 'no_participants'; layer: number; message: string }
  | { code: 'gap'; start: string; end: string; message: string };
/** One person's stretch in the on-call calendar. */
export type CalendarBar = { userId: string; name: string | null; start: string; end: string };
/** The next days of a rotation: each layer (the base first), the overrides, and who is on call as a result. */
export type OnCallCalendar = {
  timezone: string;
  from: string;
  until: string;
  layers: { name: string | null; bars: CalendarBar[] }[];
  overrides: CalendarBar[];
  final: (CalendarBar & { override: boolean; layer: string | null })[];
};
export type OnCall = {
  promotion: string | null;
  rotations: {
    id: string;
    name: string;
    kind: 'normal' | 'promotion';
    active: boolean;
    layers: { name: string; timezone: string }[];
    shifts: Shift[];
    calendar: OnCallCalendar;
    warnings: RosterWarning[];
  }[];
};

export type StatementLine = {
  id: string;
  number: number;
  title: string;
  severity: string;
  mode: string;
  promotion: string | null;
  /** The targets in force at declaration (minutes). */
  targets: { respond: number; resolve: number };
  declaredAt: number;
  respondBy: number;
  acknowledgedAt: number | null;
  resolveBy: number;
  resolvedAt: number | null;
  hoursOver: number;
  deductionCents: number;
  capApplied: boolean;
  counted: boolean;
};
export type Statement = {
  month: string;
  configured: boolean;
  currency: string;
  total: number;
  cap: number;
  capScope: string;
  ratePercentPerHour: number;
  lines: StatementLine[];
  deduction: number;
  capApplied: boolean;
  termDeductionToDate: number;
  signoffs: { party: 'merchant' | 'vendor'; userName: string; at: string; deduction: number; current: boolean }[];
};

export const incidentsQuery = (state: string | undefined) =>
  queryOptions({
    queryKey: ['incidents', state ?? 'all'],
    queryFn: () => api.get<{ items: IncidentView[] }>(`/api/ops/incidents${query({ state })}`),
    refetchInterval: 15_000,
  });

export const incidentQuery = (id: string) =>
  queryOptions({
    queryKey: ['incident', id],
    queryFn: () => api.get<IncidentDetail>(`/api/ops/incidents/${encodeURIComponent(id)}`),
    refetchInterval: 15_000,
  });

export const onCallQuery = () =>
  queryOptions({ queryKey: ['oncall'], queryFn: () => api.get<OnCall>('/api/ops/oncall'), refetchInterval: 60_000 });

/** `?workspace=…` when the vendor reads a merchant workspace's statement; nothing for the caller's own. */
export const statementSuffix = (workspace: string | null) =>
  workspace ? `workspace=${encodeURIComponent(workspace)}` : '';

export const statementQuery = (month: string, workspace: string | null = null) =>
  queryOptions({
    queryKey: ['statement', month, workspace],
    queryFn: () => api.get<Statement>(`/api/ops/penalties/${month}?${statementSuffix(workspace)}`),
  });

export const transition = (id: string, to: string, version: number) =>
  api.post<IncidentDetail>(`/api/ops/incidents/${encodeURIComponent(id)}/transitions`, { to, version });

export const signOff = (month: string, party: 'merchant' | 'vendor', workspace: string | null = null) =>
  api.post<Statement>(`/api/ops/penalties/${month}/sign-off?${statementSuffix(workspace)}`, { party });
