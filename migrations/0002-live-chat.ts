import type { Kysely } from 'kysely';

/** Live chat: inboxes, customers and their channel identities, conversations, messages, attachments, canned replies. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('inboxes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('public_id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('identity_secret', 'text', (c) => c.notNull()) // encrypted
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inboxes_ws_idx').on('inboxes').column('workspace_id').execute();

  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name_enc', 'text')
    .addColumn('phone_enc', 'text')
    .addColumn('email_enc', 'text')
    .addColumn('phone_idx', 'text')
    .addColumn('email_idx', 'text')
    .addColumn('name_idx', 'text')
    .addColumn('external_id', 'text')
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text')
    .execute();
  await db.schema.createIndex('customers_phone_idx').on('customers').columns(['workspace_id', 'phone_idx']).execute();
  await db.schema.createIndex('customers_email_idx').on('customers').columns(['workspace_id', 'email_idx']).execute();
  await db.schema.createIndex('customers_name_idx').on('customers').columns(['workspace_id', 'name_idx']).execute();
  await db.schema
    .createIndex('customers_external_idx')
    .on('customers')
    .columns(['workspace_id', 'external_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('customer_identities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('customer_identities_uq')
    .on('customer_identities')
    .columns(['workspace_id', 'channel', 'identifier'])
    .unique()
    .execute();
  await db.schema
    .createIndex('customer_identities_customer_idx')
    .on('customer_identities')
    .column('customer_id')
    .execute();

  await db.schema
    .createTable('conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('inbox_id', 'text', (c) => c.notNull().references('inboxes.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text', (c) => c.references('users.id'))
    .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_message_at', 'text')
    .addColumn('last_message_preview', 'text')
    .addColumn('agent_last_read_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('customer_last_read_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('snoozed_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('conversations_list_idx')
    .on('conversations')
    .columns(['workspace_id', 'status', 'last_message_at'])
    .execute();
  await db.schema
    .createIndex('conversations_assignee_idx')
    .on('conversations')
    .columns(['workspace_id', 'assignee_id', 'status'])
    .execute();
  await db.schema
    .createIndex('conversations_customer_idx')
    .on('conversations')
    .columns(['customer_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('client_id', 'text')
    .addColumn('sender_type', 'text', (c) => c.notNull())
    .addColumn('sender_id', 'text')
    .addColumn('sender_name', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('attachments', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('messages_seq_uq').on('messages').columns(['conversation_id', 'seq']).unique().execute();
  // A resend with the same client id (per sender) is one message.
  await db.schema
    .createIndex('messages_client_uq')
    .on('messages')
    .columns(['conversation_id', 'sender_type', 'client_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('uploader_type', 'text', (c) => c.notNull())
    .addColumn('uploader_id', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('canned_replies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('short_code', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('canned_replies_uq')
    .on('canned_replies')
    .columns(['workspace_id', 'short_code'])
    .unique()
    .execute();

  await db.schema.alterTable('users').addColumn('last_active_at', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
