import type { Kysely } from 'kysely';

/**
 * Incident notifications (module `incidents`):
 * - incident_channels: a workspace's notifiers (e-mail, WeCom/DingTalk/Feishu robots, SMS
 *   gateway, signed webhooks); their config encrypted (robot secrets, tokens);
 * - incident_deliveries: one per message and channel, sent by a job with retries and back-off;
 * - incident_ack_tokens: one-click acknowledge links, stored by their SHA-256, single-use, expiring.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ws = (c: any) => c.notNull().references('workspaces.id');
  await db.schema
    .createTable('incident_channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', ws)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_channels_ws').on('incident_channels').columns(['workspace_id']).execute();

  await db.schema
    .createTable('incident_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', ws)
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('channel_id', 'text', (c) => c.notNull().references('incident_channels.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_deliveries_incident')
    .on('incident_deliveries')
    .columns(['incident_id'])
    .execute();
  await db.schema
    .createIndex('incident_deliveries_status')
    .on('incident_deliveries')
    .columns(['workspace_id', 'status'])
    .execute();

  await db.schema
    .createTable('incident_ack_tokens')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('workspace_id', 'text', ws)
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
