/**
 * Live hot questions: the top questions shoppers asked in the last 15 minutes and today (the
 * workspace's day), clustered as the monthly report does. On the reports page and the war room.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Progress, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LiveHotQuestions } from '../../../shared/reports-api.ts';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { useCan, useMe } from '../auth/session.ts';
import { liveHotQuestionsQuery } from './api.ts';

function Top({ id, title, items }: { id: string; title: string; items: LiveHotQuestions['today'] }) {
  const { t } = useTranslation();
  return (
    <div data-testid={`live-${id}`}>
      <Typography.Text strong>{title}</Typography.Text>
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('reports.live.empty')} />
      ) : (
        <ol style={{ paddingLeft: 20, margin: '8px 0 0' }}>
          {items.map((q) => (
            <li key={q.label} data-testid="hot-question" style={{ marginBottom: 6 }}>
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                <Typography.Text ellipsis={{ tooltip: q.label }} style={{ minWidth: 0 }}>
                  {q.label}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ flex: 'none' }}>
                  {t('reports.live.count', { n: q.count })}
                </Typography.Text>
              </div>
              <Progress percent={q.share} size="small" showInfo={false} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** Shown to those who may read reports (the war room is open to others too). */
export function LiveHotQuestionsPanel() {
  return useCan()('reports.read') ? <LivePanel /> : null;
}

function LivePanel() {
  const { t } = useTranslation();
  const zone = useMe().workspace.timezone;
  const live = useQuery(liveHotQuestionsQuery());
  if (live.error) return <LoadError error={live.error} onRetry={() => void live.refetch()} />;
  return (
    <Card
      size="small"
      title={t('reports.live.title')}
      loading={live.isLoading}
      data-testid="live-hot-questions"
      extra={
        live.data && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('reports.live.asOf', { at: formatDateTime(live.data.asOf, zone) })}
          </Typography.Text>
        )
      }
    >
      {live.data && (
        <Row gutter={[24, 16]}>
          <Col xs={24} md={12}>
            <Top id="last15m" title={t('reports.live.last15m')} items={live.data.last15m} />
          </Col>
          <Col xs={24} md={12}>
            <Top id="today" title={t('reports.live.today')} items={live.data.today} />
          </Col>
        </Row>
      )}
    </Card>
  );
}
