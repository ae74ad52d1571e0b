/** The live overview: components by status, firing alerts, and the installation's key series over a chosen range. */
import { useState } from 'react';
import { Card, Col, Empty, Flex, Row, Segmented, Select, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { formatDateTime } from '../../shared/format.ts';
import { usePhone } from '../../layout/use-phone.ts';
import { useMe } from '../auth/session.ts';
import { exhaustedIn, linearTrend, overviewCharts, type OverviewChart } from '../../../shared/ops-overview.ts';
import { alertsQuery, probesQuery, rangeQuery, type Alert, type Probe, type RangeResult } from './api.ts';
import { SeriesChart } from './chart.tsx';
import { componentsQuery, componentTitle } from './components.ts';
import { statusColors } from './status.tsx';
import { alertSummary } from '../../../shared/alert-summary.ts';

const ranges = { m15: 15, h1: 60, h6: 360, h24: 1440, d7: 10080, d30: 43200, d90: 129600 } as const;
type RangeKey = keyof typeof ranges;

const legendNames: Partial<Record<OverviewChart['key'], string>> = { errors: '5xx', messages: 'msg/s' };

// Stable per chart and language, so the chart's effect does not redraw on every render. The
// online chart's lines (label `kind`) are named in the reader's language.
const namers = new Map<string, (l: Record<string, string>) => string>();
const nameOf = (c: OverviewChart, t: TFunction) => {
  const key = `${c.key} ${t('monitoring.charts.onlineAgent')}`;
  const kinds: Record<string, string> = {
    agent: t('monitoring.charts.onlineAgent'),
    customer: t('monitoring.charts.onlineCustomer'),
  };
  if (!namers.has(key))
    namers.set(key, (l) => {
      if (!c.legend) return legendNames[c.key] ?? c.key;
      const v = l[c.legend] ?? '';
      return c.key === 'online' ? (kinds[v] ?? v) : v;
    });
  return namers.get(key)!;
};

/** The soonest a line reaches `exhaustedAt` on its trend over the shown range, in days; null: none heads there. */
function soonestExhausted(data: RangeResult, exhaustedAt: number): number | null {
  let soonest: number | null = null;
  for (const s of data.series) {
    const trend = linearTrend(s.points);
    const ms = trend && exhaustedIn(trend, data.to, exhaustedAt);
    if (ms !== null && ms !== undefined && (soonest === null || ms < soonest)) soonest = ms;
  }
  return soonest === null ? null : soonest / 86_400_000;
}

function ChartCard({ c, minutes }: { c: OverviewChart; minutes: number }) {
  const { t } = useTranslation();
  const data = useQuery(rangeQuery(c.expr, minutes));
  const days = c.exhaustedAt !== undefined && data.data ? soonestExhausted(data.data, c.exhaustedAt) : undefined;
  return (
    <Card
      size="small"
      title={t(`monitoring.charts.${c.key}`)}
      loading={data.isLoading}
      extra={c.forecast && <Typography.Text type="secondary">{t('monitoring.forecast.legend')}</Typography.Text>}
    >
      <SeriesChart data={data.data} name={nameOf(c, t)} unit={c.unit} forecast={c.forecast} />
      {days !== undefined && (
        <Typography.Text type={days !== null && days < 7 ? 'danger' : 'secondary'} data-testid={`forecast-${c.key}`}>
          {days === null
            ? t('monitoring.forecast.notFilling')
            : t('monitoring.forecast.fullIn', { days: days < 10 ? days.toFixed(1) : Math.round(days) })}
        </Typography.Text>
      )}
    </Card>
  );
}

export function Overview() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [range, setRange] = useState<RangeKey>('h1');
  const probes = useQuery(probesQuery());
  const components = useQuery(componentsQuery());
  const phone = usePhone();
  const rangeOptions = (Object.keys(ranges) as RangeKey[]).map((k) => ({
    value: k,
    label: t(`monitoring.ranges.${k}`),
  }));
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
                {componentTitle(name, components.data?.items, i18n.language)} · {t(`monitoring.status.${worst(ps)}`)}
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
                s ? (
                  <Tag color={s === 'P1' ? 'red' : s === 'P2' ? 'orange' : 'gold'}>{s}</Tag>
                ) : (
                  <Tag>{t('monitoring.rule.ungraded')}</Tag>
                ),
            },
            { title: t('monitoring.rule.alert'), dataIndex: 'rule', width: 180 },
            {
              title: t('monitoring.probe.target'),
              render: (_, a) =>
                alertSummary(a.annotations, i18n.language) ??
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
        {/* Seven choices do not fit a phone's width in one row: a select there. */}
        {phone ? (
          <Select<RangeKey>
            value={range}
            onChange={setRange}
            options={rangeOptions}
            style={{ minWidth: 120 }}
            data-testid="monitoring-range"
          />
        ) : (
          <Segmented<RangeKey>
            value={range}
            onChange={setRange}
            options={rangeOptions}
            data-testid="monitoring-range"
          />
        )}
      </Flex>
      <Row gutter={[16, 16]}>
        {overviewCharts.map((c) => (
          <Col key={c.key} xs={24} lg={12}>
            <ChartCard c={c} minutes={ranges[range]} />
          </Col>
        ))}
      </Row>
    </Flex>
  );
}
