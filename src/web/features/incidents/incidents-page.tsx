import { useState } from 'react';
import { Card, Flex, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { IncidentView } from '../../../shared/incidents-api.ts';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { useMe } from '../auth/session.ts';
import { incidentsQuery, onCallQuery } from './api.ts';
import { Countdown, useNow } from './countdown.tsx';
import { DeclareButton } from './declare-dialog.tsx';
import { SeverityTag, StateTag } from './tags.tsx';

const done = ['resolved', 'closed', 'cancelled'];

/** Who is on call now and next on the active rotations. */
function OnCallCard() {
  const { t } = useTranslation();
  const oncall = useQuery(onCallQuery());
  const zone = useMe().workspace.timezone;
  const active = oncall.data?.rotations.filter((r) => r.active) ?? [];
  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      <Flex gap={24} wrap align="center">
        {oncall.data?.promotion && (
          <Tag color="magenta">{t('incidents.oncall.promotion', { name: oncall.data.promotion })}</Tag>
        )}
        {active.map((r) => (
          <Space key={r.id} size={4} wrap>
            <Typography.Text strong>{r.name}</Typography.Text>
            <Typography.Text type="secondary">{t('incidents.onCallNow')}:</Typography.Text>
            <span>{r.shifts[0]?.name ?? t('incidents.nobody')}</span>
            {r.shifts[1] && (
              <Typography.Text type="secondary">
                {t('incidents.onCallNext')}: {r.shifts[1].name} ({formatDateTime(r.shifts[1].start, zone)})
              </Typography.Text>
            )}
          </Space>
        ))}
        {!active.length && <Typography.Text type="secondary">{t('incidents.oncall.empty')}</Typography.Text>}
      </Flex>
    </Card>
  );
}

export function IncidentsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const zone = me.workspace.timezone;
  const [filter, setFilter] = useState<'open' | 'resolved,closed' | 'all'>('open');
  const list = useQuery(incidentsQuery(filter === 'all' ? undefined : filter));
  const now = useNow();
  return (
    <Page
      title={t('incidents.title')}
      subtitle={t('incidents.subtitle')}
      extra={
        <Space wrap>
          <Link to="/ops/overview">{t('incidentConsole.overview.link')}</Link>
          <Link to="/ops/oncall">{t('incidents.oncallLink')}</Link>
          <Link to="/ops/statement">{t('incidents.statementLink')}</Link>
          {me.permissions.includes('ops.manage') && <DeclareButton />}
        </Space>
      }
    >
      <OnCallCard />
      <Segmented
        style={{ marginBottom: 12 }}
        value={filter}
        onChange={(v) => setFilter(v as typeof filter)}
        options={[
          { value: 'open', label: t('incidents.filters.open') },
          { value: 'resolved,closed', label: t('incidents.filters.resolved') },
          { value: 'all', label: t('incidents.filters.all') },
        ]}
      />
      {list.isError ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Card styles={{ body: { padding: 0 } }}>
          <Table<IncidentView>
            rowKey="id"
            size="middle"
            loading={list.isLoading}
            dataSource={list.data?.items ?? []}
            pagination={false}
            scroll={{ x: 1120 }}
            columns={[
              { title: t('incidents.columns.number'), dataIndex: 'number', width: 70, render: (n: number) => `#${n}` },
              {
                title: t('incidents.columns.severity'),
                dataIndex: 'severity',
                width: 80,
                render: (s: string) => <SeverityTag severity={s} />,
              },
              {
                title: t('incidents.columns.title'),
                key: 'title',
                width: 260,
                render: (_, i) => (
                  <Space size={4} wrap>
                    <Link to={`/ops/incidents/${i.id}`}>{i.title}</Link>
                    {i.mode === 'drill' && <Tag>{t('incidents.drill')}</Tag>}
                    {i.directorEngagedAt && <Tag color="volcano">{t('incidents.director')}</Tag>}
                  </Space>
                ),
              },
              {
                title: t('incidents.columns.state'),
                dataIndex: 'state',
                width: 100,
                render: (s: string) => <StateTag state={s} />,
              },
              {
                title: t('incidents.columns.respond'),
                key: 'respond',
                width: 150,
                render: (_, i) => (
                  <Countdown
                    due={i.respondBy}
                    done={!!i.acknowledgedAt || done.includes(i.state)}
                    at={i.acknowledgedAt ?? i.resolvedAt}
                    now={now}
                  />
                ),
              },
              {
                title: t('incidents.columns.resolve'),
                key: 'resolve',
                width: 150,
                render: (_, i) => (
                  <Countdown due={i.resolveBy} done={done.includes(i.state)} at={i.resolvedAt} now={now} />
                ),
              },
              {
                title: t('incidents.columns.source'),
                dataIndex: 'source',
                width: 100,
                render: (s: string) => t(`incidents.sources.${s}` as 'incidents.sources.alert'),
              },
              {
                title: t('incidents.columns.declaredAt'),
                dataIndex: 'declaredAt',
                width: 170,
                render: (at: string) => formatDateTime(at, zone),
              },
            ]}
          />
        </Card>
      )}
    </Page>
  );
}
