import { useEffect, useState } from 'react';
import { Button, Card, Col, Descriptions, Flex, Input, List, Row, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { useCan, useMe } from '../auth/session.ts';
import { customerConversationsQuery, customerQuery, useUpdateCustomer } from '../inbox/api.ts';
import { StatusTag } from '../tickets/ticket-tags.tsx';
import { customerTicketsQuery } from './api.ts';
import { CustomerPrivacyActions } from '../privacy/customer-privacy-actions.tsx';
import { CustomerActions } from './customer-actions.tsx';
import { CustomerTagsEditor } from './customer-tags.tsx';
import { previewText } from '../csat/preview.ts';
import { OrdersPanel } from '../store/orders-panel.tsx';
import { tierLabel } from './tier.ts';
import { customerName } from './name.ts';

/** One customer across channels: profile, identities, tier, notes, conversations and tickets. */
export function CustomerPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const me = useMe();
  const can = useCan();
  const zone = me.workspace.timezone;
  const customer = useQuery(customerQuery(id));
  const conversations = useQuery(customerConversationsQuery(id));
  const tickets = useQuery({ ...customerTicketsQuery(id), enabled: can('tickets.read') });
  const update = useUpdateCustomer();
  const [notes, setNotes] = useState('');
  useEffect(() => setNotes(customer.data?.notes ?? ''), [customer.data?.notes]);
  const editable = can('conversations.manage');

  if (customer.isError) return <LoadError error={customer.error} onRetry={() => void customer.refetch()} />;
  const c = customer.data;
  return (
    <Page
      title={
        <Flex align="center" gap={8}>
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            aria-label={t('customers.back')}
            onClick={() => navigate('/customers')}
          />
          <span data-testid="customer-name">{c ? customerName(c, t('customers.visitor')) : ''}</span>
          {c?.tier && <Tag color="gold">{tierLabel(t, c.tier)}</Tag>}
        </Flex>
      }
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={9}>
          <Card
            title={t('customers.profile')}
            loading={customer.isLoading}
            extra={c && <CustomerActions customer={c} />}
            data-testid="customer-profile"
          >
            {c && (
              <>
                <Descriptions column={1} size="small">
                  <Descriptions.Item label={t('customers.phone')}>{c.phone ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('customers.email')}>{c.email ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('customers.shopUserId')}>{c.externalId ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('customers.tier')}>
                    {editable ? (
                      <Typography.Text
                        editable={{
                          tooltip: t('common.edit'),
                          maxLength: 40,
                          onChange: (tier) => update.mutate({ id: c.id, tier: tier.trim() || null }),
                        }}
                      >
                        {c.tier ?? ''}
                      </Typography.Text>
                    ) : (
                      (c.tier ?? '—')
                    )}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('customers.tags')}>
                    <CustomerTagsEditor customer={c} editable={editable} />
                  </Descriptions.Item>
                  <Descriptions.Item label={t('customers.identities')}>
                    <Flex gap={4} wrap>
                      {c.identities.map((i) => (
                        <Tag key={i.channel + i.identifier}>
                          {t(`customers.channels.${i.channel === 'web' ? 'web' : 'other'}`)} · {i.identifier}
                        </Tag>
                      ))}
                    </Flex>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('customers.firstSeen')}>
                    {formatDateTime(c.createdAt, zone)}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('customers.lastSeen')}>
                    {c.lastSeenAt ? formatDateTime(c.lastSeenAt, zone) : '—'}
                  </Descriptions.Item>
                </Descriptions>
                {c.masked && <Typography.Text type="secondary">{t('customers.maskedNote')}</Typography.Text>}
                <Typography.Title level={5} style={{ marginTop: 16 }}>
                  <label htmlFor="customer-notes">{t('customers.notes')}</label>
                </Typography.Title>
                <Input.TextArea
                  id="customer-notes"
                  value={notes}
                  disabled={!editable}
                  autoSize={{ minRows: 3, maxRows: 8 }}
                  maxLength={5000}
                  onChange={(e) => setNotes(e.target.value)}
                  onBlur={() => notes !== c.notes && update.mutate({ id: c.id, notes })}
                  placeholder={t('customers.notesPlaceholder')}
                />
              </>
            )}
          </Card>
          {c && (
            <div style={{ marginTop: 16 }}>
              <CustomerPrivacyActions customerId={c.id} />
            </div>
          )}
        </Col>
        <Col xs={24} lg={15}>
          <Card title={t('customers.conversations')} style={{ marginBottom: 16 }} data-testid="customer-conversations">
            <List
              loading={conversations.isLoading}
              dataSource={conversations.data?.items ?? []}
              locale={{ emptyText: t('customers.noConversations') }}
              renderItem={(conv) => (
                <List.Item>
                  <Link to={`/inbox?c=${conv.id}`} style={{ flex: 1, minWidth: 0 }}>
                    <Typography.Text ellipsis style={{ display: 'block' }}>
                      {previewText(t, conv.lastMessagePreview) ?? t('customers.noMessages')}
                    </Typography.Text>
                  </Link>
                  <Flex gap={8} align="center" style={{ flex: 'none', marginInlineStart: 12 }}>
                    <Tag>{t(`inbox.status.${conv.status}`)}</Tag>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {conv.lastMessageAt ? formatDateTime(conv.lastMessageAt, zone) : ''}
                    </Typography.Text>
                  </Flex>
                </List.Item>
              )}
            />
          </Card>
          {can('conversations.read') && (
            <Card title={t('store.orders')} style={{ marginBottom: 16 }} data-testid="customer-page-orders">
              <OrdersPanel customerId={id} />
            </Card>
          )}
          {can('tickets.read') && (
            <Card title={t('customers.tickets')} data-testid="customer-tickets">
              <List
                loading={tickets.isLoading}
                dataSource={tickets.data?.items ?? []}
                locale={{ emptyText: t('customers.noTickets') }}
                renderItem={(tk) => (
                  <List.Item>
                    <Link to={`/tickets/${tk.id}`} style={{ flex: 1, minWidth: 0 }}>
                      <Typography.Text ellipsis style={{ display: 'block' }}>
                        #{tk.number} {tk.subject}
                      </Typography.Text>
                    </Link>
                    <Flex gap={8} align="center" style={{ flex: 'none', marginInlineStart: 12 }}>
                      <StatusTag status={tk.status} />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatDateTime(tk.createdAt, zone)}
                      </Typography.Text>
                    </Flex>
                  </List.Item>
                )}
              />
            </Card>
          )}
        </Col>
      </Row>
    </Page>
  );
}
