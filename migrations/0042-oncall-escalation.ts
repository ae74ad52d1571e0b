import type { Kysely } from 'kysely';

/**
 * On-call and escalation (module `incidents`):
 * - oncall_rotations: daily/weekly hand-offs at a local time in a zone, participants in turn;
 *   `kind` normal, or promotion (the roster used inside the contract's promotion windows);
 * - oncall_overrides: someone else for an interval;
 * - escalation_policies: one per workspace, ordered steps (whom to notify, then wait N min),
 *   repeated K times, and how long an acknowledgement may go without progress;
 * - incident_escalations: where each incident stands in its policy (claimed by compare-and-set
 *   on `next_at`, so two nodes never send a step twice).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ws = (c: any) => c.notNull().references('workspaces.id');
  await db.schema
    .createTable('oncall_rotations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', ws)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oncall_rotations_ws').on('oncall_rotations').columns(['workspace_id']).execute();
  await db.schema
    .createTable('oncall_overrides')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', ws)
    .addColumn('rotation_id', 'text', (c) => c.notNull().references('oncall_rotations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('end_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('oncall_overrides_rotation')
    .on('oncall_overrides')
    .columns(['rotation_id', 'end_at'])
    .execute();
  await db.schema
    .createTable('escalation_policies')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('incident_escalations')
    .addColumn('incident_id', 'text', (c) => c.primaryKey().references('incidents.id'))
    .addColumn('workspace_id', 'text', ws)
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('next_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_escalations_due').on('incident_escalations').columns(['next_at']).execute();
}
