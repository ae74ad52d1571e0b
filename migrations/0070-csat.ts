import { sql, type Kysely } from 'kysely';

/**
 * CSAT (module `csat`):
 * - csat_settings: the survey of a workspace (`*`) or of one inbox (scale, wording, questions, link lifetime);
 * - csat_requests: one row per time a shopper was asked to rate a conversation or ticket (when it
 *   was resolved, or by hand), with the survey as it was then, the agent, inbox and customer, and
 *   the rating itself once given (score, comment, answers, rated_at). A request is rated at most
 *   once (a compare-and-set on `rated_at IS NULL`); asking again makes a new request and retires
 *   the unrated ones (`superseded_at`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ws = (c: any) => c.notNull().references('workspaces.id');

  await db.schema
    .createTable('csat_settings')
    .addColumn('workspace_id', 'text', ws)
    .addColumn('inbox_id', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('csat_settings_pk', ['workspace_id', 'inbox_id'])
    .execute();

  await db.schema
    .createTable('csat_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', ws)
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text')
    .addColumn('inbox_id', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('agent_id', 'text')
    .addColumn('survey', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('superseded_at', 'text')
    .addColumn('rated_at', 'text')
    .addColumn('score', 'integer', (c) => c.check(sql`score between 1 and 5`))
    .addColumn('comment', 'text')
    .addColumn('answers', 'text')
    .addColumn('via', 'text')
    .execute();
  await db.schema
    .createIndex('csat_requests_subject')
    .on('csat_requests')
    .columns(['subject_type', 'subject_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('csat_requests_rated')
    .on('csat_requests')
    .columns(['workspace_id', 'rated_at'])
    .execute();
  await db.schema
    .createIndex('csat_requests_agent')
    .on('csat_requests')
    .columns(['workspace_id', 'agent_id', 'rated_at'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
