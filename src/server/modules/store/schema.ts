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
  updated_at: string;
};
export type StoreTables = {
  store_orders: StoreOrdersTable;
  store_shipments: StoreShipmentsTable;
  store_settings: StoreSettingsTable;
};

export const own = (e: Executor) => tablesOf<StoreTables>(e);
