import { sql, type Kysely } from 'kysely';

/**
 * The transactional outbox (events written with the change, delivered after it commits) and its
 * receipts; SLA alerts become the sla module's (any subject, not only tickets); notifications
 * store a structured payload that the console renders in the reader's language.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter.constructor.name.startsWith('Postgres');
  // seq: assigned by the database at insert, so it follows the order in which rows were written.
  await db.schema
    .createTable('outbox')
    .addColumn('seq', pg ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('aggregate', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // The dispatcher's two questions: what is due, and is an earlier event of this aggregate still open.
  await db.schema.createIndex('outbox_due_idx').on('outbox').columns(['delivered_at', 'seq']).execute();
  await db.schema.createIndex('outbox_aggregate_idx').on('outbox').columns(['aggregate', 'seq']).execute();
  await db.schema
    .createTable('outbox_receipts')
    .addColumn('listener', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('outbox_receipts_pk', ['listener', 'event_id'])
    .execute();
  await db.schema.createIndex('outbox_receipts_event_idx').on('outbox_receipts').column('event_id').execute();

  await db.schema
    .createTable('sla_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('cycle', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sla_alerts_once_uq')
    .on('sla_alerts')
    .columns(['subject_type', 'subject_id', 'target', 'kind', 'cycle'])
    .unique()
    .execute();
  await sql`insert into sla_alerts (id, workspace_id, subject_type, subject_id, target, kind, cycle, at, created_at)
    select id, workspace_id, 'ticket', ticket_id, target, kind, cycle, at, created_at from ticket_sla_alerts`.execute(
    db,
  );
  await db.schema.dropTable('ticket_sla_alerts').execute();

  // Notifications: a type and its parameters, no pre-written (English) text.
  await db.schema
    .alterTable('notifications')
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  const old = await db.selectFrom('notifications').select(['id', 'title', 'body', 'link']).execute();
  for (const n of old as { id: string; title: string; body: string; link: string | null }[]) {
    // Written as `SLA breached · #1002` / `<subject> — <target>` by the first version.
    const number = Number(/#(\d+)/.exec(n.title)?.[1] ?? 0);
    const cut = n.body.lastIndexOf(' — ');
    const data = {
      subject: {
        type: 'ticket',
        id: n.link?.split('/').pop() ?? '',
        number,
        title: cut >= 0 ? n.body.slice(0, cut) : n.body,
      },
      target: cut >= 0 ? n.body.slice(cut + 3) : '',
    };
    await db
      .updateTable('notifications')
      .set({ data: JSON.stringify(data) })
      .where('id', '=', n.id)
      .execute();
  }
  await db.schema.alterTable('notifications').dropColumn('title').execute();
  await db.schema.alterTable('notifications').dropColumn('body').execute();
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
