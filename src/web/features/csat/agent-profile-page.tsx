/** An agent's profile: their presence, and customers' satisfaction (average, count, share satisfied, distribution, recent comments). */
import { Card, Col, Empty, Flex, List, Progress, Row, Skeleton, Statistic, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { useMe } from '../auth/session.ts';
import { UserPresence } from '../routing/presence.tsx';
import { agentCsatQuery } from './api.ts';
import { Score } from './score.tsx';

export function AgentProfilePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const zone = useMe().workspace.timezone;
  const q = useQuery(agentCsatQuery(id));
  if (q.isError) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  const d = q.data;
  return (
    <Page
      title={d ? `${t('csat.profile')} · ${d.agent.name}` : t('csat.profile')}
      subtitle={t('csat.profileSubtitle')}
      extra={d && <UserPresence userId={d.agent.id} />}
    >
      {!d ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={16} data-testid="agent-profile">
          <Row gutter={[16, 16]}>
            <Col xs={12} md={8}>
              <Card size="small">
                <Statistic
                  title={t('csat.average')}
                  value={d.average ?? '—'}
                  precision={d.average === null ? undefined : 2}
                  suffix={d.average === null ? undefined : '/ 5'}
                  data-testid="csat-average"
                />
              </Card>
            </Col>
            <Col xs={12} md={8}>
              <Card size="small">
                <Statistic title={t('csat.count')} value={d.count} data-testid="csat-count" />
              </Card>
            </Col>
            <Col xs={24} md={8}>
              <Card size="small">
                <Statistic
                  title={t('csat.satisfied')}
                  value={d.satisfied === null ? '—' : Math.round(d.satisfied * 100)}
                  suffix={d.satisfied === null ? undefined : '%'}
                />
              </Card>
            </Col>
          </Row>
          <Card size="small" title={t('csat.distribution')}>
            {[5, 4, 3, 2, 1].map((n) => {
              const k = d.distribution[n - 1];
              return (
                <Flex key={n} align="center" gap={12} data-testid="csat-bar">
                  <span style={{ width: 64, flex: 'none' }}>{t('csat.score', { score: n })}</span>
                  <Progress
                    percent={d.count ? Math.round((k / d.count) * 100) : 0}
                    format={() => k}
                    strokeColor={n >= 4 ? '#52c41a' : n === 3 ? '#faad14' : '#ff4d4f'}
                    style={{ margin: 0, flex: 1 }}
                  />
                </Flex>
              );
            })}
          </Card>
          <Card size="small" title={t('csat.recent')}>
            {d.recent.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('csat.noRatings')} />
            ) : (
              <List
                dataSource={d.recent}
                renderItem={(r) => (
                  <List.Item key={r.requestId} data-testid="csat-recent">
                    <Flex vertical gap={2} style={{ width: '100%' }}>
                      <Flex justify="space-between" wrap gap={8}>
                        <Score score={r.score} scale={r.scale} />
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {formatDateTime(r.ratedAt, zone)}
                        </Typography.Text>
                      </Flex>
                      <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{r.comment}</Typography.Text>
                      {r.conversationId && (
                        <Link to={`/inbox?c=${r.conversationId}`} style={{ fontSize: 12 }}>
                          {t('csat.openConversation')}
                        </Link>
                      )}
                    </Flex>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Flex>
      )}
    </Page>
  );
}
