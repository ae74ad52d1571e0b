/**
 * @mentions in the note composer: typing `@` lists the workspace's people by display name with their
 * presence; ↑ ↓ Enter Tab pick, Esc closes.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Avatar, Empty, Typography, theme } from 'antd';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/http.ts';
import { UserPresence } from '../routing/presence.tsx';
import { avatarColor } from './conversation-row.tsx';
import { atQuery, filterPeople } from './text.ts';

/** `name`: the display name (else the account name), what is inserted; the search matches either. */
export type Mentionable = { id: string; name: string; accountName: string };

export const mentionableQuery = () =>
  queryOptions({
    queryKey: ['mentionable-users'],
    queryFn: () => api.get<{ items: Mentionable[] }>('/api/mentionable-users'),
    staleTime: 60_000,
  });

/** The picker's state for a text and caret; `enabled` only in note mode. */
export function useMentionPicker(text: string, caret: number, enabled: boolean) {
  const people = useQuery({ ...mentionableQuery(), enabled });
  const at = enabled ? atQuery(text, caret) : null;
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const picking = at !== null && dismissed !== at.start;
  const matches = useMemo(
    () =>
      picking
        ? filterPeople(
            (people.data?.items ?? []).map((p) => ({ ...p, search: `${p.name} ${p.accountName}` })),
            at.search,
          ).slice(0, 8)
        : [],
    [picking, people.data, at?.search],
  );
  useEffect(() => setActive(0), [at?.search]);
  return {
    picking,
    matches,
    active,
    setActive,
    dismiss: () => at && setDismissed(at.start),
    reset: () => setDismissed(null),
    /** The text with the search replaced by "@name ", and where the caret goes. */
    insert: (p: Mentionable): { text: string; caret: number } | null => {
      if (!at) return null;
      const put = `@${p.name} `;
      return { text: text.slice(0, at.start) + put + text.slice(caret), caret: at.start + put.length };
    },
  };
}

export function MentionPicker({
  items,
  active,
  onPick,
  onHover,
}: {
  items: Mentionable[];
  active: number;
  onPick: (p: Mentionable) => void;
  onHover: (index: number) => void;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    list.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  return (
    <div
      ref={list}
      role="listbox"
      aria-label={t('inbox.mentionHint')}
      data-testid="mention-picker"
      style={{
        position: 'absolute',
        left: 12,
        right: 12,
        bottom: '100%',
        marginBottom: 4,
        maxHeight: 260,
        overflowY: 'auto',
        zIndex: 5,
        background: token.colorBgElevated,
        borderRadius: 8,
        boxShadow: token.boxShadowSecondary,
        border: `1px solid ${token.colorBorderSecondary}`,
      }}
    >
      <div
        style={{
          padding: '6px 12px',
          fontSize: 12,
          color: token.colorTextTertiary,
          borderBottom: `1px solid ${token.colorSplit}`,
        }}
      >
        {t('inbox.mentionHint')}
      </div>
      {items.length === 0 && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('inbox.mentionNone')} style={{ margin: '12px 0' }} />
      )}
      {items.map((p, index) => (
        <div
          key={p.id}
          role="option"
          // The composer keeps focus (aria-activedescendant style): options are focusable by script only.
          tabIndex={-1}
          aria-selected={index === active}
          data-index={index}
          data-testid="mention-option"
          onMouseDown={(e) => {
            e.preventDefault();
            onPick(p);
          }}
          onMouseEnter={() => onHover(index)}
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            padding: '6px 12px',
            cursor: 'pointer',
            background: index === active ? token.controlItemBgActive : undefined,
          }}
        >
          <Avatar size={22} style={{ background: avatarColor(p.id), flex: 'none', fontSize: 12 }}>
            {p.name.slice(0, 1).toUpperCase()}
          </Avatar>
          <Typography.Text>{p.name}</Typography.Text>
          {p.accountName !== p.name && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {p.accountName}
            </Typography.Text>
          )}
          <span style={{ marginLeft: 'auto' }}>
            <UserPresence userId={p.id} />
          </span>
        </div>
      ))}
    </div>
  );
}
