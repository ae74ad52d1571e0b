import type { Kysely } from 'kysely';

/**
 * The Shopify adapter: its webhook secret (encrypted) beside the access token, a local cache of the
 * shop's orders that HMAC-verified webhooks keep current (the order as Shopify sent it, encrypted:
 * it holds addresses; found by order number, by Shopify's order id and by its customer id), and the
 * webhook ids already applied (a replayed delivery is not applied twice).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('store_settings').addColumn('webhook_secret_enc', 'text').execute();
  await db.schema
    .createTable('store_remote_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('order_no', 'text', (c) => c.notNull())
    .addColumn('remote_id', 'text', (c) => c.notNull())
    .addColumn('customer_ref', 'text') // the platform's customer id
    .addColumn('data_enc', 'text', (c) => c.notNull()) // encrypted JSON: the platform's order (+ tracking events)
    .addColumn('source', 'text', (c) => c.notNull()) // 'api' | 'webhook'
    .addColumn('remote_updated_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('fetched_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('store_remote_orders_no_uq')
    .on('store_remote_orders')
    .columns(['workspace_id', 'order_no'])
    .unique()
    .execute();
  await db.schema
    .createIndex('store_remote_orders_remote_idx')
    .on('store_remote_orders')
    .columns(['workspace_id', 'remote_id'])
    .execute();
  await db.schema
    .createIndex('store_remote_orders_customer_idx')
    .on('store_remote_orders')
    .columns(['workspace_id', 'customer_ref', 'created_at'])
    .execute();
  await db.schema
    .createTable('store_webhook_receipts')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('store_webhook_receipts_pk', ['workspace_id', 'webhook_id'])
    .execute();
  await db.schema
    .createIndex('store_webhook_receipts_at_idx')
    .on('store_webhook_receipts')
    .columns(['received_at'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
