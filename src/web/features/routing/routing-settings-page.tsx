/**
 * 分配与满意度 (`/settings/routing`, settings.manage): the assignment rule of the workspace and of
 * each inbox, each group's policy, agents' capacity and skills, surge mode, and the CSAT survey of
 * the workspace and of each inbox.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Select, Skeleton, Tabs } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SurgeState } from '../../../shared/routing-api.ts';
import { api } from '../../shared/http.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { csatSettingsQuery } from '../csat/api.ts';
import { CsatSettingsForm } from '../csat/csat-settings-form.tsx';
import { inboxesQuery } from '../inboxes/api.ts';
import { groupsQuery } from '../tickets/config-api.ts';
import { AgentsTable } from './agents-table.tsx';
import { rulesQuery, warRoomQuery } from './api.ts';
import { GroupPolicies } from './group-policies.tsx';
import { RuleForm } from './rule-form.tsx';
import { SurgePanel } from './surge-panel.tsx';

function ScopePicker({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const inboxes = useQuery(inboxesQuery());
  return (
    <Select
      data-testid="scope"
      aria-label={t('routing.settings.scope')}
      value={value}
      onChange={onChange}
      style={{ width: '100%', maxWidth: 360, marginBottom: 16 }}
      options={[
        { value: '*', label: t('routing.settings.wholeWorkspace') },
        ...(inboxes.data?.items ?? []).map((i) => ({
          value: i.id,
          label: t('routing.settings.inboxScope', { name: i.name }),
        })),
      ]}
    />
  );
}

function RulesTab() {
  const [scope, setScope] = useState('*');
  const rules = useQuery(rulesQuery());
  const groups = useQuery(groupsQuery());
  if (rules.isError) return <LoadError error={rules.error} onRetry={() => void rules.refetch()} />;
  if (!rules.data) return <Skeleton active />;
  const own = scope === '*' ? rules.data.base : rules.data.byInbox[scope];
  return (
    <>
      <ScopePicker value={scope} onChange={setScope} />
      <RuleForm
        key={scope}
        scope={scope}
        rule={own ?? rules.data.base}
        inherited={!own}
        groups={groups.data?.items ?? []}
      />
    </>
  );
}

function GroupsTab() {
  const rules = useQuery(rulesQuery());
  const groups = useQuery(groupsQuery());
  if (!rules.data || !groups.data) return <Skeleton active />;
  return <GroupPolicies groups={groups.data.items} byGroup={rules.data.byGroup} />;
}

function AgentsTab() {
  const room = useQuery(warRoomQuery());
  if (room.isError) return <LoadError error={room.error} onRetry={() => void room.refetch()} />;
  return room.data ? <AgentsTable agents={room.data.agents} /> : <Skeleton active />;
}

function SurgeTab() {
  const surge = useQuery({
    queryKey: ['routing', 'surge'],
    queryFn: () => api.get<SurgeState>('/api/routing/surge'),
  });
  return surge.data ? <SurgePanel surge={surge.data} /> : <Skeleton active />;
}

function CsatTab() {
  const [scope, setScope] = useState('*');
  const settings = useQuery(csatSettingsQuery());
  if (settings.isError) return <LoadError error={settings.error} onRetry={() => void settings.refetch()} />;
  if (!settings.data) return <Skeleton active />;
  return (
    <>
      <ScopePicker value={scope} onChange={setScope} />
      <CsatSettingsForm
        key={scope}
        scope={scope}
        settings={(scope !== '*' && settings.data.byInbox[scope]) || settings.data.base}
      />
    </>
  );
}

export function RoutingSettingsPage() {
  const { t } = useTranslation();
  const tab = (key: 'rules' | 'groups' | 'agents' | 'surge' | 'csat', children: ReactNode) => ({
    key,
    label: t(`routing.settings.tabs.${key}`),
    children,
  });
  return (
    <Page title={t('routing.settings.title')} subtitle={t('routing.settings.subtitle')}>
      <Card data-testid="routing-settings">
        <Tabs
          destroyOnHidden
          items={[
            tab('rules', <RulesTab />),
            tab('groups', <GroupsTab />),
            tab('agents', <AgentsTab />),
            tab('surge', <SurgeTab />),
            tab('csat', <CsatTab />),
          ]}
        />
      </Card>
    </Page>
  );
}
