import { Fragment, useEffect, useLayoutEffect, useRef } from 'react';
import { Divider, Empty, Spin, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OutboxEntry } from '../../../shared/realtime/outbox.ts';
import type { Message } from '../../../shared/realtime/protocol.ts';
import { formatDateTime } from '../../shared/format.ts';
import type { Thread } from './chat-store.ts';
import { MessageBubble, type BubbleData } from './message-bubble.tsx';

function fromMessage(m: Message, zone: string, customerReadSeq: number): BubbleData {
  const side = m.kind === 'system' ? 'system' : m.sender.type;
  return {
    key: m.id,
    kind: m.kind,
    body: m.body,
    attachments: m.attachments,
    side,
    senderName: m.sender.name,
    time: formatDateTime(m.at, zone).slice(11),
    read: side === 'agent' && m.kind !== 'note' ? m.seq <= customerReadSeq : undefined,
  };
}

function fromPending(e: OutboxEntry, zone: string, me: string): BubbleData {
  return {
    key: e.cid,
    kind: e.kind,
    body: e.body,
    attachments: e.attachments,
    side: 'agent',
    senderName: me,
    time: formatDateTime(new Date(e.createdAt).toISOString(), zone).slice(11),
    pending: e.state,
    error: e.code,
  };
}

/** The messages of one conversation, oldest first, with day separators, pending sends and typing. */
export function MessageThread({
  thread,
  zone,
  customerReadSeq,
  meName,
  onRetry,
}: {
  thread: Thread;
  zone: string;
  customerReadSeq: number;
  meName: string;
  onRetry: (cid: string) => void;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const box = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  /** Where we last scrolled to ourselves: a scroll event there is ours (or content growing), not the agent's. */
  const auto = useRef(-1);
  const toBottom = (el: HTMLDivElement) => {
    el.scrollTop = el.scrollHeight;
    auto.current = el.scrollTop;
  };

  const count = thread.messages.length + thread.pending.length + (thread.typing ? 1 : 0);
  useLayoutEffect(() => {
    // Follow new messages while the agent is at the bottom; leave them reading when scrolled up.
    const el = box.current;
    if (el && pinned.current) toBottom(el);
  }, [count, thread.synced]);
  useEffect(() => {
    // Images load after they are laid out: keep the bottom in view as the content grows.
    const el = box.current;
    const inner = content.current;
    if (!el || !inner || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (pinned.current) toBottom(el);
    });
    observer.observe(inner);
    return () => observer.disconnect();
  }, []);

  let lastDay = '';
  return (
    <div
      ref={box}
      onScroll={(e) => {
        const el = e.currentTarget;
        if (el.scrollTop === auto.current) return;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
      }}
      style={{ flex: 1, overflowY: 'auto', padding: '8px 20px', background: token.colorBgLayout }}
      data-testid="message-thread"
    >
      <div ref={content}>
        {!thread.synced && thread.messages.length === 0 && (
          <div style={{ padding: 60, textAlign: 'center' }}>
            <Spin />
          </div>
        )}
        {thread.synced && count === 0 && (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('inbox.noMessages')} style={{ marginTop: 60 }} />
        )}
        {thread.messages.map((m) => {
          const day = formatDateTime(m.at, zone).slice(0, 10);
          const divider = day !== lastDay;
          lastDay = day;
          return (
            <Fragment key={m.id}>
              {divider && (
                <Divider plain style={{ margin: '12px 0', fontSize: 12, color: token.colorTextTertiary }}>
                  {day}
                </Divider>
              )}
              <MessageBubble m={fromMessage(m, zone, customerReadSeq)} />
            </Fragment>
          );
        })}
        {thread.pending.map((e) => (
          <MessageBubble key={e.cid} m={fromPending(e, zone, meName)} onRetry={() => onRetry(e.cid)} />
        ))}
        {thread.typing && (
          <Typography.Text
            type="secondary"
            italic
            style={{ fontSize: 12, display: 'block', margin: '6px 0' }}
            data-testid="customer-typing"
          >
            {t('inbox.customerTyping')}
          </Typography.Text>
        )}
      </div>
    </div>
  );
}
