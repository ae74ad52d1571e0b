/** HTTP side of the store in the console: a customer's orders, sending an order card, the store's settings. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ShopperContext } from '../../../shared/chat-api.ts';
import type { OrderCard } from '../../../shared/order-card.ts';
import { api, request } from '../../shared/http.ts';

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

export const shopperContextQuery = (customerId: string) =>
  queryOptions({
    queryKey: ['customer', customerId, 'context'],
    queryFn: () =>
      api.get<{ context: ShopperContext | null; geoip: boolean }>(
        `/api/customers/${encodeURIComponent(customerId)}/context`,
      ),
    refetchInterval: 30_000,
  });

/** GET /api/store/orders/:orderNo: any customer's order (agents check what a shopper says). */
export const storeOrderQuery = (orderNo: string) =>
  queryOptions({
    queryKey: ['store-order', orderNo],
    queryFn: () => api.get<StoreOrder>(`/api/store/orders/${encodeURIComponent(orderNo)}`),
    staleTime: 30_000,
    retry: false,
  });
/** One order number written two ways ("#1001" and "1001", any case). */
export const sameOrderNo = (a: string, b: string): boolean =>
  a.replace(/^#/, '').toLowerCase() === b.replace(/^#/, '').toLowerCase();

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

export type StoreSettings = {
  adapter: 'demo' | 'shopify';
  baseUrl: string | null;
  tokenSet: boolean;
  webhookSecretSet: boolean;
  webhookPath: string;
};
/** Secrets are write-only: left out, the stored ones are kept. */
export type StoreSettingsBody = {
  adapter: 'demo' | 'shopify';
  baseUrl: string | null;
  token?: string;
  webhookSecret?: string;
};
export type StoreTestResult =
  { ok: true; shop: { name: string; domain: string | null }; ms: number } | { ok: false; error: string };

export const storeSettingsQuery = () =>
  queryOptions({ queryKey: ['store-settings'], queryFn: () => api.get<StoreSettings>('/api/store/settings') });

export function useSaveStoreSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: StoreSettingsBody) => request<StoreSettings>('PUT', '/api/store/settings', body),
    onSuccess: (data) => client.setQueryData(['store-settings'], data),
  });
}

/** Calls the shop with the typed address and token (the stored ones for what is left out). */
export function useTestStore() {
  return useMutation({
    mutationFn: (body: { baseUrl?: string; token?: string }) =>
      api.post<StoreTestResult>('/api/store/settings/test', body),
  });
}
