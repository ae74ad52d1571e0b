import { Card, Col, Descriptions, Flex, Row, Space, Tag, Timeline, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { useMe } from '../auth/session.ts';
import { incidentQuery } from './api.ts';
import { Countdown, useNow } from './countdown.tsx';
import { EntryItem } from './entry-text.tsx';
import { NoteCard, SeverityButton, TransitionButtons } from './incident-work.tsx';
import { PolicyOnCallCard } from './policy-oncall.tsx';
import { ReviewCard } from './review-card.tsx';
import { SeverityTag, StateTag } from './tags.tsx';

export function IncidentPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const me = useMe();
  const zone = me.workspace.timezone;
  const now = useNow();
  const incident = useQuery(incidentQuery(id));
  if (incident.isError) return <LoadError error={incident.error} onRetry={() => void incident.refetch()} />;
  const i = incident.data;
  if (!i) return null;
  const canManage = i.managed && me.permissions.includes('ops.manage');
  const done = ['resolved', 'closed', 'cancelled'].includes(i.state);
  return (
    <Page
      title={
        <Space wrap>
          <span>#{i.number}</span>
          <SeverityTag severity={i.severity} />
          <span>{i.title}</span>
          <StateTag state={i.state} />
          {i.mode === 'drill' && <Tag>{t('incidents.drill')}</Tag>}
          {i.directorEngagedAt && <Tag color="volcano">{t('incidents.director')}</Tag>}
        </Space>
      }
      subtitle={<Link to="/ops/incidents">{t('incidents.detail.back')}</Link>}
      extra={
        canManage && (
          <Space wrap>
            {!done && <SeverityButton incident={i} />}
            <TransitionButtons incident={i} zone={zone} />
          </Space>
        )
      }
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          {i.onCall && (
            <div style={{ marginBottom: 16 }}>
              <PolicyOnCallCard onCall={i.onCall} zone={zone} />
            </div>
          )}
          <Card title={t('incidents.detail.clocks')} size="small">
            {i.clocks.map((c) => (
              <Descriptions key={c.workspaceId} column={1} size="small" style={{ marginBottom: 8 }}>
                {c.promotion && (
                  <Descriptions.Item label="">
                    <Tag color="magenta">{t('incidents.detail.promotion', { name: c.promotion })}</Tag>
                  </Descriptions.Item>
                )}
                {(['respond', 'resolve'] as const).map((name) => (
                  <Descriptions.Item key={name} label={`${t(`incidents.targets.${name}`)} (${c[name].minutes} min)`}>
                    <Flex vertical>
                      <Countdown
                        due={c[name].dueAt}
                        done={!!c[name].fulfilledAt || (name === 'respond' && done)}
                        at={c[name].fulfilledAt}
                        now={now}
                        minutes={c[name].minutes}
                      />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatDateTime(c[name].dueAt, zone)}
                      </Typography.Text>
                    </Flex>
                  </Descriptions.Item>
                ))}
              </Descriptions>
            ))}
            {i.acknowledgedBy && (
              <Typography.Text type="secondary">
                {t('incidents.detail.acknowledgedBy')}: {i.acknowledgedBy}
              </Typography.Text>
            )}
          </Card>
          {i.description && (
            <Card size="small" style={{ marginTop: 16 }}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{i.description}</Typography.Paragraph>
            </Card>
          )}
          {canManage && <NoteCard id={i.id} />}
        </Col>
        <Col xs={24} lg={14}>
          <Card title={t('incidents.detail.timeline')} size="small">
            <Timeline
              items={i.timeline.map((e) => ({
                color:
                  e.type.includes('breach') || e.type.includes('failed')
                    ? 'red'
                    : e.type === 'director_engaged'
                      ? 'volcano'
                      : 'blue',
                children: <EntryItem e={e} zone={zone} />,
              }))}
            />
          </Card>
        </Col>
        {['mitigated', 'resolved', 'closed'].includes(i.state) && (
          <Col xs={24}>
            <ReviewCard id={i.id} zone={zone} editable={canManage} />
          </Col>
        )}
      </Row>
    </Page>
  );
}
