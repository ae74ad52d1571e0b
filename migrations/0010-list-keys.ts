import { sql, type Kysely } from 'kysely';
import { engineOf } from '../src/server/db/index.ts';

/**
 * Lists that stay flat as the data grows: every list the console pages through reads one index in
 * its own order (keyset pagination on the sort key and the id), sort keys are columns instead of
 * CASE expressions, tags have their own table. Each index's query and plan: docs/ARCHITECTURE.md
 * ("Indexes").
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = engineOf(db) === 'postgres';
  const index = (name: string, table: string, columns: string[]) =>
    db.schema.createIndex(name).on(table).columns(columns).execute();

  // Inbox: the lists sort by updated_at (last activity); the old indexes covered last_message_at.
  await db.schema.dropIndex('conversations_list_idx').execute();
  await db.schema.dropIndex('conversations_assignee_idx').execute();
  await index('conversations_status_idx', 'conversations', ['workspace_id', 'status', 'updated_at', 'id']);
  await index('conversations_assignee_idx', 'conversations', [
    'workspace_id',
    'assignee_id',
    'status',
    'updated_at',
    'id',
  ]);

  // Sort keys as columns: the database keeps them (generated), so no write path can forget one.
  // priority_rank: higher is more urgent, so "by priority" is one descending key like the others.
  // deadline_sort: the next deadline, with "none" as a date after every real one (last in order).
  const rank = sql`case priority when 'urgent' then 3 when 'high' then 2 when 'normal' then 1 else 0 end`;
  const deadline = sql`coalesce(next_deadline_at, '9999-12-31T23:59:59.999Z')`;
  for (const [name, type, expr] of [
    ['priority_rank', 'integer', rank],
    ['deadline_sort', 'text', deadline],
  ] as const) {
    // SQLite adds generated columns as VIRTUAL only (indexable all the same); PostgreSQL STORED only.
    await db.schema
      .alterTable('tickets')
      .addColumn(name, type, (c) => (pg ? c.generatedAlwaysAs(expr).stored() : c.generatedAlwaysAs(expr)))
      .execute();
  }
  await db.schema.dropIndex('tickets_list_idx').execute();
  await db.schema.dropIndex('tickets_assignee_idx').execute();
  await db.schema.dropIndex('tickets_deadline_idx').execute();
  // view "all" in each order
  await index('tickets_updated_idx', 'tickets', ['workspace_id', 'updated_at', 'id']);
  await index('tickets_created_idx', 'tickets', ['workspace_id', 'created_at', 'id']);
  await index('tickets_priority_idx', 'tickets', ['workspace_id', 'priority_rank', 'updated_at', 'id']);
  await index('tickets_deadline_idx', 'tickets', ['workspace_id', 'deadline_sort', 'number']);
  // one status (unsolved = four of them, merged in order by the server), and one assignee's
  await index('tickets_status_idx', 'tickets', ['workspace_id', 'status', 'updated_at', 'id']);
  await index('tickets_status_deadline_idx', 'tickets', ['workspace_id', 'status', 'deadline_sort', 'number']);
  await index('tickets_assignee_idx', 'tickets', ['workspace_id', 'assignee_id', 'status', 'updated_at', 'id']);
  // exact search: an order number, a customer's tickets
  await index('tickets_order_idx', 'tickets', ['workspace_id', 'order_no']);
  await index('tickets_customer_idx', 'tickets', ['customer_id']);
  // /metrics: the oldest unsolved ticket, one index probe per status
  await index('tickets_open_age_idx', 'tickets', ['status', 'created_at']);

  // Tags in their own table: a filter is an index lookup, not LIKE over a JSON column.
  await db.schema
    .createTable('ticket_tags')
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_tags_pk', ['ticket_id', 'tag'])
    .execute();
  await index('ticket_tags_tag_idx', 'ticket_tags', ['workspace_id', 'tag', 'ticket_id']);
  const tagged = (await db.selectFrom('tickets').select(['id', 'workspace_id', 'tags']).execute()) as {
    id: string;
    workspace_id: string;
    tags: string;
  }[];
  for (const t of tagged) {
    const tags = [...new Set(JSON.parse(t.tags) as string[])];
    if (tags.length)
      await db
        .insertInto('ticket_tags')
        .values(tags.map((tag) => ({ ticket_id: t.id, workspace_id: t.workspace_id, tag })))
        .execute();
  }

  // The bell reads a person's newest notifications: (user_id, id) serves ORDER BY id directly.
  await db.schema.dropIndex('notifications_user_idx').execute();
  await index('notifications_user_idx', 'notifications', ['user_id', 'id']);

  // The audit log's filters, each newest first.
  await index('audit_log_action_idx', 'audit_log', ['workspace_id', 'action', 'id']);
  await index('audit_log_actor_idx', 'audit_log', ['workspace_id', 'actor_id', 'id']);
  await index('audit_log_object_idx', 'audit_log', ['workspace_id', 'object_type', 'id']);
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
