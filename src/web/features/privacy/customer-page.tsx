import { Card, Descriptions, Flex, Grid, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { Page } from '../../shared/page.tsx';
import { useMe } from '../auth/session.ts';
import { customerQuery } from './api.ts';
import { CustomerPrivacyActions } from './customer-privacy-actions.tsx';

/**
 * A minimal customer page (`/customers/:id`) until the customers feature has its own: the profile
 * as the API shows it to this role, and the privacy actions. The customers page can replace it and
 * mount <CustomerPrivacyActions customerId> instead.
 */
export function CustomerPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { id = '' } = useParams();
  const screens = Grid.useBreakpoint();
  const customer = useQuery(customerQuery(id));
  const c = customer.data;
  const none = <span style={{ color: 'var(--ant-color-text-quaternary)' }}>—</span>;

  return (
    <Page title={c?.name || t('privacy.customer')} subtitle={id}>
      {customer.isError ? (
        <LoadError error={customer.error} onRetry={() => void customer.refetch()} />
      ) : (
        <Flex vertical gap={16}>
          <Card loading={customer.isLoading}>
            {c && (
              <Descriptions column={{ xs: 1, sm: 2 }} size="small" layout={screens.sm ? 'horizontal' : 'vertical'}>
                <Descriptions.Item label={t('privacy.fields.name')}>{c.name || none}</Descriptions.Item>
                <Descriptions.Item label={t('privacy.fields.phone')}>{c.phone || none}</Descriptions.Item>
                <Descriptions.Item label={t('privacy.fields.email')}>{c.email || none}</Descriptions.Item>
                <Descriptions.Item label={t('privacy.fields.externalId')}>{c.externalId || none}</Descriptions.Item>
                <Descriptions.Item label={t('privacy.fields.identities')}>
                  {c.identities.length ? c.identities.map((i) => <Tag key={i.identifier}>{i.identifier}</Tag>) : none}
                </Descriptions.Item>
                <Descriptions.Item label={t('privacy.fields.createdAt')}>
                  {formatDateTime(c.createdAt, me.workspace.timezone)}
                </Descriptions.Item>
                {c.masked && (
                  <Descriptions.Item label="">
                    <Tag>{t('privacy.masked')}</Tag>
                  </Descriptions.Item>
                )}
              </Descriptions>
            )}
          </Card>
          <CustomerPrivacyActions customerId={id} />
        </Flex>
      )}
    </Page>
  );
}
