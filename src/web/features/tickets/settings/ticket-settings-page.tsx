import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Page } from '../../../shared/page.tsx';
import { FieldsTab } from './fields-tab.tsx';
import { GroupsTab } from './groups-tab.tsx';
import { MacrosTab } from './macros-tab.tsx';
import { TypesTab } from './types-tab.tsx';

const tabs = ['types', 'fields', 'groups', 'macros'] as const;
type Tab = (typeof tabs)[number];

/** Settings → Tickets: types, custom fields, groups and macros. */
export function TicketSettingsPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const tab = (tabs as readonly string[]).includes(search.get('tab') ?? '') ? (search.get('tab') as Tab) : 'types';

  return (
    <Page title={t('tickets.settings.title')} subtitle={t('tickets.settings.subtitle')}>
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={tab}
          onChange={(key) => setSearch({ tab: key }, { replace: true })}
          items={[
            { key: 'types', label: t('tickets.settings.tabs.types'), children: <TypesTab /> },
            { key: 'fields', label: t('tickets.settings.tabs.fields'), children: <FieldsTab /> },
            { key: 'groups', label: t('tickets.settings.tabs.groups'), children: <GroupsTab /> },
            { key: 'macros', label: t('tickets.settings.tabs.macros'), children: <MacrosTab /> },
          ]}
        />
      </Card>
    </Page>
  );
}
