/**
 * 运维 → 监控. With `installation.ops`: the live overview, probes, alert rules (with a "test this
 * expression" box) and silences. Everyone else with `ops.read`: the read-only health of the
 * components their workspace depends on, with a link to its public status page.
 */
import { Card, Flex, Progress, Tabs, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { useCan, useMe } from '../auth/session.ts';
import { healthQuery } from './api.ts';
import { statusColors, UptimeBars } from './status.tsx';
import { Overview } from './overview.tsx';
import { ProbesTab } from './probes-tab.tsx';
import { RulesTab } from './rules-tab.tsx';
import { SilencesTab } from './silences-tab.tsx';

export function MonitoringPage() {
  const can = useCan();
  return can('installation.ops') ? <OpsMonitoring /> : <WorkspaceHealth />;
}

function OpsMonitoring() {
  const { t } = useTranslation();
  return (
    <Page title={t('monitoring.title')} subtitle={t('monitoring.subtitle')}>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'overview', label: t('monitoring.tabs.overview'), children: <Overview /> },
          { key: 'probes', label: t('monitoring.tabs.probes'), children: <ProbesTab /> },
          { key: 'rules', label: t('monitoring.tabs.rules'), children: <RulesTab /> },
          { key: 'silences', label: t('monitoring.tabs.silences'), children: <SilencesTab /> },
        ]}
      />
    </Page>
  );
}

function WorkspaceHealth() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const health = useQuery(healthQuery());
  const en = i18n.language === 'en';
  return (
    <Page
      title={t('monitoring.healthTitle')}
      subtitle={t('monitoring.healthSubtitle')}
      extra={
        <Typography.Link href={`/status/${me.workspace.slug}`} target="_blank">
          {t('monitoring.statusPage')}
        </Typography.Link>
      }
    >
      {health.isError ? (
        <LoadError error={health.error} onRetry={() => void health.refetch()} />
      ) : (
        <Flex vertical gap={12}>
          {(health.data?.items ?? []).map((c) => (
            <Card key={c.name} size="small" loading={health.isLoading}>
              <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
                <Typography.Text strong>{en ? c.titleEn : c.title}</Typography.Text>
                <Tag color={statusColors[c.status]}>{t(`monitoring.status.${c.status}`)}</Tag>
              </Flex>
              <UptimeBars c={c} />
              <Progress
                percent={c.uptime90d === null ? 0 : +(c.uptime90d * 100).toFixed(2)}
                size="small"
                format={(p) => (c.uptime90d === null ? '—' : `${p}%`)}
              />
            </Card>
          ))}
        </Flex>
      )}
    </Page>
  );
}
