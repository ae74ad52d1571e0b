import { Card, Col, Empty, Flex, Row, Tag, Timeline, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { useMe } from '../auth/session.ts';
import { onCallQuery } from './api.ts';

export function OnCallPage() {
  const { t } = useTranslation();
  const zone = useMe().workspace.timezone;
  const oncall = useQuery(onCallQuery());
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
          <Col xs={24} md={12} key={r.id}>
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
              <Timeline
                items={r.shifts.map((s, i) => ({
                  color: i === 0 ? 'green' : 'gray',
                  children: (
                    <Flex vertical>
                      <Typography.Text strong={i === 0}>
                        {s.name ?? t('incidents.nobody')}{' '}
                        {s.override && <Tag color="orange">{t('incidents.oncall.override')}</Tag>}
                      </Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatDateTime(s.start, zone)} – {formatDateTime(s.end, zone)}
                      </Typography.Text>
                    </Flex>
                  ),
                }))}
              />
              {r.warnings.map((w) => (
                <Typography.Text key={w} type="warning">
                  {w}
                </Typography.Text>
              ))}
            </Card>
          </Col>
        ))}
      </Row>
    </Page>
  );
}
