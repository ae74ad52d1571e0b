import type { Kysely } from 'kysely';

/**
 * The shopper's context as the widget last reported it (one row per customer): the page they are
 * on and where they came from, their device, browser and time zone, and the city of their address
 * when a local GeoIP database is configured. Shown to agents in the sidebar; replaced, never kept
 * as a history.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('shopper_context')
    .addColumn('customer_id', 'text', (c) => c.primaryKey().references('customers.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('page_url', 'text')
    .addColumn('page_title', 'text')
    .addColumn('referrer', 'text')
    .addColumn('device', 'text')
    .addColumn('browser', 'text')
    .addColumn('os', 'text')
    .addColumn('time_zone', 'text')
    .addColumn('language', 'text')
    .addColumn('city', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
