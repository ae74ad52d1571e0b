import { App, Button, Collapse, Empty, Flex, Skeleton, Tag, Timeline, Typography } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../../shared/order-card.ts';
import { formatDateTime } from '../../shared/format.ts';
import { LoadError } from '../../shared/load-error.tsx';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useCan, useMe } from '../auth/session.ts';
import {
  customerOrdersQuery,
  orderStatusColors,
  sameOrderNo,
  shopperContextQuery,
  storeOrderQuery,
  useSendOrderCard,
  type StoreOrder,
} from './api.ts';
import { ApiError } from '../../shared/http.ts';
import { storeOrderNoPattern } from '../../../shared/order-card.ts';

function OrderDetail({ o, zone }: { o: StoreOrder; zone: string }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={8}>
      <div>
        {o.items.map((i, n) => (
          <Flex key={n} justify="space-between" gap={8} style={{ fontSize: 13 }}>
            <Typography.Text ellipsis={{ tooltip: i.name }}>{i.name}</Typography.Text>
            <Typography.Text type="secondary" style={{ flex: 'none' }}>
              ×{i.qty} {formatMoney(i.price, o.currency)}
            </Typography.Text>
          </Flex>
        ))}
      </div>
      {o.receiver && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="order-receiver">
          {t('store.receiver')}: {[o.receiver.name, o.receiver.phone, o.receiver.region].filter(Boolean).join(' · ')}
        </Typography.Text>
      )}
      {o.refund && (
        <Typography.Text style={{ fontSize: 12 }}>
          {t('store.refund')}: {formatMoney(o.refund.amount, o.currency)} ·{' '}
          {t(`store.refundStatus.${o.refund.status}`, { defaultValue: o.refund.status })}
        </Typography.Text>
      )}
      {o.shipments.map((s) => (
        <div key={`${s.carrier}:${s.trackingNo}`} data-testid="order-shipment">
          <Typography.Text strong style={{ fontSize: 12 }}>
            {s.carrier}{' '}
            <Typography.Text copyable={{ text: s.trackingNo }} style={{ fontSize: 12 }}>
              {s.trackingNo}
            </Typography.Text>
          </Typography.Text>
          <Timeline
            style={{ marginTop: 8, marginBottom: -16 }}
            items={[...s.events]
              .sort((a, b) => b.at.localeCompare(a.at))
              .map((e, n) => ({
                color: n === 0 ? 'blue' : 'gray',
                content: (
                  <div style={{ fontSize: 12 }}>
                    <div>{e.text}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                      {[formatDateTime(e.at, zone), e.location].filter(Boolean).join(' · ')}
                    </Typography.Text>
                  </div>
                ),
              }))}
          />
        </div>
      ))}
    </Flex>
  );
}

/**
 * A customer's orders from the workspace's store, newest first, each with its items, masked
 * receiver, refund and shipments (tracking events newest first). With `conversationId` and the
 * right to answer, each order has a "send card" action that posts it into that conversation.
 * The order number the shopper gave in the pre-chat form is marked and opened; when it is not one of
 * their orders it is looked up in the store and shown first, flagged (no card: it may be someone
 * else's), or said to be missing.
 */
export function OrdersPanel({ customerId, conversationId }: { customerId: string; conversationId?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const me = useMe();
  const can = useCan();
  const orders = useQuery(customerOrdersQuery(customerId));
  const given = useQuery(shopperContextQuery(customerId)).data?.context?.orderNo ?? null;
  const listed = given ? orders.data?.items.find((o) => sameOrderNo(o.orderNo, given)) : undefined;
  const lookup = useQuery({
    ...storeOrderQuery(given ?? ''),
    enabled: !!given && orders.isSuccess && !listed && storeOrderNoPattern.test(given),
  });
  const send = useSendOrderCard(conversationId ?? '');
  const zone = me.workspace.timezone;
  if (orders.isLoading) return <Skeleton active paragraph={{ rows: 2 }} />;
  if (orders.isError) return <LoadError error={orders.error} onRetry={() => void orders.refetch()} />;
  // Not one of the customer's orders: someone else's, or mistyped.
  const foreign = lookup.data ?? null;
  const items = foreign ? [foreign, ...(orders.data?.items ?? [])] : (orders.data?.items ?? []);
  const missing =
    given &&
    !listed &&
    !foreign &&
    (!storeOrderNoPattern.test(given) || (lookup.error as ApiError | null)?.status === 404) ? (
      <Typography.Text
        type="warning"
        style={{ fontSize: 12, display: 'block', marginBottom: 8 }}
        data-testid="given-order-missing"
      >
        {t('store.givenNotFound', { orderNo: given })}
      </Typography.Text>
    ) : null;
  if (!items.length)
    return (
      <>
        {missing}
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('store.noOrders')} data-testid="orders-empty" />
      </>
    );
  const open = (listed ?? foreign ?? items[0]!).orderNo;
  return (
    <>
      {missing}
      <Collapse
        key={open}
        size="small"
        defaultActiveKey={[open]}
        data-testid="customer-orders"
        items={items.map((o) => ({
          key: o.orderNo,
          label: (
            <Flex vertical gap={2} data-testid="customer-order">
              <Flex justify="space-between" align="center" gap={6}>
                <Typography.Text strong style={{ fontSize: 13 }}>
                  {o.orderNo}
                </Typography.Text>
                <Tag color={orderStatusColors[o.status]} style={{ marginInlineEnd: 0 }}>
                  {t(`store.status.${o.status}`)}
                </Tag>
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDateTime(o.createdAt, zone)} · {formatMoney(o.total, o.currency)}
              </Typography.Text>
              {given && sameOrderNo(o.orderNo, given) && (
                <Tag color="purple" style={{ alignSelf: 'flex-start', fontSize: 11 }} data-testid="given-order">
                  {t('store.givenOrder')}
                </Tag>
              )}
            </Flex>
          ),
          extra: undefined,
          children: (
            <Flex vertical gap={8}>
              {o === foreign && (
                <Typography.Text type="warning" style={{ fontSize: 12 }} data-testid="given-order-not-theirs">
                  {t('store.givenNotTheirs')}
                </Typography.Text>
              )}
              <OrderDetail o={o} zone={zone} />
              {conversationId && o !== foreign && can('conversations.manage') && (
                <Button
                  size="small"
                  icon={<SendOutlined />}
                  loading={send.isPending && send.variables === o.orderNo}
                  onClick={() =>
                    send.mutate(o.orderNo, {
                      onSuccess: () => void message.success(t('store.cardSent')),
                      onError: (error) => void message.error(errorText(error)),
                    })
                  }
                  data-testid="send-order-card"
                >
                  {t('store.sendCard')}
                </Button>
              )}
            </Flex>
          ),
        }))}
      />
    </>
  );
}
