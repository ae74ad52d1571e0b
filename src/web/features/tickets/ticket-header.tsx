import { useState } from 'react';
import { Button, Card, Flex, Space, Tag, Typography } from 'antd';
import { BranchesOutlined, MessageOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../../shared/format.ts';
import { useMe } from '../auth/session.ts';
import type { Ticket } from './api.ts';
import { MacroMenu } from './macro-menu.tsx';
import { MergeModal } from './merge-modal.tsx';
import { customerLabel } from './model.ts';
import { SlaBadge } from './sla-badge.tsx';
import { PriorityTag, StatusTag } from './ticket-tags.tsx';
import { useTicketChange } from './use-ticket-change.ts';
import { useLookups } from './use-lookups.ts';

/** Subject (editable), number, status at a glance, where it came from; macros and merge. */
export function TicketHeader({ ticket, editable }: { ticket: Ticket; editable: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const lookups = useLookups();
  const { change } = useTicketChange(ticket);
  const [merging, setMerging] = useState(false);
  const zone = me.workspace.timezone;

  return (
    <Card styles={{ body: { padding: '14px 20px' } }}>
      <Flex justify="space-between" align="flex-start" gap={16} wrap>
        <div style={{ flex: 1, minWidth: 280 }}>
          <Space size={8} align="center" wrap>
            <Typography.Text type="secondary" style={{ fontSize: 16 }} data-testid="ticket-number">
              #{ticket.number}
            </Typography.Text>
            <StatusTag status={ticket.status} />
            <PriorityTag priority={ticket.priority} />
            <SlaBadge sla={ticket.sla} />
          </Space>
          <Typography.Title
            level={4}
            style={{ margin: '6px 0 4px' }}
            data-testid="ticket-subject-title"
            editable={
              editable
                ? {
                    tooltip: t('common.edit'),
                    maxLength: 200,
                    onChange: (subject) => {
                      const text = subject.trim();
                      if (text && text !== ticket.subject) change({ subject: text });
                    },
                  }
                : false
            }
          >
            {ticket.subject}
          </Typography.Title>
          <Space size={12} wrap style={{ fontSize: 13 }}>
            <Typography.Text type="secondary">
              <UserOutlined />{' '}
              {ticket.customerId ? (
                <Link to={`/customers/${ticket.customerId}`} data-testid="ticket-customer">
                  {customerLabel(ticket, { visitor: t('customers.visitor'), none: '' })}
                </Link>
              ) : (
                t('tickets.noCustomer')
              )}
            </Typography.Text>
            <Typography.Text type="secondary">
              <MessageOutlined />{' '}
              {t(
                `tickets.channels.${ticket.channel === 'web' || ticket.channel === 'api' || ticket.channel === 'manual' ? ticket.channel : 'other'}`,
                { channel: ticket.channel },
              )}
            </Typography.Text>
            <Typography.Text type="secondary">{lookups.typeName(ticket.type)}</Typography.Text>
            <Typography.Text type="secondary">
              {t('tickets.createdAt', { time: formatDateTime(ticket.createdAt, zone) })}
            </Typography.Text>
            {ticket.tags.map((tag) => (
              <Tag key={tag} variant="filled" style={{ marginInlineEnd: 0 }}>
                {tag}
              </Tag>
            ))}
          </Space>
        </div>
        {editable && (
          <Space>
            <MacroMenu ticket={ticket} disabled={ticket.status === 'closed'} />
            <Button
              icon={<BranchesOutlined />}
              onClick={() => setMerging(true)}
              disabled={ticket.status === 'closed'}
              data-testid="merge-open"
            >
              {t('tickets.merge.open')}
            </Button>
          </Space>
        )}
      </Flex>
      <MergeModal ticket={ticket} open={merging} onClose={() => setMerging(false)} />
    </Card>
  );
}
