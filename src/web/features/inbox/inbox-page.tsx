import { useCallback, useRef, useState } from 'react';
import { Badge, Button, Empty, Flex, Tooltip, Typography, theme } from 'antd';
import { MessageOutlined, MutedOutlined, SoundOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { usePhone } from '../../layout/use-phone.ts';
import { useSearchParams } from 'react-router';
import type { ConversationStatus } from '../../../shared/realtime/protocol.ts';
import { useMe } from '../auth/session.ts';
import { isMuted, primeAlerts, rememberMuted } from './alerts.ts';
import { conversationQuery, type ListFilters, type View } from './api.ts';
import { ChatProvider, useChat } from './chat-context.tsx';
import { useConnectionStatus } from './chat-store.ts';
import { ConversationList, statuses, views } from './conversation-list.tsx';
import { ConversationView } from './conversation-view.tsx';
import { CustomerSidebar } from './customer-sidebar.tsx';
import { InboxShortcuts } from './shortcuts.tsx';

function ConnectionState() {
  const { t } = useTranslation();
  const { store } = useChat();
  const status = useConnectionStatus(store);
  const online = status === 'online';
  return (
    <Tooltip title={online ? t('inbox.connection.onlineHint') : t('inbox.connection.offlineHint')}>
      <Badge
        status={online ? 'success' : 'warning'}
        text={
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`inbox.connection.${status}`)}
          </Typography.Text>
        }
        data-testid="connection-state"
        data-status={status}
      />
    </Tooltip>
  );
}

function Sidebar({ id, onOpen }: { id: string; onOpen: (id: string) => void }) {
  const summary = useQuery(conversationQuery(id));
  if (!summary.data) return null;
  return <CustomerSidebar customerId={summary.data.customerId} conversationId={id} onOpen={onOpen} />;
}

/** The agent workspace: conversations on the left, the open one in the middle, the customer on the right. */
export function InboxPage() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [muted, setMuted] = useState(isMuted);
  const primed = useRef(false);

  const openConv = params.get('c');
  const view = params.get('view');
  const status = params.get('status');
  const filters: ListFilters = {
    view: views.includes(view as View) ? (view as View) : 'all',
    status:
      status === 'any'
        ? undefined
        : statuses.includes(status as ConversationStatus)
          ? (status as ConversationStatus)
          : 'open',
    q: params.get('q') || undefined,
    inboxId: params.get('inbox') || undefined,
    labelIds: params.get('label')?.split(',').filter(Boolean) || undefined,
  };

  const setFilters = (next: ListFilters) =>
    setParams((p) => {
      const out = new URLSearchParams(p);
      const put = (key: string, value: string | undefined) => (value ? out.set(key, value) : out.delete(key));
      put('view', next.view === 'all' ? undefined : next.view);
      put('status', next.status === 'open' ? undefined : (next.status ?? 'any'));
      put('q', next.q);
      put('inbox', next.inboxId);
      put('label', next.labelIds?.join(','));
      return out;
    });
  const open = useCallback(
    (id: string) =>
      setParams((p) => {
        const out = new URLSearchParams(p);
        out.set('c', id);
        return out;
      }),
    [setParams],
  );

  const phone = usePhone();
  const back = () =>
    setParams((p) => {
      const out = new URLSearchParams(p);
      out.delete('c');
      return out;
    });

  const toggleMute = () => {
    rememberMuted(!muted);
    setMuted(!muted);
  };

  return (
    // The tab's socket is per workspace (the server ties a connection to the workspace it was opened in).
    <ChatProvider key={me.workspace.id} openConv={openConv} muted={muted} onOpen={open}>
      {!phone && <InboxShortcuts openConv={openConv} open={open} />}
      <div
        // Browsers allow notifications and sound only after a gesture: the first click asks.
        onClickCapture={() => {
          if (primed.current) return;
          primed.current = true;
          primeAlerts();
        }}
        style={{
          display: 'flex',
          // dvh: the composer stays above a phone's on-screen keyboard (viewport resizes-content).
          height: phone ? 'calc(100dvh - 56px - 16px)' : 'calc(100dvh - 56px - 48px)',
          minHeight: phone ? 320 : 480,
          background: token.colorBgContainer,
          borderRadius: token.borderRadiusLG,
          border: `1px solid ${token.colorBorderSecondary}`,
          overflow: 'hidden',
        }}
        data-testid="inbox"
      >
        {(!phone || !openConv) && (
          <ConversationList
            fullWidth={phone}
            filters={filters}
            onFilters={setFilters}
            openConv={openConv}
            onOpen={open}
            header={
              <Flex justify="space-between" align="center">
                <Typography.Title level={5} style={{ margin: 0 }}>
                  {t('nav.inbox')}
                </Typography.Title>
                <Flex align="center" gap={4}>
                  <ConnectionState />
                  <Tooltip title={muted ? t('inbox.unmute') : t('inbox.mute')}>
                    <Button
                      type="text"
                      size="small"
                      icon={muted ? <MutedOutlined /> : <SoundOutlined />}
                      onClick={toggleMute}
                      aria-label={muted ? t('inbox.unmute') : t('inbox.mute')}
                      data-testid="mute"
                    />
                  </Tooltip>
                </Flex>
              </Flex>
            }
          />
        )}
        {openConv ? (
          <>
            <ConversationView key={openConv} id={openConv} onBack={phone ? back : undefined} />
            {!phone && <Sidebar id={openConv} onOpen={open} />}
          </>
        ) : phone ? null : (
          <Flex flex={1} align="center" justify="center" style={{ background: token.colorBgLayout }}>
            <Empty
              image={<MessageOutlined style={{ fontSize: 48, color: token.colorTextQuaternary }} />}
              description={t('inbox.pickOne')}
            />
          </Flex>
        )}
      </div>
    </ChatProvider>
  );
}
