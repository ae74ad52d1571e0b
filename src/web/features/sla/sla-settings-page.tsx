import { Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import { Page } from '../../shared/page.tsx';
import { CalendarsCard } from './calendars-card.tsx';
import { PoliciesCard } from './policies-card.tsx';

/** Settings → SLA: the ordered policies, and the working calendars they count business time in. */
export function SlaSettingsPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('sla.title')} subtitle={t('sla.subtitle')}>
      <Flex vertical gap={16}>
        <PoliciesCard />
        <CalendarsCard />
      </Flex>
    </Page>
  );
}
