/** Store module: orders, shipments and refunds through an adapter (the built-in demo store, a third-party API). */
import type { KefuModule } from '../../module.ts';
import { storeEvents } from './events.ts';
import { storeRoutes } from './routes.ts';
import { seedStore } from './seed.ts';

/** For the bot: order lookups (masked; StoreUnavailable when the store does not answer). */
export { findOrder, ordersOfCustomer } from './service.ts';
/** The demo store's orders (tests of other modules use them too). */
export { seedStore, linkDemoOrders } from './seed.ts';
export { StoreUnavailable, maskTracking, type StoreOrder, type Shipment, type OrderStatus } from './adapter.ts';
/** A tracking event's words in the reader's language (platform statuses are codes). */
export { trackingText } from './messages.ts';
/** For the privacy module: a shopper's orders in an export, their receivers erased; key rotation batches. */
export {
  ordersForExport,
  eraseOrderReceivers,
  eraseCachedOrders,
  resealOrders,
  resealStoreSettings,
  resealRemoteOrders,
} from './reseal.ts';

/** Merging two customers: the duplicate's rows here move to the kept customer (inside the merge's transaction). */
export { moveOrdersToCustomer } from './merge.ts';

export const storeModule: KefuModule = {
  name: 'store',
  tables: ['store_orders', 'store_shipments', 'store_settings', 'store_remote_orders', 'store_webhook_receipts'],
  events: storeEvents,
  permissions: ['settings.manage', 'conversations.read', 'conversations.manage'],
  routes: storeRoutes,
  seed: seedStore,
};
