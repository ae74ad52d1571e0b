import { useState } from 'react';
import { Card, Col, Flex, List, Row, Select, Statistic, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { useMe } from '../auth/session.ts';
import { overviewQuery, type Overview, type Summary } from './console-api.ts';
import { PolicyOnCallCard } from './policy-oncall.tsx';
import { SeverityTag } from './tags.tsx';

type Row = Overview['stats'][number];
const figure = (n: number | null) => (n === null ? '–' : String(n));

/** The ops overview: open incidents, MTTA and MTTR (mean, median, p90, count) per month and severity, open action items, failed notifications. */
export function OverviewPage() {
  const { t } = useTranslation();
  const zone = useMe().workspace.timezone;
  const [workspaceId, setWorkspaceId] = useState<string | undefined>(undefined);
  const overview = useQuery(overviewQuery(workspaceId));
  const o = overview.data;
  const today = new Date().toISOString().slice(0, 10);
  const summary = (name: 'mtta' | 'mttr') => ({
    title: t(`incidentConsole.overview.${name}`),
    children: (['count', 'mean', 'median', 'p90'] as const).map((k) => ({
      title: t(`incidentConsole.overview.${k}`),
      key: `${name}-${k}`,
      align: 'right' as const,
      width: 80,
      render: (_: unknown, r: Row) => figure((r[name] as Summary)[k]),
    })),
  });
  return (
    <Page
      title={t('incidentConsole.overview.title')}
      subtitle={t('incidentConsole.overview.subtitle')}
      extra={
        (o?.workspaces.length ?? 0) > 1 && (
          <Select
            aria-label={t('incidentConsole.overview.workspace')}
            style={{ minWidth: 180 }}
            value={workspaceId ?? ''}
            onChange={(v: string) => setWorkspaceId(v || undefined)}
            options={[
              { value: '', label: t('incidentConsole.overview.allWorkspaces') },
              ...(o?.workspaces ?? []).map((w) => ({ value: w.id, label: w.name })),
            ]}
          />
        )
      }
    >
      {overview.isError ? (
        <LoadError error={overview.error} onRetry={() => void overview.refetch()} />
      ) : (
        <Flex vertical gap={16}>
          {o && <PolicyOnCallCard onCall={o.onCall} zone={zone} />}
          <Row gutter={[16, 16]}>
            {(
              [
                ['open', o?.open],
                ['openItems', o?.actionItems.length],
                ['failedCount', o?.failedNotifications.length],
              ] as const
            ).map(([key, value]) => (
              <Col xs={8} key={key}>
                <Card size="small">
                  <Statistic
                    title={t(`incidentConsole.overview.${key}`)}
                    value={value ?? '–'}
                    loading={overview.isLoading}
                  />
                </Card>
              </Col>
            ))}
          </Row>
          <Card title={t('incidentConsole.overview.stats')} size="small" styles={{ body: { padding: 0 } }}>
            <Table<Row>
              className="ops-stats"
              rowKey={(r) => `${r.month} ${r.severity}`}
              size="small"
              bordered
              loading={overview.isLoading}
              dataSource={o?.stats ?? []}
              pagination={false}
              scroll={{ x: 820 }}
              locale={{ emptyText: t('incidentConsole.overview.noStats') }}
              columns={[
                { title: t('incidentConsole.overview.month'), dataIndex: 'month', width: 90, fixed: 'left' },
                {
                  title: t('incidentConsole.overview.severity'),
                  dataIndex: 'severity',
                  width: 70,
                  render: (s: string) => <SeverityTag severity={s} />,
                },
                summary('mtta'),
                summary('mttr'),
              ]}
            />
          </Card>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={14}>
              <Card title={t('incidentConsole.overview.actionItems')} size="small">
                <List
                  className="ops-action-items"
                  dataSource={o?.actionItems ?? []}
                  locale={{ emptyText: t('incidentConsole.overview.noItems') }}
                  renderItem={(a) => (
                    <List.Item>
                      <Flex vertical style={{ minWidth: 0 }}>
                        <Typography.Text>{a.title}</Typography.Text>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          <Link to={`/ops/incidents/${a.incidentId}`}>#{a.incidentNumber}</Link> · {a.ownerName ?? '–'}{' '}
                          · {a.due}
                          {a.due < today && (
                            <Tag color="orange" style={{ marginLeft: 6 }}>
                              {t('incidentConsole.overview.overdue')}
                            </Tag>
                          )}
                        </Typography.Text>
                      </Flex>
                    </List.Item>
                  )}
                />
              </Card>
            </Col>
            <Col xs={24} lg={10}>
              <Card title={t('incidentConsole.overview.failed')} size="small">
                <List
                  dataSource={o?.failedNotifications ?? []}
                  locale={{ emptyText: '–' }}
                  renderItem={(f) => (
                    <List.Item>
                      <Flex vertical style={{ minWidth: 0 }}>
                        <Typography.Text>
                          <Link to={`/ops/incidents/${f.incidentId}`}>#{f.incidentNumber}</Link> {f.channel}
                        </Typography.Text>
                        <Typography.Text type="danger" style={{ fontSize: 12 }}>
                          {f.error}
                        </Typography.Text>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {formatDateTime(f.at, zone)}
                        </Typography.Text>
                      </Flex>
                    </List.Item>
                  )}
                />
              </Card>
            </Col>
          </Row>
        </Flex>
      )}
    </Page>
  );
}
