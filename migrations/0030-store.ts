import type { Kysely } from 'kysely';

/**
 * The store integration: the built-in demo store's orders and shipments (receivers' personal data
 * encrypted), and each workspace's store connection (which adapter; a third-party token encrypted).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ws = (c: any) => c.notNull().references('workspaces.id');
  await db.schema
    .createTable('store_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', ws)
    .addColumn('order_no', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull()) // JSON [{name, sku, qty, price}]
    .addColumn('total', 'integer', (c) => c.notNull()) // cents
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('receiver_enc', 'text') // encrypted JSON {name, phone, address}
    .addColumn('refund', 'text') // JSON {status, amount, at} or null
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('paid_at', 'text')
    .addColumn('shipped_at', 'text')
    .addColumn('delivered_at', 'text')
    .execute();
  await db.schema
    .createIndex('store_orders_no_uq')
    .on('store_orders')
    .columns(['workspace_id', 'order_no'])
    .unique()
    .execute();
  await db.schema
    .createIndex('store_orders_customer_idx')
    .on('store_orders')
    .columns(['customer_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('store_shipments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', ws)
    .addColumn('order_id', 'text', (c) => c.notNull().references('store_orders.id').onDelete('cascade'))
    .addColumn('carrier', 'text', (c) => c.notNull())
    .addColumn('tracking_no', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull()) // JSON [{at, location, text}], newest last
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('store_shipments_order_idx').on('store_shipments').columns(['order_id']).execute();
  await db.schema
    .createTable('store_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('adapter', 'text', (c) => c.notNull())
    .addColumn('base_url', 'text')
    .addColumn('token_enc', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
