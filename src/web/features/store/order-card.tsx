import { Flex, Tag, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatMoney, type OrderCard } from '../../../shared/order-card.ts';
import { orderStatusColors } from './api.ts';

/** An order card in the agent's thread, as the shopper sees it in the widget. */
export function OrderCardView({ card }: { card: OrderCard }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <div
      style={{
        width: 260,
        maxWidth: '100%',
        background: token.colorBgContainer,
        border: `1px solid ${token.colorBorderSecondary}`,
        borderRadius: 10,
        padding: '8px 10px',
        whiteSpace: 'normal',
      }}
      data-testid="thread-order-card"
    >
      <Flex justify="space-between" align="center" gap={6} style={{ marginBottom: 4 }}>
        <Typography.Text strong>
          {t('store.order')} {card.orderNo}
        </Typography.Text>
        <Tag color={orderStatusColors[card.status]} style={{ marginInlineEnd: 0 }}>
          {t(`store.status.${card.status}`)}
        </Tag>
      </Flex>
      {card.items.map((i, n) => (
        <Flex key={n} justify="space-between" gap={8} style={{ fontSize: 13 }}>
          <Typography.Text ellipsis>{i.name}</Typography.Text>
          <Typography.Text type="secondary">×{i.qty}</Typography.Text>
        </Flex>
      ))}
      {card.moreItems > 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('store.moreItems', { count: card.moreItems })}
        </Typography.Text>
      )}
      <div style={{ textAlign: 'right', fontSize: 13 }}>
        {t('store.total')} <strong>{formatMoney(card.total, card.currency)}</strong>
      </div>
      {card.tracking && (
        <div
          style={{ borderTop: `1px dashed ${token.colorBorderSecondary}`, marginTop: 6, paddingTop: 6, fontSize: 12 }}
        >
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('store.latest')} · {card.tracking.carrier} {card.tracking.trackingNo}
          </Typography.Text>
          <div>{card.tracking.text}</div>
        </div>
      )}
    </div>
  );
}
