/**
 * 作战室 (war room): the live queue for supervisors, readable on a wall screen and a phone: queue
 * length, longest and estimated wait, service level (15 min, today), queue per inbox and group,
 * agents with presence, load and time in state, the waiting conversations sorted by wait with
 * one-click reassignment, the assigned ones nobody has answered yet (also reassignable), and warnings for conversations nobody can take (a missing skill, an
 * empty group). Other modules add panels through `warRoomPanels` (the slot for live hot questions).
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Row, Statistic, Table, Tag, Typography } from 'antd';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { RoutingAgent, WarRoom } from '../../../shared/routing-api.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { useCan, useMe } from '../auth/session.ts';
import { LiveHotQuestionsPanel } from '../reports/live-hot-questions.tsx';
import { EditAgent, MyStatus } from './agent-controls.tsx';
import { warRoomQuery } from './api.ts';
import { PresenceBadge } from './presence.tsx';
import { ReassignSelect } from './reassign-select.tsx';
import { UnansweredPanel } from './unanswered-panel.tsx';
import { SurgePanel } from './surge-panel.tsx';
import { duration } from './duration.ts';
import { WarRoomWall } from './war-room-wall.tsx';
import { summaryFigures } from './summary-figures.ts';

/**
 * Extra war-room panels, rendered below the queue in this order. The slot for "live hot questions"
 * (reports, issue 17): push a component here from that feature's module.
 */
export const warRoomPanels: ComponentType[] = [LiveHotQuestionsPanel];

export function WarRoomPage() {
  const [params] = useSearchParams();
  return params.get('wall') === '1' ? <WarRoomWall /> : <WarRoomConsole />;
}

function WarRoomConsole() {
  const { t } = useTranslation();
  const room = useQuery(warRoomQuery());
  const me = useMe();
  if (room.error) return <LoadError error={room.error} onRetry={() => void room.refetch()} />;
  const w = room.data;
  const mine = w?.agents.find((a) => a.userId === me.user.id);
  return (
    <Page
      title={t('routing.title')}
      subtitle={t('routing.subtitle')}
      extra={
        <>
          <Link to="/war-room?wall=1" target="_blank" data-testid="wall-link" style={{ marginRight: 12 }}>
            {t('routing.wall')}
          </Link>
          {mine && <MyStatus me={mine} />}
        </>
      }
    >
      <div data-testid="war-room">
        {w && <Summary w={w} />}
        {w && <SurgePanel surge={w.surge} />}
        {w?.warnings.map((x) => (
          <Alert
            key={x.conversationId}
            type="warning"
            showIcon
            style={{ marginTop: 12 }}
            message={t('routing.unroutable')}
            description={
              <span>
                <Link to={`/inbox?c=${x.conversationId}`}>{x.inboxName ?? t('routing.anyInbox')}</Link>
                {' · '}
                {x.reason === 'missing_skill'
                  ? t('routing.warnSkill', { skills: x.skills.join('、') })
                  : t('routing.warnGroup', { group: x.groupName ?? '—' })}
              </span>
            }
          />
        ))}
        <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
          <Col xs={24} xl={14}>
            <Waiting w={w} loading={room.isLoading} />
            <div style={{ marginTop: 16 }}>
              <UnansweredPanel w={w} loading={room.isLoading} />
            </div>
          </Col>
          <Col xs={24} xl={10}>
            <Agents w={w} loading={room.isLoading} />
          </Col>
        </Row>
        {warRoomPanels.map((Panel, i) => (
          <div key={i} style={{ marginTop: 16 }}>
            <Panel />
          </div>
        ))}
      </div>
    </Page>
  );
}

