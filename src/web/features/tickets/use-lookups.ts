import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { User } from '../../shared/types.ts';
import { useCan, useMe } from '../auth/session.ts';
import { presenceOption } from '../routing/presence.tsx';
import type { ReactNode } from 'react';
import {
  fieldsQuery,
  groupsQuery,
  typesQuery,
  usersQuery,
  type FieldDef,
  type Group,
  type TicketType,
} from './config-api.ts';
import { shownName } from '../../shared/format.ts';

/** Select value meaning "nobody" / "no group" (antd options cannot hold null). */
export const none = '__none__';
export const toNullable = (value: string | undefined): string | null | undefined => (value === none ? null : value);

export type Lookups = {
  types: TicketType[];
  fields: FieldDef[];
  groups: Group[];
  /** Active users; empty when the role may not list users (then only "me" can be picked). */
  users: User[];
  canListUsers: boolean;
  typeName: (key: string) => string;
  groupName: (id: string | null) => string;
  userName: (id: string | null) => string;
  /**
   * Assignee choices: nobody, me, then everyone else (when we may list them), people with their
   * presence badge; `current` is always kept. Selects filter them with `optionFilterProp: 'search'`.
   */
  assigneeOptions: (current?: string | null) => { value: string; label: ReactNode; search: string }[];
  groupOptions: (withNone?: boolean) => { value: string; label: string }[];
  typeOptions: (current?: string) => { value: string; label: string }[];
};

/** Names for the ids and keys on a ticket, and the options of its pickers. */
export function useLookups(): Lookups {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const can = useCan();
  const canListUsers = can('users.read');
  const types = useQuery(typesQuery()).data?.items ?? [];
  const fields = useQuery(fieldsQuery()).data?.items ?? [];
  const groups = useQuery(groupsQuery()).data?.items ?? [];
  const allUsers = useQuery({ ...usersQuery(), enabled: canListUsers }).data?.items ?? [];
  const users = allUsers.filter((u) => !u.disabled);
  const language = i18n.language === 'en' ? 'en' : 'zh-CN';

  const typeName = (key: string) => types.find((x) => x.key === key)?.names[language] ?? key;
  const groupName = (id: string | null) =>
    id ? (groups.find((g) => g.id === id)?.name ?? t('tickets.unknownGroup')) : t('tickets.noGroup');
  const userName = (id: string | null) => {
    if (!id) return t('tickets.unassigned');
    if (id === me.user.id) return shownName(me.user);
    const user = allUsers.find((u) => u.id === id);
    return user ? shownName(user) : t('tickets.otherAgent');
  };
  const assigneeOptions = (current?: string | null) => {
    const unassigned = t('tickets.unassigned');
    const options = [
      { value: none, label: unassigned as ReactNode, search: unassigned },
      presenceOption(me.user.id, t('tickets.me', { name: shownName(me.user) })),
      ...users.filter((u) => u.id !== me.user.id).map((u) => presenceOption(u.id, shownName(u))),
    ];
    if (current && !options.some((o) => o.value === current)) options.push(presenceOption(current, userName(current)));
    return options;
  };
  const groupOptions = (withNone = true) => [
    ...(withNone ? [{ value: none, label: t('tickets.noGroup') }] : []),
    ...groups.map((g) => ({ value: g.id, label: g.name })),
  ];
  const typeOptions = (current?: string) =>
    types.filter((x) => !x.archived || x.key === current).map((x) => ({ value: x.key, label: x.names[language] }));

  return {
    types,
    fields,
    groups,
    users,
    canListUsers,
    typeName,
    groupName,
    userName,
    assigneeOptions,
    groupOptions,
    typeOptions,
  };
}
