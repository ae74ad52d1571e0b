/**
 * What tickets feed the rollups and indexes beside their own row: their SLA outcome per report day
 * (sla module's `sla_daily`), their tags (`ticket_tags`), their searchable text (`ticket_search`).
 * Each is written in the unit of work that changes the ticket. Ticket counts by status are kept by
 * database triggers (migrations/0012-rollups.ts).
 */
import { sql } from 'kysely';
import type { SlaState } from '../../../shared/tickets-api.ts';
import type { Executor } from '../../db/index.ts';
import { localDayOf, isoDateOfDay } from '../../lib/time/index.ts';
import { rebuildSlaDaily, type SlaOutcome } from '../sla/index.ts';
import { getWorkspace } from '../workspaces/index.ts';
import { own, type TicketsTable } from './schema.ts';

/** The day (YYYY-MM-DD, the workspace's time zone) a ticket created at `at` counts on in reports. */
export async function reportDay(s: { db: Executor }, workspaceId: string, at: Date): Promise<string> {
  const { timezone } = await getWorkspace(s, workspaceId);
  return isoDateOfDay(localDayOf(timezone, at.getTime()));
}

/** A ticket's contribution to the SLA rollup; null once merged (reports leave merged tickets out). */
export function slaOutcomeOf(
  t: Pick<TicketsTable, 'workspace_id' | 'report_day' | 'sla_state' | 'merged_into_id'>,
): SlaOutcome | null {
  if (t.merged_into_id) return null;
  const st = t.sla_state ? (JSON.parse(t.sla_state) as SlaState) : null;
  return {
    workspaceId: t.workspace_id,
    subjectType: 'ticket',
    day: t.report_day,
    policyId: st?.policyId ?? null,
    targets: st?.targets ?? {},
  };
}

/**
 * A ticket's row read inside a unit of work for a change that moves its rollups, locked on
 * PostgreSQL (FOR UPDATE) so two concurrent changes apply their differences one after the other;
 * SQLite's write transaction is already exclusive.
 */
export async function lockedTicket(s: { db: Executor; engine: string }, id: string) {
  return own(s.db)
    .selectFrom('tickets')
    .selectAll()
    .where('id', '=', id)
    .$if(s.engine === 'postgres', (q) => q.forUpdate())
    .executeTakeFirstOrThrow();
}

/** Rebuilds a workspace's ticket SLA rollup from the tickets themselves (repairs, bulk imports, tests). */
export async function rebuildTicketSlaRollup(s: { db: Executor }, workspaceId: string): Promise<void> {
  const rows = await own(s.db)
    .selectFrom('tickets')
    .select(['workspace_id', 'report_day', 'sla_state', 'merged_into_id'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  const outcomes = rows.map(slaOutcomeOf).filter((o) => o !== null);
  await rebuildSlaDaily(s, workspaceId, 'ticket', outcomes);
}

/** Makes the tag rows of a ticket equal to `tags`. */
export async function syncTags(db: Executor, t: { id: string; workspace_id: string }, tags: readonly string[]) {
  const want = [...new Set(tags)];
  await own(db)
    .deleteFrom('ticket_tags')
    .where('ticket_id', '=', t.id)
    .$if(want.length > 0, (q) => q.where('tag', 'not in', want))
    .execute();
  if (want.length)
    await own(db)
      .insertInto('ticket_tags')
      .values(want.map((tag) => ({ ticket_id: t.id, workspace_id: t.workspace_id, tag })))
      .onConflict((oc) => oc.columns(['ticket_id', 'tag']).doNothing())
      .execute();
}

/** Appends a timeline text to the ticket's searchable text. */
export async function appendSearchText(db: Executor, ticketId: string, text: string): Promise<void> {
  await own(db)
    .updateTable('ticket_search')
    .set({ body: sql<string>`body || ${'\n' + text}` })
    .where('ticket_id', '=', ticketId)
    .execute();
}

/** Replaces the subject at the start of the ticket's searchable text. */
export async function replaceSearchSubject(db: Executor, ticketId: string, from: string, to: string): Promise<void> {
  const row = await own(db)
    .selectFrom('ticket_search')
    .select('body')
    .where('ticket_id', '=', ticketId)
    .executeTakeFirst();
  if (!row) return;
  const rest = row.body.startsWith(from) ? row.body.slice(from.length) : `\n${row.body}`;
  await own(db)
    .updateTable('ticket_search')
    .set({ body: to + rest })
    .where('ticket_id', '=', ticketId)
    .execute();
}