function Summary({ w }: { w: WarRoom }) {
  const { t, i18n } = useTranslation();
  const cards = summaryFigures(w, t, i18n.language);
  return (
    <Row gutter={[12, 12]}>
      {cards.map((c) => (
        <Col key={c.key} xs={12} md={8} xl={4}>
          <Card size="small">
            <Statistic title={c.title} value={c.value} valueStyle={{ fontSize: 32, fontWeight: 600 }} />
          </Card>
        </Col>
      ))}
      <Col xs={24} md={16} xl={4}>
        <Card size="small" title={t('routing.byInbox')} data-testid="by-inbox">
          {w.byInbox.length === 0 && <Typography.Text type="secondary">{t('routing.noQueue')}</Typography.Text>}
          {w.byInbox.map((b) => (
            <div key={b.inboxId ?? '-'}>
              <Typography.Text>{b.inboxName ?? t('routing.anyInbox')}</Typography.Text> <Tag>{b.length}</Tag>
              <Typography.Text type="secondary">{duration(b.longestWaitSeconds, i18n.language)}</Typography.Text>
            </div>
          ))}
          {w.byGroup.some((g) => g.groupId) && (
            <div style={{ marginTop: 8 }} data-testid="by-group">
              <Typography.Text type="secondary">{t('routing.byGroup')}</Typography.Text>
              {w.byGroup
                .filter((g) => g.groupId)
                .map((g) => (
                  <div key={g.groupId}>
                    <Typography.Text>{g.groupName ?? '—'}</Typography.Text> <Tag>{g.length}</Tag>
                    <Typography.Text type="secondary">{duration(g.longestWaitSeconds, i18n.language)}</Typography.Text>
                  </div>
                ))}
            </div>
          )}
        </Card>
      </Col>
    </Row>
  );
}

function Waiting({ w, loading }: { w: WarRoom | undefined; loading: boolean }) {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const rows = [...(w?.waiting ?? [])].sort((a, b) => b.waitSeconds - a.waitSeconds);
  return (
    <Card title={t('routing.waiting', { n: w?.queue.length ?? 0 })} size="small">
      <Table
        size="small"
        loading={loading}
        rowKey="id"
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(r) => ({ 'data-testid': 'waiting-row', 'data-conversation-id': r.id }) as never}
        locale={{ emptyText: t('routing.noQueue') }}
        columns={[
          { title: '#', dataIndex: 'position', width: 48 },
          {
            title: t('routing.conversation'),
            dataIndex: 'id',
            render: (id: string, row) => (
              <Link to={`/inbox?c=${id}`}>
                {row.inboxName ?? t('routing.anyInbox')}
                {row.groupName ? ` · ${row.groupName}` : ''}
              </Link>
            ),
          },
          {
            title: t('routing.wait'),
            dataIndex: 'waitSeconds',
            render: (s: number) => <b>{duration(s, i18n.language)}</b>,
          },
          {
            title: t('routing.reason'),
            dataIndex: 'reason',
            render: (r: string | null, row) =>
              r && r !== 'capacity' ? (
                <Tag color="orange">
                  {t(`routing.reasons.${r}` as 'routing.reasons.capacity')}
                  {row.skills.length ? `: ${row.skills.join(', ')}` : ''}
                </Tag>
              ) : (
                <Tag>{t('routing.reasons.capacity')}</Tag>
              ),
          },
          ...(can('conversations.manage')
            ? [
                {
                  title: t('routing.reassign'),
                  key: 'reassign',
                  render: (_: unknown, row: { id: string }) => <ReassignSelect w={w} conversationId={row.id} />,
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

function Agents({ w, loading }: { w: WarRoom | undefined; loading: boolean }) {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const now = w ? Date.parse(w.at) : 0;
  return (
    <Card title={t('routing.agents')} size="small">
      <Table
        size="small"
        loading={loading}
        rowKey="userId"
        dataSource={w?.agents ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('routing.agent'), dataIndex: 'name' },
          {
            title: t('routing.presence'),
            dataIndex: 'presence',
            render: (p: RoutingAgent['presence'], a) => (
              <PresenceBadge
                presence={p}
                extra={
                  <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                    {duration((now - Date.parse(a.presenceSince)) / 1000, i18n.language)}
                  </Typography.Text>
                }
              />
            ),
          },
          {
            title: t('routing.load'),
            key: 'load',
            render: (_: unknown, a: RoutingAgent) => `${a.loadChat}/${a.capacityChat}`,
          },
          {
            title: t('routing.skills'),
            dataIndex: 'skills',
            render: (skills: string[], a: RoutingAgent) => (
              <>
                {a.groups.map((g) => (
                  <Tag key={`g:${g}`} color="blue">
                    {g}
                  </Tag>
                ))}
                {skills.map((s) => (
                  <Tag key={s}>{s}</Tag>
                ))}
              </>
            ),
          },
          ...(can('settings.manage')
            ? [{ title: '', key: 'edit', render: (_: unknown, a: RoutingAgent) => <EditAgent agent={a} /> }]
            : []),
        ]}
      />
    </Card>
  );
}
