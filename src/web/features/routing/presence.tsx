/**
 * Presence wherever agents are listed (assignee pickers, team pages, the conversation header, the
 * war room): a coloured dot with the state as its title, from one query shared by the whole console
 * (refreshed every 15 s). And the idle reporter: input in the console is reported at most once a
 * minute, so an agent set away by inactivity comes back as soon as they touch the console.
 */
import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoutingAgent } from '../../../shared/routing-api.ts';
import { api } from '../../shared/http.ts';
import { useCan } from '../auth/session.ts';

type Presence = RoutingAgent['presence'];

export const presenceQuery = () =>
  queryOptions({
    queryKey: ['routing', 'presence'],
    queryFn: () => api.get<{ items: { userId: string; presence: Presence; since: string }[] }>('/api/routing/presence'),
    refetchInterval: 15_000,
  });

export const presenceColors: Record<Presence, string> = {
  online: '#52c41a',
  busy: '#fa8c16',
  away: '#faad14',
  offline: '#bfbfbf',
};

/** The presence of a user by id (offline when routing does not know them). */
export function usePresenceOf(): (userId: string | null | undefined) => Presence {
  const allowed = useCan()('conversations.read');
  const q = useQuery({ ...presenceQuery(), enabled: allowed });
  const map = new Map((q.data?.items ?? []).map((i) => [i.userId, i.presence]));
  return (id) => (id ? (map.get(id) ?? 'offline') : 'offline');
}

export function PresenceDot({ presence }: { presence: Presence }) {
  const { t } = useTranslation();
  const label = t(`routing.presences.${presence}`);
  return (
    <span
      role="img"
      aria-label={label}
      title={label}
      data-presence={presence}
      style={{
        display: 'inline-block',
        width: 8,
        height: 8,
        borderRadius: '50%',
        background: presenceColors[presence],
        marginRight: 6,
        verticalAlign: 'middle',
        flex: 'none',
      }}
    />
  );
}

/** A name with its presence dot; `userId` null shows the name alone. */
export function WithPresence({ userId, children }: { userId: string | null | undefined; children: React.ReactNode }) {
  const presenceOf = usePresenceOf();
  return (
    <span>
      {userId && <PresenceDot presence={presenceOf(userId)} />}
      {children}
    </span>
  );
}

/** A searchable option label with the presence in words ("林小雨 · 在线"): a Select filters on its label string. */
export function usePresenceLabel(): (userId: string, name: string) => string {
  const { t } = useTranslation();
  const presenceOf = usePresenceOf();
  return (id, name) => `${name} · ${t(`routing.presences.${presenceOf(id)}`)}`;
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
