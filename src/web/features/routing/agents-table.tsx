/** Agents' capacity per kind of work and skills (settings.manage edits them), with their presence and load. */
import { Empty, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RoutingAgent } from '../../../shared/routing-api.ts';
import { EditAgent } from './agent-controls.tsx';
import { PresenceBadge } from './presence.tsx';

export function AgentsTable({ agents }: { agents: RoutingAgent[] }) {
  const { t } = useTranslation();
  if (!agents.length) return <Empty description={t('routing.settings.noAgents')} />;
  return (
    <>
      <Typography.Paragraph type="secondary">{t('routing.settings.agentsHint')}</Typography.Paragraph>
      <Table<RoutingAgent>
        data-testid="agents-table"
        rowKey="userId"
        size="small"
        pagination={false}
        scroll={{ x: 560 }}
        dataSource={agents}
        columns={[
          {
            title: t('routing.agent'),
            key: 'name',
            render: (_, a) => (
              <>
                <div>{a.name}</div>
                <PresenceBadge presence={a.presence} />
              </>
            ),
          },
          {
            title: t('routing.settings.loadChat'),
            key: 'chat',
            render: (_, a) => <span data-testid="agent-chat-load">{`${a.loadChat} / ${a.capacityChat}`}</span>,
          },
          {
            title: t('routing.settings.loadTicket'),
            key: 'ticket',
            render: (_, a) => `${a.loadTicket} / ${a.capacityTicket}`,
          },
          {
            title: t('routing.skills'),
            key: 'skills',
            render: (_, a) => a.skills.map((s) => <Tag key={s}>{s}</Tag>),
          },
          { title: '', key: 'edit', width: 80, render: (_, a) => <EditAgent agent={a} /> },
        ]}
      />
    </>
  );
}
