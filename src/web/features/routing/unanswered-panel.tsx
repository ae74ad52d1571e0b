/**
 * The war room's "assigned, not answered yet" list: chats an agent has (given by routing or by
 * hand) without a first public reply, longest wait first, with how long the shopper has waited and
 * how long the agent has had it; a supervisor reassigns one with a click.
 */
import { Card, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { WarRoom } from '../../../shared/routing-api.ts';
import { useCan } from '../auth/session.ts';
import { duration } from './duration.ts';
import { ReassignSelect } from './reassign-select.tsx';

type Row = WarRoom['unanswered'][number];

export function UnansweredPanel({ w, loading }: { w: WarRoom | undefined; loading: boolean }) {
  const { t, i18n } = useTranslation();
  const can = useCan();
  return (
    <Card title={t('routing.unanswered', { n: w?.unansweredCount ?? 0 })} size="small" data-testid="unanswered">
      <Table<Row>
        size="small"
        loading={loading}
        rowKey="id"
        dataSource={w?.unanswered ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(r) => ({ 'data-testid': 'unanswered-row', 'data-conversation-id': r.id }) as never}
        locale={{ emptyText: t('routing.noUnanswered') }}
        columns={[
          {
            title: t('routing.conversation'),
            dataIndex: 'id',
            render: (id: string, row) => <Link to={`/inbox?c=${id}`}>{row.inboxName ?? t('routing.anyInbox')}</Link>,
          },
          { title: t('routing.agent'), dataIndex: 'agentName', render: (n: string | null) => n ?? '—' },
          {
            title: t('routing.wait'),
            dataIndex: 'waitSeconds',
            render: (s: number) => <b>{duration(s, i18n.language)}</b>,
          },
          {
            title: t('routing.withAgent'),
            dataIndex: 'assignedSeconds',
            render: (s: number) => <Typography.Text type="secondary">{duration(s, i18n.language)}</Typography.Text>,
          },
          ...(can('conversations.manage')
            ? [
                {
                  title: t('routing.reassign'),
                  key: 'reassign',
                  render: (_: unknown, row: Row) => <ReassignSelect w={w} conversationId={row.id} />,
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
