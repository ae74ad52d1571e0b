import { Alert, Card, Col, Empty, Flex, Row, Tag, Timeline, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { useMe } from '../auth/session.ts';
import { onCallQuery, type RosterWarning } from './api.ts';
import { OnCallCalendarView } from './oncall-calendar.tsx';

/** Gaps and empty layers, as the API found them when the roster was saved (the first three gaps, then a count). */
function RosterWarnings({ warnings, zone }: { warnings: RosterWarning[]; zone: string }) {
  const { t } = useTranslation();
  if (!warnings.length) return null;
  const gaps = warnings.filter((w) => w.code === 'gap');
  const lines = [
    ...warnings.filter((w) => w.code === 'no_participants').map(() => t('incidents.oncall.noParticipants')),
    ...gaps
      .slice(0, 3)
      .map((g) =>
        t('incidents.oncall.gap', { start: formatDateTime(g.start, zone), end: formatDateTime(g.end, zone) }),
      ),
    ...(gaps.length > 3 ? [t('incidents.oncall.gapsMore', { count: gaps.length - 3 })] : []),
  ];
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginTop: 8 }}
      message={
        <Flex vertical>
          {lines.map((l) => (
            <span key={l}>{l}</span>
          ))}
        </Flex>
      }
    />
  );
}

export function OnCallPage() {
  const { t } = useTranslation();
  const zone = useMe().workspace.timezone;
  const oncall = useQuery(onCallQuery());
  const now = oncall.dataUpdatedAt || Date.now();
  return (
    <Page title={t('incidents.oncall.title')} subtitle={t('incidents.oncall.subtitle')}>
      {oncall.isError && <LoadError error={oncall.error} onRetry={() => void oncall.refetch()} />}
      {oncall.data?.promotion && (
        <Tag color="magenta" style={{ marginBottom: 12 }}>
          {t('incidents.oncall.promotion', { name: oncall.data.promotion })}
        </Tag>
      )}
      {oncall.data && !oncall.data.rotations.length && <Empty description={t('incidents.oncall.empty')} />}
      <Row gutter={[16, 16]}>
        {oncall.data?.rotations.map((r) => (
          <Col xs={24} xl={12} key={r.id}>
            <Card
              size="small"
              title={
                <Flex gap={8} align="center" wrap>
                  {r.name}
                  <Tag>{t(`incidents.oncall.kinds.${r.kind}`)}</Tag>
                  {r.active && <Tag color="green">{t('incidents.oncall.active')}</Tag>}
                </Flex>
              }
            >
              {r.layers.length > 0 && (
                <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 4 }}>
                  {t('incidents.oncall.layers', { names: r.layers.map((l) => l.name).join(' · ') })}
                </Typography.Paragraph>
              )}
              <Typography.Text strong style={{ fontSize: 12 }}>
                {t('incidents.oncall.calendar')}
              </Typography.Text>
              <OnCallCalendarView calendar={r.calendar} now={now} />
              <Timeline
                items={r.shifts.map((s, i) => ({
                  color: i === 0 ? 'green' : 'gray',
                  children: (
                    <Flex vertical>
                      <Typography.Text strong={i === 0}>
                        {s.name ?? t('incidents.nobody')}{' '}
                        {s.override && <Tag color="orange">{t('incidents.oncall.override')}</Tag>}
                        {s.layer && <Tag color="blue">{s.layer}</Tag>}
                      </Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatDateTime(s.start, zone)} – {formatDateTime(s.end, zone)}
                      </Typography.Text>
                    </Flex>
                  ),
                }))}
              />
              <RosterWarnings warnings={r.warnings} zone={zone} />
            </Card>
          </Col>
        ))}
      </Row>
    </Page>
  );
}
