/** HTTP side of the store in the console: a customer's orders, sending an order card. */
import { queryOptions, useMutation } from '@tanstack/react-query';
import type { OrderCard } from '../../../shared/order-card.ts';
import { api } from '../../shared/http.ts';

export type TrackingEvent = { at: string; location: string; text: string };
export type Shipment = { carrier: string; trackingNo: string; status: string; events: TrackingEvent[] };
export type StoreOrder = {
  orderNo: string;
  status: OrderCard['status'];
  items: { name: string; sku?: string; qty: number; price: number }[];
  total: number;
  currency: string;
  createdAt: string;
  paidAt: string | null;
  shippedAt: string | null;
  deliveredAt: string | null;
  receiver: { name: string; phone: string; region: string } | null;
  shipments: Shipment[];
  refund: { status: string; amount: number; at: string } | null;
};

export const customerOrdersQuery = (customerId: string) =>
  queryOptions({
    queryKey: ['customer', customerId, 'orders'],
    queryFn: () => api.get<{ items: StoreOrder[] }>(`/api/store/customers/${encodeURIComponent(customerId)}/orders`),
    staleTime: 30_000,
    retry: false,
  });

export function useSendOrderCard(conversationId: string) {
  return useMutation({
    mutationFn: (orderNo: string) =>
      api.post<{ seq: number; card: OrderCard }>(
        `/api/conversations/${encodeURIComponent(conversationId)}/order-card`,
        {
          clientId: `card-${crypto.randomUUID()}`,
          orderNo,
        },
      ),
  });
}

/** Order states' tag colours: red is kept for failures, so no order state is red. */
export const orderStatusColors: Record<OrderCard['status'], string> = {
  unpaid: 'gold',
  paid: 'cyan',
  shipped: 'blue',
  delivered: 'green',
  completed: 'green',
  cancelled: 'default',
  refunding: 'orange',
  refunded: 'default',
};
