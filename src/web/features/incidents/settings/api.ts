/** HTTP side of the incident settings: the contract, notification channels, the escalation policy, rotations. */
import { queryOptions } from '@tanstack/react-query';
import type { ContractBodyInput } from '../../../../shared/incidents-api.ts';
import { api } from '../../../shared/http.ts';
import type { OnCall, RosterWarning } from '../api.ts';

type Targets = { respond: number; resolve: number };
export type Severity = 'P1' | 'P2' | 'P3';
export type Person = { name: string; phone?: string; email?: string; userId?: string };
export type Window = { name: string; start: string; end: string };

/** The stored contract (as entered) and what applies where it names nothing. */
export type ContractView = Omit<ContractBodyInput, 'technicalDirector' | 'contacts'> & {
  configured: boolean;
  currency: string;
  timezone: string;
  technicalDirector: Person | null;
  contacts: Person[];
  effective: {
    severities: Record<Severity, Targets>;
    promotionSeverities: Partial<Record<Severity, Targets>>;
    promotions: Window[];
  };
};

export const notifierKinds = ['email', 'wecom', 'dingtalk', 'feishu', 'sms', 'webhook'] as const;
export type NotifierKind = (typeof notifierKinds)[number];
/** Secrets come back as this mask; sending it back keeps the stored value. */
export const secretMask = '••••••';
export type Channel = {
  id: string;
  name: string;
  kind: NotifierKind;
  enabled: boolean;
  config: Record<string, unknown>;
};
export type ChannelBody = Omit<Channel, 'id'>;

export type Target =
  | { type: 'rotation'; id: string }
  | { type: 'user'; id: string }
  | { type: 'group'; id: string }
  | { type: 'channels' };
export type EscalationPolicy = {
  steps: { notify: Target[]; waitMinutes: number }[];
  repeat: number;
  reackMinutes: number;
};

export type Hours = { start: string; end: string; weekdays: number[] };
export type LayerDefinition = {
  name: string;
  timezone: string;
  handoff: 'daily' | 'weekly';
  handoffTime: string;
  handoffWeekday: number;
  startDate: string;
  participants: string[];
  hours: Hours | null;
};
export type RotationDefinition = LayerDefinition & { kind: 'normal' | 'promotion'; layers: LayerDefinition[] };
export type Rotation = OnCall['rotations'][number] & {
  definition: Partial<RotationDefinition>;
  participants: { id: string; name: string | null }[];
};

export const contractQuery = () =>
  queryOptions({
    queryKey: ['incident-settings', 'contract'],
    queryFn: () => api.get<ContractView>('/api/ops/contract'),
  });
export const saveContract = (body: ContractBodyInput) => api.put<ContractView>('/api/ops/contract', body);

export const channelsQuery = () =>
  queryOptions({
    queryKey: ['incident-settings', 'channels'],
    queryFn: () => api.get<{ items: Channel[] }>('/api/ops/notifiers'),
  });
export const saveChannel = (id: string | null, body: ChannelBody) =>
  id
    ? api.put<Channel>(`/api/ops/notifiers/${encodeURIComponent(id)}`, body)
    : api.post<Channel>('/api/ops/notifiers', body);
export const testChannel = (id: string) =>
  api.post<{ ok: boolean; error: string | null }>(`/api/ops/notifiers/${encodeURIComponent(id)}/test`);

export const escalationQuery = () =>
  queryOptions({
    queryKey: ['incident-settings', 'escalation'],
    queryFn: () =>
      api.get<{ policy: EscalationPolicy | null; groups: { id: string; name: string }[] }>(
        '/api/ops/escalation-policy',
      ),
  });
export const saveEscalation = (body: EscalationPolicy) =>
  api.put<{ policy: EscalationPolicy }>('/api/ops/escalation-policy', body);

/** The workspace's active people (any role), for the pickers. */
export const directoryQuery = () =>
  queryOptions({
    queryKey: ['users', 'directory'],
    queryFn: () => api.get<{ items: { id: string; name: string; role: string }[] }>('/api/users/directory'),
    staleTime: 60_000,
  });

export const rotationsQuery = () =>
  queryOptions({
    queryKey: ['oncall'],
    queryFn: () => api.get<Omit<OnCall, 'rotations'> & { rotations: Rotation[] }>('/api/ops/oncall'),
  });
export const saveRotation = (id: string | null, body: RotationDefinition & { name: string }) =>
  id
    ? api.put<Rotation>(`/api/ops/oncall/rotations/${encodeURIComponent(id)}`, body)
    : api.post<Rotation>('/api/ops/oncall/rotations', body);
export const addOverride = (id: string, body: { userId: string; start: string; end: string }) =>
  api.post<Rotation>(`/api/ops/oncall/rotations/${encodeURIComponent(id)}/overrides`, body);

export type { RosterWarning };
