/**
 * 运维 → 故障设置: the editors behind incidents — the workspace's contract (targets, promotion
 * windows, penalty rules, the technical director and the merchant's contacts), notification
 * channels (secrets write-only, "send test"), the escalation policy, and on-call rotations
 * (layers, overrides; gaps warned when saved). Each tab is editable by the roles the API lets
 * change it and read-only otherwise.
 */
import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Page } from '../../../shared/page.tsx';
import { useCan } from '../../auth/session.ts';
import { ContractTab } from './contract-tab.tsx';
import { EscalationTab } from './escalation-tab.tsx';
import { NotifiersTab } from './notifiers-tab.tsx';
import { RotationsTab } from './rotations-tab.tsx';

const tabs = ['contract', 'notifiers', 'escalation', 'rotations'] as const;

export function IncidentSettingsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab') as (typeof tabs)[number] | null;
  // Channels are settings (owner/admin); the others are readable by everyone who sees incidents.
  const shown = tabs.filter((k) => k !== 'notifiers' || can('settings.manage'));
  const active = asked && shown.includes(asked) ? asked : shown[0];
  return (
    <Page
      title={t('incidentSettings.title')}
      subtitle={t('incidentSettings.subtitle')}
      extra={<Link to="/ops/incidents">{t('incidentSettings.back')}</Link>}
    >
      <Tabs
        activeKey={active}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        destroyOnHidden
        items={shown.map((k) => ({
          key: k,
          label: t(`incidentSettings.tabs.${k}`),
          children: {
            contract: <ContractTab editable={can('settings.manage')} />,
            notifiers: <NotifiersTab />,
            escalation: <EscalationTab editable={can('ops.manage')} />,
            rotations: <RotationsTab editable={can('ops.manage')} />,
          }[k],
        }))}
      />
    </Page>
  );
}
