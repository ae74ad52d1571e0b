/** The live overview: components by status, firing alerts, and the installation's key series over a chosen range. */
import { useState } from 'react';
import { Card, Col, Empty, Flex, Row, Segmented, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format.ts';
import { useMe } from '../auth/session.ts';
import { alertsQuery, probesQuery, rangeQuery, type Alert, type Probe } from './api.ts';
import { SeriesChart } from './chart.tsx';
import { statusColors } from './status.tsx';

const ranges = { m15: 15, h1: 60, h6: 360, h24: 1440, d7: 10080, d30: 43200, d90: 129600 } as const;
type RangeKey = keyof typeof ranges;

const charts: {
  key: 'cpu' | 'memory' | 'disk' | 'p99' | 'errors' | 'online' | 'messages';
  expr: string;
  unit?: 'percent' | 'seconds' | 'bytes';
  name: (l: Record<string, string>) => string;
}[] = [
  { key: 'cpu', expr: 'kefu_host_cpu_usage_ratio', unit: 'percent', name: (l) => l.node ?? '' },
  {
    key: 'memory',
    expr: '1 - kefu_host_memory_available_bytes / kefu_host_memory_total_bytes',
    unit: 'percent',
    name: (l) => l.node ?? '',
  },
  { key: 'disk', expr: 'kefu_host_disk_free_bytes', unit: 'bytes', name: (l) => l.node ?? '' },
  {
    key: 'p99',
    expr: 'max by (node) (kefu_http_request_duration_seconds_p99)',
    unit: 'seconds',
    name: (l) => l.node ?? '',
  },
  {
    key: 'errors',
    expr: 'sum(rate(kefu_http_request_duration_seconds_count{status_code=~"5.."}[5m])) / sum(rate(kefu_http_request_duration_seconds_count[5m]))',
    unit: 'percent',
    name: () => '5xx',
  },
  { key: 'online', expr: 'sum by (kind) (kefu_realtime_connections)', name: (l) => l.kind ?? '' },
  { key: 'messages', expr: 'sum(rate(kefu_chat_messages_committed_total[5m]))', name: () => 'msg/s' },
];

function ChartCard({ c, minutes }: { c: (typeof charts)[number]; minutes: number }) {
  const { t } = useTranslation();
  const data = useQuery(rangeQuery(c.expr, minutes));
  return (
    <Card size="small" title={t(`monitoring.charts.${c.key}`)} loading={data.isLoading}>
      <SeriesChart data={data.data} name={c.name} unit={c.unit} />
    </Card>
  );
}

export function Overview() {
  const { t } = useTranslation();
  const me = useMe();
  const [range, setRange] = useState<RangeKey>('h1');
  const probes = useQuery(probesQuery());
  const alerts = useQuery(alertsQuery('firing'));
  const byComponent = new Map<string, Probe[]>();
  for (const p of probes.data?.items ?? []) {
    const k = p.component ?? p.name;
    byComponent.set(k, [...(byComponent.get(k) ?? []), p]);
  }
  const worst = (ps: Probe[]) =>
    ps.some((p) => p.status === 'down')
      ? 'down'
      : ps.some((p) => p.status === 'pending')
        ? 'pending'
        : ps.every((p) => p.status === 'up')
          ? 'up'
          : 'unknown';
  return (
    <Flex vertical gap={16}>
      <Card size="small" title={t('monitoring.components')} loading={probes.isLoading}>
        {byComponent.size ? (
          <Flex wrap gap={8}>
            {[...byComponent].map(([name, ps]) => (
              <Tag key={name} color={statusColors[worst(ps)]} style={{ padding: '4px 10px', fontSize: 14 }}>
                {name} · {t(`monitoring.status.${worst(ps)}`)}
              </Tag>
            ))}
          </Flex>
        ) : (
          <Empty description={t('monitoring.noProbes')} />
        )}
      </Card>
      <Card size="small" title={t('monitoring.firing')} styles={{ body: { padding: 0 } }}>
        <Table<Alert>
          rowKey="id"
          size="small"
          pagination={false}
          loading={alerts.isLoading}
          dataSource={alerts.data?.items ?? []}
          locale={{ emptyText: t('monitoring.noAlerts') }}
          scroll={{ x: 640 }}
          columns={[
            {
              title: t('monitoring.rule.severity'),
              dataIndex: 'severity',
              width: 70,
              render: (s: string | null) =>
                s && <Tag color={s === 'P1' ? 'red' : s === 'P2' ? 'orange' : 'gold'}>{s}</Tag>,
            },
            { title: t('monitoring.rule.alert'), dataIndex: 'rule', width: 180 },
            {
              title: t('monitoring.probe.target'),
              render: (_, a) =>
                a.annotations.summary ??
                Object.entries(a.labels)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(', '),
            },
            {
              title: t('monitoring.silence.window'),
              dataIndex: 'firedAt',
              width: 170,
              render: (v: string | null) => v && formatDateTime(v, me.workspace.timezone),
            },
          ]}
        />
      </Card>
      <Flex align="center" gap={8} wrap>
        <Typography.Text type="secondary">{t('monitoring.range')}</Typography.Text>
        <Segmented<RangeKey>
          value={range}
          onChange={setRange}
          options={(Object.keys(ranges) as RangeKey[]).map((k) => ({ value: k, label: t(`monitoring.ranges.${k}`) }))}
        />
      </Flex>
      <Row gutter={[16, 16]}>
        {charts.map((c) => (
          <Col key={c.key} xs={24} lg={12}>
            <ChartCard c={c} minutes={ranges[range]} />
          </Col>
        ))}
      </Row>
    </Flex>
  );
}
