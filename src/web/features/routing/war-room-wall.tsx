/**
 * The war room on a wall screen (`/war-room?wall=1`, for a TV): the same live data (refreshed every
 * 3 s by the war room's query), in large type on a dark background over the whole window, with no
 * controls — waiting, longest and estimated wait, assigned chats nobody has answered, the service
 * level (15 min, today, with today's abandoned chats), and every agent's presence (the badge's dot
 * colours and words, light on dark) and load.
 */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { WarRoom } from '../../../shared/routing-api.ts';
import { warRoomQuery } from './api.ts';
import { presenceColors } from './presence.tsx';
import { summaryFigures } from './summary-figures.ts';

export function WarRoomWall() {
  const { t, i18n } = useTranslation();
  const room = useQuery(warRoomQuery());
  const w: WarRoom | undefined = room.data;
  const tiles = w
    ? [
        ...summaryFigures(w, t, i18n.language),
        { key: 'abandoned', title: t('routing.wallAbandoned'), value: String(w.serviceLevel.today.abandoned) },
      ]
    : [];
  return (
    <div
      data-testid="war-room-wall"
      style={{
        position: 'fixed',
        inset: 0,
        zIndex: 2000,
        overflow: 'auto',
        background: '#0b1220',
        color: '#f1f5f9',
        padding: 'clamp(12px, 2vw, 32px)',
        fontSize: 'clamp(16px, 1.6vw, 28px)',
      }}
    >
      <h1 style={{ color: '#f1f5f9', fontSize: '1.6em', margin: '0 0 0.6em' }}>
        {t('routing.title')}
        {w?.surge.active && (
          <span style={{ marginLeft: '0.8em', color: '#fbbf24', fontSize: '0.6em' }}>{t('routing.wallSurge')}</span>
        )}
      </h1>
      <div
        style={{
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 11em), 1fr))',
          gap: '0.6em',
        }}
      >
        {tiles.map((c) => (
          <div
            key={c.key}
            data-testid={`wall-${c.key}`}
            style={{ background: '#16213a', borderRadius: 8, padding: '0.6em' }}
          >
            <div style={{ color: '#94a3b8', fontSize: '0.75em' }}>{c.title}</div>
            <div style={{ fontSize: '2.6em', fontWeight: 700, lineHeight: 1.2 }}>{c.value}</div>
          </div>
        ))}
      </div>
      <h2 style={{ color: '#f1f5f9', fontSize: '1.1em', margin: '1em 0 0.4em' }}>{t('routing.agents')}</h2>
      <div
        style={{
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 14em), 1fr))',
          gap: '0.4em',
        }}
      >
        {w?.agents.map((a) => (
          <div
            key={a.userId}
            data-testid="wall-agent"
            style={{
              background: '#16213a',
              borderRadius: 8,
              padding: '0.4em 0.6em',
              display: 'flex',
              justifyContent: 'space-between',
              gap: '0.5em',
            }}
          >
            <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{a.name}</span>
            <span style={{ color: '#cbd5e1' }}>
              <span data-testid="presence-badge" data-presence={a.presence} style={{ whiteSpace: 'nowrap' }}>
                <span style={{ color: presenceColors[a.presence], marginRight: '0.3em' }}>●</span>
                {t(`routing.presences.${a.presence}`)}
              </span>{' '}
              {a.loadChat}/{a.capacityChat}
            </span>
          </div>
        ))}
      </div>
    </div>
  );
}
