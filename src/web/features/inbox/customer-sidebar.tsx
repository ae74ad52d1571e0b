import { useEffect, useState, type ReactNode } from 'react';
import { App, Avatar, Button, Descriptions, Empty, Flex, Input, Skeleton, Tag, Tooltip, Typography, theme } from 'antd';
import { EyeInvisibleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useCan, useMe } from '../auth/session.ts';
import {
  customerConversationsQuery,
  customerQuery,
  useUpdateCustomer,
  type Customer,
  type UpdateCustomerBody,
} from './api.ts';
import { CsatPanel } from '../csat/csat-panel.tsx';
import { avatarColor, statusColors } from './conversation-row.tsx';
import { previewText } from '../csat/preview.ts';
import { OrdersPanel } from '../store/orders-panel.tsx';
import { ShopperContextPanel } from '../store/shopper-context.tsx';
import { customerName } from '../customers/name.ts';

type Field = 'name' | 'phone' | 'email';

function Section({ title, children }: { title: string; children: ReactNode }) {
  const { token } = theme.useToken();
  return (
    <div style={{ padding: '12px 16px', borderBottom: `1px solid ${token.colorBorderSecondary}` }}>
      <Typography.Text type="secondary" strong style={{ fontSize: 12, display: 'block', marginBottom: 8 }}>
        {title}
      </Typography.Text>
      {children}
    </div>
  );
}

