/** What tickets are described with: types, custom fields, groups, saved views, macros; and people to assign. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as Api from '../../../shared/tickets-api.ts';
import { api, request } from '../../shared/http.ts';
import type { UserList } from '../../shared/types.ts';
import type { FieldType } from './model.ts';

export type TicketType = { id: string; key: string; names: { 'zh-CN': string; en: string }; archived: boolean };
export type FieldDef = {
  id: string;
  key: string;
  label: string;
  type: FieldType;
  options: string[];
  requiredOnSolve: boolean;
};
export type Group = { id: string; name: string; supervisorId: string | null; memberIds: string[] };
export type SavedView = { id: string; name: string; shared: boolean; query: z.input<typeof Api.ViewBody>['query'] };
export type MacroActions = z.output<typeof Api.MacroBody>['actions'];
export type Macro = { id: string; name: string; actions: MacroActions; createdAt: string };
export type TypeBody = z.input<typeof Api.TypeBody>;
export type FieldBody = z.input<typeof Api.FieldBody>;
export type GroupBody = z.input<typeof Api.GroupBody>;
export type ViewBody = z.input<typeof Api.ViewBody>;
export type MacroBody = z.input<typeof Api.MacroBody>;

const items = <T>(url: string) => api.get<{ items: T[] }>(url);
const id = (value: string) => encodeURIComponent(value);

export const typesQuery = () =>
  queryOptions({
    queryKey: ['ticket-types'],
    queryFn: () => items<TicketType>('/api/ticket-types'),
    staleTime: 60_000,
  });
export const fieldsQuery = () =>
  queryOptions({
    queryKey: ['ticket-fields'],
    queryFn: () => items<FieldDef>('/api/ticket-fields'),
    staleTime: 60_000,
  });
export const groupsQuery = () =>
  queryOptions({ queryKey: ['groups'], queryFn: () => items<Group>('/api/groups'), staleTime: 60_000 });
export const viewsQuery = () =>
  queryOptions({ queryKey: ['ticket-views'], queryFn: () => items<SavedView>('/api/ticket-views'), staleTime: 60_000 });
export const macrosQuery = () =>
  queryOptions({ queryKey: ['macros'], queryFn: () => items<Macro>('/api/macros'), staleTime: 60_000 });

/** For assignee pickers and names; only asked for when the role holds users.read (agents don't). */
export const usersQuery = () =>
  queryOptions({ queryKey: ['users'], queryFn: () => api.get<UserList>('/api/users'), staleTime: 60_000 });

function useSave<B, R>(key: string, send: (body: B) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: send, onSuccess: () => client.invalidateQueries({ queryKey: [key] }) });
}

export const useSaveType = () =>
  useSave('ticket-types', (body: TypeBody) => api.post<{ items: TicketType[] }>('/api/ticket-types', body));
export const useArchiveType = () =>
  useSave('ticket-types', (key: string) => api.delete(`/api/ticket-types/${id(key)}`));
export const useCreateField = () =>
  useSave('ticket-fields', (body: FieldBody) => api.post<FieldDef>('/api/ticket-fields', body));
export const useArchiveField = () =>
  useSave('ticket-fields', (fieldId: string) => api.delete(`/api/ticket-fields/${id(fieldId)}`));
export const useSaveGroup = () =>
  useSave('groups', ({ groupId, ...body }: GroupBody & { groupId?: string }) =>
    groupId ? request<Group>('PUT', `/api/groups/${id(groupId)}`, body) : api.post<Group>('/api/groups', body),
  );
export const useCreateView = () =>
  useSave('ticket-views', (body: ViewBody) => api.post<SavedView>('/api/ticket-views', body));
export const useDeleteView = () =>
  useSave('ticket-views', (viewId: string) => api.delete(`/api/ticket-views/${id(viewId)}`));
export const useSaveMacro = () =>
  useSave('macros', ({ macroId, ...body }: MacroBody & { macroId?: string }) =>
    macroId ? request<Macro>('PUT', `/api/macros/${id(macroId)}`, body) : api.post<Macro>('/api/macros', body),
  );
