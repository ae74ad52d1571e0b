import type { Kysely } from 'kysely';

/** Tickets: groups, types, custom fields, calendars, SLA policies, tickets and their timeline, SLA alerts, notifications, views, macros. */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = (t: any) =>
    t.addColumn('created_at', 'text', (c: any) => c.notNull()).addColumn('updated_at', 'text', (c: any) => c.notNull());
  const ws = (c: any) => c.notNull().references('workspaces.id');

  await ts(
    db.schema
      .createTable('groups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('supervisor_id', 'text', (c) => c.references('users.id')),
  ).execute();
  await db.schema
    .createTable('group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('workspace_id', 'text', ws)
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
    .execute();

  await ts(
    db.schema
      .createTable('ticket_types')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('names', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0)),
  ).execute();
  await db.schema.createIndex('ticket_types_uq').on('ticket_types').columns(['workspace_id', 'key']).unique().execute();

  await ts(
    db.schema
      .createTable('ticket_fields')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('options', 'text', (c) => c.notNull())
      .addColumn('required_on_solve', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0)),
  ).execute();
  await db.schema
    .createIndex('ticket_fields_uq')
    .on('ticket_fields')
    .columns(['workspace_id', 'key'])
    .unique()
    .execute();

  await ts(
    db.schema
      .createTable('calendars')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull()),
  ).execute();

  await ts(
    db.schema
      .createTable('sla_policies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('conditions', 'text', (c) => c.notNull())
      .addColumn('policy', 'text', (c) => c.notNull())
      .addColumn('calendar_id', 'text', (c) => c.notNull().references('calendars.id'))
      .addColumn('escalation', 'text', (c) => c.notNull()),
  ).execute();

  await db.schema
    .createTable('ticket_counters')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .execute();

  await ts(
    db.schema
      .createTable('tickets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('priority', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('group_id', 'text', (c) => c.references('groups.id'))
      .addColumn('assignee_id', 'text', (c) => c.references('users.id'))
      .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
      .addColumn('conversation_id', 'text', (c) => c.references('conversations.id'))
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('order_no', 'text')
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('fields', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('merged_into_id', 'text')
      .addColumn('sla', 'text') // the policy + calendar snapshot, JSON
      .addColumn('sla_state', 'text') // the last computed clock, JSON, for lists
      .addColumn('next_check_at', 'text')
      .addColumn('next_deadline_at', 'text')
      .addColumn('first_response_at', 'text')
      .addColumn('solved_at', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('created_by', 'text'),
  ).execute();
  await db.schema.createIndex('tickets_number_uq').on('tickets').columns(['workspace_id', 'number']).unique().execute();
  await db.schema
    .createIndex('tickets_list_idx')
    .on('tickets')
    .columns(['workspace_id', 'status', 'updated_at'])
    .execute();
  await db.schema
    .createIndex('tickets_assignee_idx')
    .on('tickets')
    .columns(['workspace_id', 'assignee_id', 'status'])
    .execute();
  await db.schema
    .createIndex('tickets_deadline_idx')
    .on('tickets')
    .columns(['workspace_id', 'next_deadline_at'])
    .execute();
  await db.schema.createIndex('tickets_check_idx').on('tickets').column('next_check_at').execute();
  await db.schema.createIndex('tickets_conversation_idx').on('tickets').column('conversation_id').execute();

  await db.schema
    .createTable('ticket_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', ws)
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('body', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_events_ticket_idx').on('ticket_events').columns(['ticket_id', 'id']).execute();

  await db.schema
    .createTable('ticket_sla_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', ws)
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('cycle', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // One warning and one breach per target cycle, however many workers or restarts.
  await db.schema
    .createIndex('ticket_sla_alerts_uq')
    .on('ticket_sla_alerts')
    .columns(['ticket_id', 'target', 'kind', 'cycle'])
    .unique()
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', ws)
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('read_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('notifications_user_idx')
    .on('notifications')
    .columns(['user_id', 'read_at', 'id'])
    .execute();

  await ts(
    db.schema
      .createTable('ticket_views')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('user_id', 'text', (c) => c.references('users.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('query', 'text', (c) => c.notNull()),
  ).execute();

  // The open ticket a conversation feeds: the shopper's chat replies land on its timeline.
  await db.schema.alterTable('conversations').addColumn('ticket_id', 'text').execute();

  await ts(
    db.schema
      .createTable('macros')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('actions', 'text', (c) => c.notNull()),
  ).execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
