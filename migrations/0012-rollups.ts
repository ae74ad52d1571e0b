import { sql, type Kysely } from 'kysely';
import { engineOf } from '../src/server/db/index.ts';

/**
 * Rollups, kept as the data changes, so reports and /metrics never scan every ticket:
 * - ticket_status_counts: tickets by workspace and status (merged ones excluded), kept by triggers
 *   on tickets, so every write path (and every concurrent one) counts exactly;
 * - sla_daily: SLA outcomes per workspace, day (the workspace's time zone) and policy, and
 *   a histogram of elapsed minutes per target, written by the tickets module in the same unit of
 *   work as each clock change (sla module's `applySlaOutcomes`).
 * Both are filled here from the existing rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = engineOf(db) === 'postgres';

  await db.schema
    .createTable('ticket_status_counts')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_status_counts_pk', ['workspace_id', 'status'])
    .execute();
  await sql`insert into ticket_status_counts (workspace_id, status, n)
    select workspace_id, status, count(*) from tickets where merged_into_id is null group by workspace_id, status`.execute(
    db,
  );
  if (pg) {
    // Rows are locked in status order (decrement and increment sorted), so two tickets moving
    // in opposite directions at once cannot deadlock on the two counters.
    await sql`create or replace function kefu_ticket_status_count() returns trigger language plpgsql as $$
      declare
        was text := case when tg_op <> 'INSERT' and old.merged_into_id is null then old.status end;
        now_ text := case when tg_op <> 'DELETE' and new.merged_into_id is null then new.status end;
        ws text := coalesce(new.workspace_id, old.workspace_id);
      begin
        if was is not distinct from now_ then return null; end if;
        if now_ is null or (was is not null and was < now_) then
          update ticket_status_counts set n = n - 1 where workspace_id = ws and status = was;
          was := null;
        end if;
        if now_ is not null then
          insert into ticket_status_counts (workspace_id, status, n) values (ws, now_, 1)
            on conflict (workspace_id, status) do update set n = ticket_status_counts.n + 1;
        end if;
        if was is not null then
          update ticket_status_counts set n = n - 1 where workspace_id = ws and status = was;
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger tickets_status_count after insert or delete or update of status, merged_into_id
      on tickets for each row execute function kefu_ticket_status_count()`.execute(db);
  } else {
    const add = (row: 'new' | 'old', d: string) => `
      insert or ignore into ticket_status_counts (workspace_id, status, n) values (${row}.workspace_id, ${row}.status, 0);
      update ticket_status_counts set n = n ${d} where workspace_id = ${row}.workspace_id and status = ${row}.status;`;
    await sql
      .raw(
        `create trigger tickets_status_count_insert after insert on tickets when new.merged_into_id is null
          begin ${add('new', '+ 1')} end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger tickets_status_count_delete after delete on tickets when old.merged_into_id is null
          begin ${add('old', '- 1')} end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger tickets_status_count_leave after update of status, merged_into_id on tickets
          when old.merged_into_id is null begin ${add('old', '- 1')} end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger tickets_status_count_enter after update of status, merged_into_id on tickets
          when new.merged_into_id is null begin ${add('new', '+ 1')} end`,
      )
      .execute(db);
  }

  await db.schema
    .createTable('sla_daily')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull()) // YYYY-MM-DD in the workspace's time zone
    .addColumn('policy_id', 'text', (c) => c.notNull()) // '' for subjects without a policy
    .addColumn('target', 'text', (c) => c.notNull()) // '*' counts the subjects themselves
    .addColumn('outcome', 'text', (c) => c.notNull()) // met | breached | open | count
    .addColumn('bucket', 'integer', (c) => c.notNull()) // elapsed-minutes bucket; -1 when not fulfilled
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('minutes_centi', pg ? 'bigint' : 'integer', (c) => c.notNull()) // Σ elapsed minutes × 100
    .addPrimaryKeyConstraint('sla_daily_pk', [
      'workspace_id',
      'subject_type',
      'day',
      'policy_id',
      'target',
      'outcome',
      'bucket',
    ])
    .execute();
  // The day a ticket counts on in reports (its creation, in the workspace's time zone then): kept
  // on the ticket so a later change of time zone cannot move what was counted.
  await db.schema.alterTable('tickets').addColumn('report_day', 'text').execute();
  await backfillSlaDaily(db);
}

/** A frozen copy of the sla module's rollup rules as they were when this migration was written. */
async function backfillSlaDaily(db: Kysely<any>): Promise<void> {
  const zones = new Map(
    (
      (await db.selectFrom('workspaces').select(['id', 'timezone']).execute()) as { id: string; timezone: string }[]
    ).map((w) => [w.id, w.timezone]),
  );
  const fmt = new Map<string, Intl.DateTimeFormat>();
  const dayOf = (tz: string, iso: string) => {
    let f = fmt.get(tz);
    if (!f)
      fmt.set(
        tz,
        (f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })),
      );
    return f.format(new Date(iso));
  };
  const bucketOf = (m: number) => (m < 1 ? 0 : 1 + Math.floor(Math.log(m) / Math.log(1.1)));
  const rows = new Map<string, { key: string[]; n: number; c: number }>();
  const add = (key: string[], c: number) => {
    const k = key.join('\u0000');
    const r = rows.get(k) ?? { key, n: 0, c: 0 };
    r.n++;
    r.c += c;
    rows.set(k, r);
  };
  const tickets = (await db
    .selectFrom('tickets')
    .select(['id', 'workspace_id', 'created_at', 'sla_state', 'merged_into_id'])
    .execute()) as {
    id: string;
    workspace_id: string;
    created_at: string;
    sla_state: string | null;
    merged_into_id: string | null;
  }[];
  for (const t of tickets) {
    const day = dayOf(zones.get(t.workspace_id) ?? 'UTC', t.created_at);
    await db.updateTable('tickets').set({ report_day: day }).where('id', '=', t.id).execute();
    if (t.merged_into_id) continue;
    const st = t.sla_state
      ? (JSON.parse(t.sla_state) as {
          policyId: string;
          targets: Record<string, { breached: boolean; fulfilledAt: string | null; elapsedMinutes: number }>;
        })
      : null;
    const base = [t.workspace_id, 'ticket', day, st?.policyId ?? ''];
    add([...base, '*', 'count', '-1'], 0);
    for (const [target, c] of Object.entries(st?.targets ?? {})) {
      const outcome = c.breached ? 'breached' : c.fulfilledAt ? 'met' : 'open';
      const centi = Math.round(c.elapsedMinutes * 100);
      add([...base, target, outcome, c.fulfilledAt ? String(bucketOf(centi / 100)) : '-1'], c.fulfilledAt ? centi : 0);
    }
  }
  for (const { key, n, c } of rows.values()) {
    const [workspace_id, subject_type, day, policy_id, target, outcome, bucket] = key;
    await db
      .insertInto('sla_daily')
      .values({
        workspace_id,
        subject_type,
        day,
        policy_id,
        target,
        outcome,
        bucket: Number(bucket),
        n,
        minutes_centi: c,
      })
      .execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
