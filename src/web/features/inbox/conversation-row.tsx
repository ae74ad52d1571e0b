import { useEffect, useState } from 'react';
import { Avatar, Badge, Flex, Tag, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConversationStatus, ConversationSummary } from '../../../shared/realtime/protocol.ts';
import { previewText } from '../csat/preview.ts';
import type { Inbox } from '../inboxes/api.ts';
import { LabelTags } from './labels.tsx';
import { relativeTime } from './text.ts';
import { customerName } from '../customers/name.ts';

export const statusColors: Record<ConversationStatus, string> = {
  open: 'green',
  pending: 'orange',
  resolved: 'default',
  snoozed: 'purple',
};

const palette = ['#1677ff', '#13c2c2', '#52c41a', '#fa8c16', '#eb2f96', '#722ed1', '#2f54eb', '#a0d911'];

/** A stable colour per customer, so the same shopper looks the same in every list. */
export function avatarColor(id: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return palette[h % palette.length];
}

/** The customer's name, or "访客 1a2b" for an anonymous shopper. */
export function useCustomerLabel(): (c: Pick<ConversationSummary, 'customerName' | 'customerId'>) => string {
  const { t } = useTranslation();
  return (c) => customerName({ id: c.customerId, name: c.customerName }, t('customers.visitor'));
}

/** Re-renders every `ms` so relative times stay true. */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}

export function ConversationRow({
  c,
  active,
  inbox,
  showInbox,
  now,
  zone,
  onOpen,
}: {
  c: ConversationSummary;
  active: boolean;
  inbox: Inbox | undefined;
  showInbox: boolean;
  now: number;
  zone: string;
  onOpen: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const label = useCustomerLabel();
  const unread = Math.max(0, c.lastSeq - c.agentLastReadSeq);
  const name = label(c);

  return (
    <div
      role="button"
      tabIndex={0}
      data-testid="conversation-row"
      data-conversation={c.id}
      onClick={onOpen}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen();
      }}
      style={{
        display: 'flex',
        gap: 10,
        padding: '10px 12px',
        cursor: 'pointer',
        borderLeft: `3px solid ${active ? token.colorPrimary : 'transparent'}`,
        background: active ? token.colorPrimaryBg : undefined,
        borderBottom: `1px solid ${token.colorBorderSecondary}`,
      }}
    >
      <Avatar style={{ background: avatarColor(c.customerId), flex: 'none' }}>{name.slice(0, 1).toUpperCase()}</Avatar>
      <div style={{ flex: 1, minWidth: 0 }}>
        <Flex justify="space-between" gap={8}>
          <Typography.Text strong={unread > 0} ellipsis style={{ flex: 1 }}>
            {name}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12, flex: 'none' }}>
            {relativeTime(c.lastMessageAt ?? c.createdAt, now, i18n.language, zone)}
          </Typography.Text>
        </Flex>
        <Flex justify="space-between" gap={8} align="center">
          <Typography.Text type="secondary" ellipsis style={{ flex: 1, fontSize: 13 }}>
            {previewText(t, c.lastMessagePreview) || t('inbox.noMessages')}
          </Typography.Text>
          {unread > 0 && <Badge count={unread} overflowCount={99} data-testid="unread-badge" />}
        </Flex>
        {(c.status !== 'open' || (showInbox && inbox) || c.labelIds.length > 0) && (
          <Flex gap={4} wrap style={{ marginTop: 4 }}>
            {c.status !== 'open' && (
              <Tag color={statusColors[c.status]} style={{ marginInlineEnd: 0 }}>
                {t(`inbox.status.${c.status}`)}
              </Tag>
            )}
            {showInbox && inbox && (
              <Tag color={inbox.settings.color} style={{ marginInlineEnd: 0 }}>
                {inbox.name}
              </Tag>
            )}
            <LabelTags ids={c.labelIds} size="small" />
          </Flex>
        )}
      </div>
    </div>
  );
}
