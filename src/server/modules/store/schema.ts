import { tablesOf, type Executor } from '../../db/index.ts';

export type StoreOrdersTable = {
  id: string;
  workspace_id: string;
  order_no: string;
  customer_id: string | null;
  status: string;
  items: string;
  total: number;
  currency: string;
  receiver_enc: string | null;
  refund: string | null;
  created_at: string;
  paid_at: string | null;
  shipped_at: string | null;
  delivered_at: string | null;
};
export type StoreShipmentsTable = {
  id: string;
  workspace_id: string;
  order_id: string;
  carrier: string;
  tracking_no: string;
  status: string;
  events: string;
  updated_at: string;
};
export type StoreSettingsTable = {
  workspace_id: string;
  adapter: string;
  base_url: string | null;
  token_enc: string | null;
  webhook_secret_enc: string | null;
  updated_at: string;
};
/** The cache of a third-party store's orders (migration 0110). */
export type StoreRemoteOrdersTable = {
  id: string;
  workspace_id: string;
  order_no: string;
  remote_id: string;
  customer_ref: string | null;
  data_enc: string;
  source: 'api' | 'webhook';
  remote_updated_at: string;
  created_at: string;
  fetched_at: string;
};
export type StoreWebhookReceiptsTable = {
  workspace_id: string;
  webhook_id: string;
  topic: string;
  received_at: string;
};
export type StoreTables = {
  store_orders: StoreOrdersTable;
  store_shipments: StoreShipmentsTable;
  store_settings: StoreSettingsTable;
  store_remote_orders: StoreRemoteOrdersTable;
  store_webhook_receipts: StoreWebhookReceiptsTable;
};

export const own = (e: Executor) => tablesOf<StoreTables>(e);
