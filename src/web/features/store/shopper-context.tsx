import { Descriptions, Tooltip, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format.ts';
import { useMe } from '../auth/session.ts';
import { shopperContextQuery } from './api.ts';

/**
 * Where the shopper is (the widget's last report): page, referrer, device, browser, time zone, and
 * the city when the installation has a GeoIP database ("unknown" for an address it does not hold);
 * first, the order number the shopper gave in the pre-chat form (the orders panel looks it up).
 */
export function ShopperContextPanel({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const q = useQuery(shopperContextQuery(customerId));
  const c = q.data?.context;
  if (!c) return <Typography.Text type="secondary">{t('store.noContext')}</Typography.Text>;
  const link = (url: string | null, text?: string | null) =>
    url ? (
      <Typography.Link href={url} target="_blank" rel="noopener noreferrer nofollow" ellipsis style={{ maxWidth: 180 }}>
        {text || url}
      </Typography.Link>
    ) : (
      '—'
    );
  return (
    <Descriptions
      column={1}
      size="small"
      colon={false}
      styles={{ label: { width: 72, whiteSpace: 'nowrap' } }}
      data-testid="shopper-context"
    >
      {c.orderNo && (
        <Descriptions.Item label={t('store.orderNo')}>
          <Tooltip title={t('store.givenOrderHint')}>
            <Typography.Text copyable strong data-testid="shopper-order-no">
              {c.orderNo}
            </Typography.Text>
          </Tooltip>
        </Descriptions.Item>
      )}
      <Descriptions.Item label={t('store.page')}>{link(c.url, c.title)}</Descriptions.Item>
      <Descriptions.Item label={t('store.referrer')}>{link(c.referrer)}</Descriptions.Item>
      <Descriptions.Item label={t('store.device')}>
        {[c.device ? t(`store.devices.${c.device}`, { defaultValue: c.device }) : null, c.os, c.browser]
          .filter(Boolean)
          .join(' · ') || '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('store.timeZone')}>{c.timeZone ?? '—'}</Descriptions.Item>
      {(c.city || q.data?.geoip) && (
        <Descriptions.Item label={t('store.city')}>{c.city ?? t('store.cityUnknown')}</Descriptions.Item>
      )}
      <Descriptions.Item label={t('store.seenAt')}>
        {formatDateTime(c.updatedAt, me.workspace.timezone)}
      </Descriptions.Item>
    </Descriptions>
  );
}
