import { useEffect, useRef } from 'react';
import { Alert, Button, Flex, Skeleton, Tag, Typography, theme } from 'antd';
import { ArrowLeftOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Attachment, ConversationSummary, SendKind } from '../../../shared/realtime/protocol.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { WithPresence } from '../routing/presence.tsx';
import { useCan, useMe } from '../auth/session.ts';
import { conversationQuery, customerQuery, markReadHttp, postMessage } from './api.ts';
import { useChat } from './chat-context.tsx';
import { useThread } from './chat-store.ts';
import { Composer } from './composer.tsx';
import { ConversationActions, useAssignees } from './conversation-actions.tsx';
import { statusColors, useCustomerLabel } from './conversation-row.tsx';
import { LabelTags } from './labels.tsx';
import { MessageThread } from './message-thread.tsx';
import { shownName } from '../../shared/format.ts';

function AssigneeLabel({ c }: { c: ConversationSummary }) {
  const { t } = useTranslation();
  const me = useMe();
  const assignees = useAssignees();
  if (!c.assigneeId) return <Typography.Text type="secondary">{t('inbox.nobody')}</Typography.Text>;
  return (
    <WithPresence userId={c.assigneeId}>
      <Typography.Text data-testid="assignee-label">
        {c.assigneeId === me.user.id
          ? t('inbox.me', { name: shownName(me.user) })
          : shownName(assignees.find((u) => u.id === c.assigneeId) ?? { name: t('inbox.otherAgent') })}
      </Typography.Text>
    </WithPresence>
  );
}

/**
 * Sends `read` for what is on screen while the tab is visible (never twice for the same seq). The
 * shopper sees it as a read receipt, so only roles that may answer send it.
 */
function useMarkRead(conv: string, highest: number, agentLastReadSeq: number | undefined, enabled: boolean) {
  const { client } = useChat();
  const sent = useRef(0);
  useEffect(() => {
    const mark = () => {
      if (!enabled || document.visibilityState !== 'visible' || agentLastReadSeq === undefined) return;
      if (highest <= agentLastReadSeq || highest <= sent.current) return;
      sent.current = highest;
      if (!client.read(conv, highest))
        void markReadHttp(conv, highest).catch(() => {
          sent.current = 0;
        });
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    window.addEventListener('focus', mark);
    return () => {
      document.removeEventListener('visibilitychange', mark);
      window.removeEventListener('focus', mark);
    };
  }, [conv, highest, agentLastReadSeq, client, enabled]);
}

/** `onBack`: on a phone, the conversation is a screen of its own with a way back to the list. */
export function ConversationView({ id, onBack }: { id: string; onBack?: () => void }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const me = useMe();
  const can = useCan();
  const manage = can('conversations.manage');
  const label = useCustomerLabel();
  const { client, store } = useChat();
  const summary = useQuery(conversationQuery(id));
  const thread = useThread(store, id);
  const c = summary.data;
  const customer = useQuery({ ...customerQuery(c?.customerId ?? ''), enabled: !!c && can('customers.read') });
  // {{customer.name}} in canned replies: the real name only, never a masked one.
  const customerName = customer.data && !customer.data.masked ? customer.data.name : null;

  useEffect(() => {
    client.subscribe(id);
    return () => client.unsubscribe(id);
  }, [id, client]);
  useMarkRead(id, thread.messages[thread.messages.length - 1]?.seq ?? 0, c?.agentLastReadSeq, manage);

  /** Over the socket (outbox); while it is down, also over HTTP with the same client id. */
  const send = (kind: SendKind, body: string, attachments: Attachment[]) => {
    const entry = client.send({ conv: id, kind, body, attachments });
    if (!client.online) fallback(entry.cid);
  };
  const fallback = (cid: string) => {
    const entry = client.entry(cid);
    if (!entry) return;
    void postMessage(id, {
      clientId: cid,
      kind: entry.kind,
      body: entry.body,
      attachments: entry.attachments.map((a) => ({ id: a.id })),
    })
      .then((ack) => client.acked(ack))
      .catch(() => undefined); // stays in the outbox: resent when the socket is back
  };
  const retry = (cid: string) => {
    if (!client.retry(cid) || !client.online) fallback(cid);
  };

  if (summary.isError)
    return (
      <div style={{ flex: 1, padding: 24 }}>
        <LoadError error={summary.error} onRetry={() => void summary.refetch()} />
      </div>
    );

  return (
    <div style={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }} data-testid="conversation-view">
      <Flex
        justify="space-between"
        align="center"
        gap={12}
        wrap
        style={{ padding: '10px 16px', borderBottom: `1px solid ${token.colorBorderSecondary}`, minHeight: 57 }}
      >
        {!c ? (
          <Skeleton.Input active size="small" />
        ) : (
          <>
            <div style={{ minWidth: 0, flex: '1 1 160px' }}>
              <Flex align="center" gap={8}>
                {onBack && (
                  <Button
                    type="text"
                    size="small"
                    icon={<ArrowLeftOutlined />}
                    aria-label={t('inbox.backToList')}
                    onClick={onBack}
                    data-testid="conversation-back"
                  />
                )}
                <Typography.Title level={5} style={{ margin: 0 }} ellipsis data-testid="conversation-title">
                  {label(c)}
                </Typography.Title>
                <Tag color={statusColors[c.status]} data-testid="conversation-status">
                  {t(`inbox.status.${c.status}`)}
                </Tag>
                <LabelTags ids={c.labelIds} />
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                <UserOutlined /> {t('inbox.assignee')}: <AssigneeLabel c={c} />
              </Typography.Text>
            </div>
            {manage && <ConversationActions c={c} />}
          </>
        )}
      </Flex>
      <MessageThread
        thread={thread}
        zone={me.workspace.timezone}
        customerReadSeq={c?.customerLastReadSeq ?? 0}
        meName={shownName(me.user)}
        onRetry={retry}
      />
      {manage ? (
        <Composer key={id} customerName={customerName} onSend={send} onTyping={(on) => client.typing(id, on)} />
      ) : (
        <Alert type="info" showIcon banner title={t('inbox.readOnly')} />
      )}
    </div>
  );
}
