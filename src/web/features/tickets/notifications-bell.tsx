import { Badge, Button, Dropdown, Empty, Typography, theme } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { formatDateTime } from '../../shared/format.ts';
import { api } from '../../shared/http.ts';
import type { NotificationSubject } from '../../../shared/api.ts';
import { useMe } from '../auth/session.ts';
import { customerName } from '../customers/name.ts';
import { targetNames } from './model.ts';
import { PushToggle } from './push-toggle.tsx';

type Notification = {
  id: string;
  type: string;
  data: {
    subject?: NotificationSubject;
    target?: string;
    by?: string | null;
    /** Transfers: where the conversation went. */
    toAgent?: string | null;
    toGroup?: string | null;
  };
  link: string | null;
  read: boolean;
  createdAt: string;
};

const notificationsKey = ['notifications'] as const;

/** SLA warnings and breaches, assignments and mentions for the signed-in user, with the unread count; each opens its ticket or conversation. Push to this device is switched here. */
export function NotificationsBell() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const me = useMe();
  const navigate = useNavigate();
  const client = useQueryClient();
  const list = useQuery({
    queryKey: notificationsKey,
    queryFn: () => api.get<{ items: Notification[]; unread: number }>('/api/notifications'),
    refetchInterval: 60_000,
  });
  const markRead = useMutation({
    mutationFn: (id: string) => api.post(`/api/notifications/${encodeURIComponent(id)}/read`),
    onSettled: () => client.invalidateQueries({ queryKey: notificationsKey }),
  });
  const items = list.data?.items ?? [];
  const unread = list.data?.unread ?? 0;
  const open = (n: Notification) => {
    if (!n.read) markRead.mutate(n.id);
    if (n.link) navigate(n.link);
  };

  // The server stores a type and its parameters; the words are the reader's language.
  const title = (n: Notification) => {
    const number = n.data.subject?.number ?? '';
    if (n.type === 'sla.breached') return t('tickets.notifications.breached', { number });
    if (n.type === 'sla.warning') return t('tickets.notifications.warning', { number });
    if (n.type === 'ticket.assigned') return t('tickets.notifications.ticketAssigned', { number });
    if (n.type === 'conversation.assigned') return t('tickets.notifications.conversationAssigned');
    if (n.type === 'conversation.transferred')
      return t('tickets.notifications.transferred', {
        name: n.data.by ?? '',
        to: n.data.toGroup ?? n.data.toAgent ?? '',
      });
    if (n.type === 'conversation.group_transfer')
      return t('tickets.notifications.groupTransfer', { name: n.data.by ?? '', to: n.data.toGroup ?? '' });
    if (n.type === 'mention') return t('tickets.notifications.mention', { name: n.data.by ?? '' });
    return n.type;
  };
  // What it is about: the ticket's subject, or the conversation's customer.
  const body = (n: Notification) => {
    const target = targetNames.find((x) => x === n.data.target);
    const about = n.data.subject;
    const visitor = t('customers.visitor');
    const subject =
      about?.type === 'conversation'
        ? t('tickets.notifications.conversationWith', {
            name: about.customerId
              ? customerName({ id: about.customerId, name: about.customerName }, visitor)
              : (about.customerName ?? visitor),
          })
        : (about?.title ?? '');
    return target ? `${subject} · ${t(`tickets.targets.${target}`)}` : subject;
  };

  return (
    <Dropdown
      trigger={['click']}
      placement="bottomRight"
      popupRender={() => (
        <div
          style={{
            // On a phone the bell is ~80 px from the right edge: the panel (right-aligned to it) stays on screen.
            width: 'min(340px, calc(100vw - 96px))',
            maxHeight: 420,
            overflow: 'auto',
            background: token.colorBgElevated,
            borderRadius: 8,
            boxShadow: token.boxShadowSecondary,
          }}
          data-testid="notifications"
        >
          <div
            style={{
              padding: '10px 14px',
              borderBottom: `1px solid ${token.colorSplit}`,
              display: 'flex',
              flexWrap: 'wrap',
              gap: 8,
              justifyContent: 'space-between',
              alignItems: 'center',
            }}
          >
            <Typography.Text strong>{t('tickets.notifications.title')}</Typography.Text>
            <PushToggle />
          </div>
          {!items.length && (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={t('tickets.notifications.empty')}
              style={{ padding: 16 }}
            />
          )}
          {items.map((n) => (
            <div
              key={n.id}
              data-testid="notification-item"
              role="button"
              tabIndex={0}
              onClick={() => open(n)}
              onKeyDown={(e) => {
                if (e.key !== 'Enter' && e.key !== ' ') return;
                e.preventDefault();
                open(n);
              }}
              style={{
                padding: '10px 14px',
                cursor: 'pointer',
                borderBottom: `1px solid ${token.colorSplit}`,
                background: n.read ? undefined : '#f0f7ff',
              }}
            >
              {/* Title, what it is about, and when: each on its own line. */}
              <div data-testid="notification-title">
                <Typography.Text strong={!n.read} type={n.type === 'sla.breached' ? 'danger' : undefined}>
                  {title(n)}
                </Typography.Text>
              </div>
              {body(n) && (
                <div data-testid="notification-subject">
                  <Typography.Text style={{ fontSize: 12 }} ellipsis>
                    {body(n)}
                  </Typography.Text>
                </div>
              )}
              <div data-testid="notification-date">
                <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                  {formatDateTime(n.createdAt, me.workspace.timezone)}
                </Typography.Text>
              </div>
            </div>
          ))}
        </div>
      )}
    >
      <Button type="text" aria-label={t('tickets.notifications.title')} data-testid="notifications-bell">
        <Badge count={unread} size="small" overflowCount={99}>
          <BellOutlined style={{ fontSize: 16 }} />
        </Badge>
      </Button>
    </Dropdown>
  );
}
