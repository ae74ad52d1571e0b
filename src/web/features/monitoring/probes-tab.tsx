/** Probes with their state, response time, uptime over 24 h / 7 d / 30 d / 90 d and a response-time chart. */
import { Card, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../shared/load-error.tsx';
import { probesQuery, rangeQuery, type Probe } from './api.ts';
import { SeriesChart } from './chart.tsx';
import { statusColors } from './status.tsx';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);

const targetOf = (p: Probe) => {
  const d = p.definition;
  if (d.type === 'http') return `${d.method} ${d.url}`;
  if (d.type === 'tcp') return `${d.host}:${d.port}`;
  if (d.type === 'dns') return `${d.record} ${d.host}`;
  if (d.type === 'smtp') return `smtp://${d.host}:${d.port}${d.starttls ? ' (STARTTLS)' : ''}`;
  if (d.type === 'redis') return `redis://${d.host}:${d.port}`;
  return p.pushPath ?? '';
};

function ResponseChart({ name }: { name: string }) {
  const { t } = useTranslation();
  const data = useQuery(rangeQuery(`probe_duration_seconds{probe="${name.replace(/"/g, '\\"')}"}`, 1440));
  return (
    <Card size="small" title={t('monitoring.probe.responseTime')} loading={data.isLoading}>
      <SeriesChart data={data.data} name={() => name} unit="seconds" height={200} />
    </Card>
  );
}

export function ProbesTab() {
  const { t } = useTranslation();
  const probes = useQuery(probesQuery());
  if (probes.isError) return <LoadError error={probes.error} onRetry={() => void probes.refetch()} />;
  return (
    <Card styles={{ body: { padding: 0 } }}>
      <Table<Probe>
        rowKey="id"
        size="middle"
        loading={probes.isLoading}
        dataSource={probes.data?.items ?? []}
        pagination={false}
        scroll={{ x: 980 }}
        expandable={{ expandedRowRender: (p) => <ResponseChart name={p.name} /> }}
        columns={[
          { title: t('monitoring.probe.name'), dataIndex: 'name', width: 160, fixed: 'left' },
          { title: t('monitoring.probe.type'), dataIndex: 'type', width: 70 },
          {
            // A long URL is cut with an ellipsis (the whole of it in the cell's title), also on a phone.
            title: t('monitoring.probe.target'),
            width: 260,
            ellipsis: { showTitle: true },
            render: (_, p) => targetOf(p),
          },
          {
            title: t('monitoring.probe.status'),
            dataIndex: 'status',
            width: 90,
            render: (s: Probe['status']) => <Tag color={statusColors[s]}>{t(`monitoring.status.${s}`)}</Tag>,
          },
          {
            title: t('monitoring.probe.latency'),
            dataIndex: 'lastDurationMs',
            width: 100,
            render: (v: number | null) => (v === null ? '—' : `${Math.round(v)} ms`),
          },
          {
            title: t('monitoring.probe.uptime'),
            width: 250,
            render: (_, p) => [p.uptime.h24, p.uptime.d7, p.uptime.d30, p.uptime.d90].map(pct).join(' / '),
          },
          {
            // Cut like the target: an error naming a long URL would otherwise make the row tall.
            title: t('monitoring.probe.lastError'),
            dataIndex: 'lastError',
            width: 240,
            ellipsis: { showTitle: true },
            render: (v: string | null) =>
              v && (
                <Typography.Text type="danger" title={v}>
                  {v}
                </Typography.Text>
              ),
          },
        ]}
      />
    </Card>
  );
}
