import { sql, type Kysely } from 'kysely';

/**
 * An object's history in the audit log (issue #17 benchmark): the monthly customer-service report
 * reads each conversation's status changes (`conversation.updated`) for the conversations of its
 * period, 500 ids at a time. Without an index on the object the query walked every
 * `conversation.updated` row of the workspace once per 500 conversations: 600 walks of 300,000
 * rows for a busy month (quadratic; most of a 145 s report). Ids are prefixed per type, so the
 * object id alone names the object; the action follows it so that "this object's changes of this
 * kind" is one index range (with the object alone PostgreSQL's planner still preferred the action
 * index for 500 objects).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index audit_log_object_history on audit_log (workspace_id, object_id, action, created_at)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('forward only');
}