function Notes({ customer, editable }: { customer: Customer; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const update = useUpdateCustomer();
  const [notes, setNotes] = useState(customer.notes);
  useEffect(() => setNotes(customer.notes), [customer.id, customer.notes]);
  if (!editable)
    return (
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{customer.notes || '—'}</Typography.Paragraph>
    );
  return (
    <>
      <Input.TextArea
        value={notes}
        onChange={(e) => setNotes(e.target.value)}
        autoSize={{ minRows: 3, maxRows: 10 }}
        maxLength={5000}
        placeholder={t('inbox.notesPlaceholder')}
        data-testid="customer-notes"
      />
      <Button
        size="small"
        style={{ marginTop: 8 }}
        disabled={notes === customer.notes}
        loading={update.isPending}
        onClick={() =>
          update.mutate(
            { id: customer.id, notes },
            {
              onSuccess: () => void message.success(t('common.saved')),
              onError: (error) => void message.error(errorText(error)),
            },
          )
        }
        data-testid="customer-notes-save"
      >
        {t('common.save')}
      </Button>
    </>
  );
}

export function CustomerSidebar({
  customerId,
  conversationId,
  onOpen,
}: {
  customerId: string;
  conversationId: string;
  onOpen: (id: string) => void;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const me = useMe();
  const can = useCan();
  const customer = useQuery(customerQuery(customerId));
  const history = useQuery(customerConversationsQuery(customerId));
  const update = useUpdateCustomer();
  const zone = me.workspace.timezone;
  const c = customer.data;
  const editable = can('conversations.manage');

  const save = (field: Field, value: string) => {
    const body: UpdateCustomerBody = { [field]: value.trim() || null };
    update.mutate({ id: customerId, ...body }, { onError: (error) => void message.error(errorText(error)) });
  };
  const fieldText = (field: Field) => {
    const value = c?.[field] ?? null;
    const canEdit = editable && c && !c.masked;
    return (
      <Typography.Text
        copyable={!!value && !c?.masked}
        editable={
          canEdit
            ? {
                onChange: (next) => {
                  if (next !== (value ?? '')) save(field, next);
                },
                text: value ?? '',
              }
            : false
        }
        type={value ? undefined : 'secondary'}
        data-testid={`customer-${field}`}
      >
        {value ?? '—'}
      </Typography.Text>
    );
  };

  return (
    <div
      style={{ width: 280, flex: 'none', borderLeft: `1px solid ${token.colorBorderSecondary}`, overflowY: 'auto' }}
      data-testid="customer-sidebar"
    >
      {customer.isError && (
        <div style={{ padding: 16 }}>
          <LoadError error={customer.error} />
        </div>
      )}
      {!c && !customer.isError && (
        <div style={{ padding: 16 }}>
          <Skeleton active />
        </div>
      )}
      {c && (
        <>
          <Flex
            vertical
            align="center"
            gap={6}
            style={{ padding: '20px 16px 12px', borderBottom: `1px solid ${token.colorBorderSecondary}` }}
          >
            <Avatar size={56} style={{ background: avatarColor(c.id), fontSize: 24 }}>
              {(c.name ?? t('customers.visitor')).slice(0, 1).toUpperCase()}
            </Avatar>
            <Typography.Title level={5} style={{ margin: 0 }}>
              <Link to={`/customers/${c.id}`} data-testid="sidebar-customer-link">
                {customerName(c, t('customers.visitor'))}
              </Link>
            </Typography.Title>
            {c.masked && (
              <Tooltip title={t('inbox.maskedHint')}>
                <Tag icon={<EyeInvisibleOutlined />} data-testid="customer-masked">
                  {t('inbox.masked')}
                </Tag>
              </Tooltip>
            )}
          </Flex>
          <Section title={t('inbox.contact')}>
            <Descriptions column={1} size="small" colon={false} styles={{ label: { width: 72, whiteSpace: 'nowrap' } }}>
              <Descriptions.Item label={t('inbox.name')}>{fieldText('name')}</Descriptions.Item>
              <Descriptions.Item label={t('inbox.phone')}>{fieldText('phone')}</Descriptions.Item>
              <Descriptions.Item label={t('inbox.email')}>{fieldText('email')}</Descriptions.Item>
              {c.externalId && (
                <Descriptions.Item label={t('inbox.externalId')}>
                  <Typography.Text code>{c.externalId}</Typography.Text>
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('inbox.firstSeen')}>{formatDateTime(c.createdAt, zone)}</Descriptions.Item>
              {c.lastSeenAt && (
                <Descriptions.Item label={t('inbox.lastSeen')}>{formatDateTime(c.lastSeenAt, zone)}</Descriptions.Item>
              )}
            </Descriptions>
          </Section>
          <Section title={t('inbox.identities')}>
            {c.identities.length === 0 ? (
              <Typography.Text type="secondary">—</Typography.Text>
            ) : (
              <Flex vertical gap={4}>
                {c.identities.map((i) => (
                  <div key={`${i.channel}:${i.identifier}`}>
                    <Tag>{i.channel}</Tag>
                    <Typography.Text style={{ fontSize: 12 }} ellipsis>
                      {i.identifier}
                    </Typography.Text>
                  </div>
                ))}
              </Flex>
            )}
          </Section>
          <Section title={t('inbox.customerNotes')}>
            <Notes customer={c} editable={editable} />
          </Section>
        </>
      )}
      <Section title={t('store.context')}>
        <ShopperContextPanel customerId={customerId} />
      </Section>
      <Section title={t('store.orders')}>
        <OrdersPanel customerId={customerId} conversationId={conversationId} />
      </Section>
      <Section title={t('csat.title')}>
        <CsatPanel type="conversations" id={conversationId} />
      </Section>
      <Section title={t('inbox.pastConversations')}>
        {history.isLoading && <Skeleton active paragraph={{ rows: 2 }} />}
        {history.data && history.data.items.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
        <Flex vertical gap={6}>
          {history.data?.items.map((h) => (
            <div
              key={h.id}
              role="button"
              tabIndex={0}
              onClick={() => onOpen(h.id)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') onOpen(h.id);
              }}
              style={{
                padding: '6px 8px',
                borderRadius: 6,
                cursor: 'pointer',
                background: h.id === conversationId ? token.colorPrimaryBg : token.colorFillQuaternary,
              }}
              data-testid="past-conversation"
            >
              <Flex justify="space-between">
                <Typography.Text style={{ fontSize: 12 }} type="secondary">
                  {formatDateTime(h.createdAt, zone)}
                </Typography.Text>
                <Tag color={statusColors[h.status]} style={{ marginInlineEnd: 0 }}>
                  {t(`inbox.status.${h.status}`)}
                </Tag>
              </Flex>
              <Typography.Text ellipsis style={{ fontSize: 13, display: 'block' }}>
                {previewText(t, h.lastMessagePreview) || t('inbox.noMessages')}
              </Typography.Text>
            </div>
          ))}
        </Flex>
      </Section>
    </div>
  );
}
