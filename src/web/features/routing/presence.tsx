/**
 * Presence wherever agents are listed (the team page, an agent's profile, assignee pickers in the
 * inbox, tickets and macros, the ticket table, the war room and its reassignment picker, the @mention picker, ticket groups,
 * the conversation header): one badge, a coloured dot AND the state in words (never colour alone,
 * never red for an ordinary state), from one query shared by the whole console (refreshed every
 * 15 s and whenever the signed-in agent changes their own status). And the idle reporter: input in
 * the console is reported at most once a minute, so an agent set away by inactivity comes back as
 * soon as they touch the console.
 */
import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge } from 'antd';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoutingAgent } from '../../../shared/routing-api.ts';
import { api } from '../../shared/http.ts';
import { useCan } from '../auth/session.ts';

export type Presence = RoutingAgent['presence'];

export const presenceQuery = () =>
  queryOptions({
    queryKey: ['routing', 'presence'],
    queryFn: () =>
      api.get<{
        items: { userId: string; presence: Presence; since: string; chats: number; capacityChat: number }[];
      }>('/api/routing/presence'),
    refetchInterval: 15_000,
  });

/** Green, orange, gold, grey: busy and away are ordinary states, so no red. */
export const presenceColors: Record<Presence, string> = {
  online: '#52c41a',
  busy: '#fa8c16',
  away: '#d4b106',
  offline: '#bfbfbf',
};

/** The presence of a user by id (offline when routing does not know them). */
export function usePresenceOf(): (userId: string | null | undefined) => Presence {
  const allowed = useCan()('conversations.read');
  const q = useQuery({ ...presenceQuery(), enabled: allowed });
  const map = new Map((q.data?.items ?? []).map((i) => [i.userId, i.presence]));
  return (id) => (id ? (map.get(id) ?? 'offline') : 'offline');
}

/** A user's chats (routed and by hand) against their chat capacity, when routing knows them. */
export function useChatLoadOf(): (userId: string) => { chats: number; capacityChat: number } | undefined {
  const allowed = useCan()('conversations.read');
  const q = useQuery({ ...presenceQuery(), enabled: allowed });
  const map = new Map((q.data?.items ?? []).map((i) => [i.userId, i]));
  return (id) => map.get(id);
}

/** The one presence badge: a dot in the state's colour and the state's name ("● 在线" / "● Online"). */
export function PresenceBadge({ presence, extra }: { presence: Presence; extra?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <span data-testid="presence-badge" data-presence={presence} style={{ whiteSpace: 'nowrap' }}>
      <Badge
        color={presenceColors[presence]}
        text={<span style={{ fontSize: 12 }}>{t(`routing.presences.${presence}`)}</span>}
      />
      {extra}
    </span>
  );
}

/** The badge of a user by id, from the shared presence query. */
export function UserPresence({ userId }: { userId: string }) {
  const presenceOf = usePresenceOf();
  return <PresenceBadge presence={presenceOf(userId)} />;
}

/**
 * A name followed by its presence badge: `presence` when the caller has it (the war room's own
 * data), else the user's from the shared query; `userId` null shows the name alone.
 */
export function WithPresence({
  userId,
  presence,
  children,
}: {
  userId: string | null | undefined;
  presence?: Presence;
  children: ReactNode;
}) {
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
      {children}
      {presence ? <PresenceBadge presence={presence} /> : userId && <UserPresence userId={userId} />}
    </span>
  );
}

/**
 * A picker option for a user: the label carries the badge, `search` the name (a Select whose
 * options have React labels filters with `optionFilterProp: 'search'`).
 */
export function presenceOption(id: string, name: string): { value: string; label: ReactNode; search: string } {
  return { value: id, label: <WithPresence userId={id}>{name}</WithPresence>, search: name };
}

const reportEveryMs = 60_000;

/** Reports input (keys, pointer, touch, scroll) at most once a minute while the console is open. */
export function useActivityReporter(): void {
  const allowed = useCan()('conversations.manage');
  const qc = useQueryClient();
  useEffect(() => {
    if (!allowed) return;
    let last = 0;
    const onInput = () => {
      const now = Date.now();
      if (now - last < reportEveryMs) return;
      last = now;
      void api
        .post<{ presence: Presence | null }>('/api/routing/me/activity', {})
        .then((r) => {
          if (r.presence) void qc.invalidateQueries({ queryKey: ['routing', 'presence'] });
        })
        .catch(() => undefined); // best effort: the next input tries again
    };
    const events = ['keydown', 'pointerdown', 'touchstart', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, onInput, { passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, onInput);
    };
  }, [allowed, qc]);
}
