import { App, Button, Card, Col, Descriptions, Flex, Row, Space, Tag, Timeline, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { TimelineEntry } from '../../../shared/incidents-api.ts';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { useMe } from '../auth/session.ts';
import { incidentQuery, transition } from './api.ts';
import { Countdown, useNow } from './countdown.tsx';
import { SeverityTag, StateTag } from './tags.tsx';

const next: Record<string, string[]> = {
  triggered: ['acknowledged', 'mitigated', 'resolved'],
  acknowledged: ['mitigated', 'resolved'],
  mitigated: ['resolved', 'triggered'],
  resolved: ['closed', 'triggered'],
};

function EntryText({ e }: { e: TimelineEntry }) {
  const { t } = useTranslation();
  const d = e.data as Record<string, string | number | string[] | null>;
  const state = (s: unknown) => t(`incidents.states.${String(s)}` as 'incidents.states.triggered');
  const target = t(`incidents.targets.${String(d.target)}` as 'incidents.targets.respond');
  const key = `incidents.timeline.${e.type}` as 'incidents.timeline.declared';
  const text = t(key, {
    from: e.type === 'state' ? state(d.from) : String(d.from ?? ''),
    to: e.type === 'state' ? state(d.to) : String(d.to ?? ''),
    target,
    director: String(d.director ?? '-'),
    channel: String(d.channel ?? ''),
    step: String(d.step ?? ''),
    people: Array.isArray(d.people) ? d.people.join('、') : '',
    defaultValue: e.type,
  });
  return (
    <span>
      {text}
      {e.type === 'note' && `: ${String(d.body ?? '')}`}
      {typeof d.error === 'string' && <Typography.Text type="danger"> — {d.error}</Typography.Text>}
      {e.actorName && <Typography.Text type="secondary"> · {e.actorName}</Typography.Text>}
    </span>
  );
}

export function IncidentPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const me = useMe();
  const zone = me.workspace.timezone;
  const now = useNow();
  const { message } = App.useApp();
  const client = useQueryClient();
  const incident = useQuery(incidentQuery(id));
  const move = useMutation({
    mutationFn: (to: string) => transition(id, to, incident.data!.version),
    onSuccess: (data) => client.setQueryData(['incident', id], data),
    onError: (err: Error) => void message.error(err.message),
  });
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
            {(next[i.state] ?? []).map((to) => (
              <Button
                key={to}
                type={to === 'acknowledged' ? 'primary' : 'default'}
                loading={move.isPending && move.variables === to}
                onClick={() => move.mutate(to)}
              >
                {t(`incidents.actions.${to}` as 'incidents.actions.acknowledged')}
              </Button>
            ))}
          </Space>
        )
      }
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
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
                children: (
                  <Flex vertical>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatDateTime(e.at, zone, true)}
                    </Typography.Text>
                    <EntryText e={e} />
                  </Flex>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
    </Page>
  );
}
