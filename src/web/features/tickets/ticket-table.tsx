import { Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { formatDateTime } from '../../shared/format.ts';
import { useMe } from '../auth/session.ts';
import { WithPresence } from '../routing/presence.tsx';
import type { Ticket } from './api.ts';
import { customerLabel } from './model.ts';
import { SlaBadge } from './sla-badge.tsx';
import { PriorityTag, StatusTag } from './ticket-tags.tsx';
import { useLookups } from './use-lookups.ts';

/** The ticket list: one row per ticket with its live SLA; rows are selectable for bulk changes. */
export function TicketTable({
  tickets,
  loading,
  selectable,
  selected,
  onSelect,
}: {
  tickets: Ticket[];
  loading: boolean;
  selectable: boolean;
  selected: string[];
  onSelect: (ids: string[]) => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const lookups = useLookups();
  const zone = me.workspace.timezone;

  return (
    <Table<Ticket>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={tickets}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('tickets.empty') }}
      rowSelection={
        selectable
          ? { selectedRowKeys: selected, onChange: (keys) => onSelect(keys as string[]), columnWidth: 40 }
          : undefined
      }
      onRow={(ticket) => ({
        onClick: (e) => {
          // Clicks on links and checkboxes do their own thing.
          if ((e.target as HTMLElement).closest('a, .ant-checkbox-wrapper, .ant-table-selection-column')) return;
          navigate(`/tickets/${ticket.id}`);
        },
        style: { cursor: 'pointer' },
        'data-testid': `ticket-row-${ticket.number}`,
      })}
      columns={[
        {
          title: '#',
          dataIndex: 'number',
          width: 72,
          render: (n: number, ticket) => <Link to={`/tickets/${ticket.id}`}>#{n}</Link>,
        },
        {
          title: t('tickets.fields.subject'),
          dataIndex: 'subject',
          render: (subject: string, ticket) => (
            <div style={{ maxWidth: 270 }}>
              <Typography.Text strong ellipsis={{ tooltip: subject }} style={{ display: 'block' }}>
                {subject}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {lookups.typeName(ticket.type)}
                {ticket.orderNo && ` · ${t('tickets.fields.orderNo')} ${ticket.orderNo}`}
              </Typography.Text>
              {ticket.tags.length > 0 && (
                <span style={{ marginInlineStart: 6 }}>
                  {ticket.tags.slice(0, 3).map((tag) => (
                    <Tag key={tag} variant="filled" style={{ fontSize: 11, lineHeight: '16px', marginInlineEnd: 4 }}>
                      {tag}
                    </Tag>
                  ))}
                </span>
              )}
            </div>
          ),
        },
        {
          title: t('tickets.fields.customer'),
          dataIndex: 'customerName',
          render: (_: string | null, ticket: Ticket) =>
            ticket.customerId ? (
              // Like the inbox: the customer's page is one click away.
              <Link to={`/customers/${ticket.customerId}`} data-testid={`ticket-customer-${ticket.number}`}>
                {customerLabel(ticket, { visitor: t('customers.visitor'), none: '' })}
              </Link>
            ) : (
              <Typography.Text type="secondary">—</Typography.Text>
            ),
        },
        {
          title: t('tickets.fields.status'),
          dataIndex: 'status',
          render: (status: Ticket['status']) => <StatusTag status={status} />,
        },
        {
          title: t('tickets.fields.priority'),
          dataIndex: 'priority',
          render: (priority: Ticket['priority']) => <PriorityTag priority={priority} />,
        },
        {
          title: t('tickets.fields.assignee'),
          dataIndex: 'assigneeId',
          render: (id: string | null) =>
            id ? (
              <WithPresence userId={id}>{lookups.userName(id)}</WithPresence>
            ) : (
              <Typography.Text type="secondary">{t('tickets.unassigned')}</Typography.Text>
            ),
        },
        {
          title: t('tickets.fields.sla'),
          dataIndex: 'sla',
          render: (_: unknown, ticket) => <SlaBadge sla={ticket.sla} />,
        },
        {
          title: t('tickets.fields.updatedAt'),
          dataIndex: 'updatedAt',
          render: (at: string) => {
            const full = formatDateTime(at, zone);
            // "11-28 21:16" in the row (the year is rarely news in a work queue), the full time on hover.
            return (
              <Tooltip title={full}>
                <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
                  {full.slice(5)}
                </Typography.Text>
              </Tooltip>
            );
          },
        },
      ]}
    />
  );
}
