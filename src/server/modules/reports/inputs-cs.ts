/**
 * The monthly CS report's further inputs (read-only, across modules, like inputs.ts): the team
 * (客服组) each conversation was routed to, and each inbox's business-hours calendar.
 */
import type { Calendar } from '../../lib/time/index.ts';
import type { Db } from '../../db/index.ts';
import { across } from './schema.ts';

/** Conversation id → the name of the group routing put it in (conversations never routed to a group are absent). */
export async function loadConversationGroups(
  db: Db,
  workspaceId: string,
  conversationIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < conversationIds.length; i += 500) {
    const rows = await across(db)
      .selectFrom('routing_items as r')
      .innerJoin('groups as g', (j) => j.onRef('g.id', '=', 'r.group_id'))
      .select(['r.id', 'g.name'])
      // The workspace is checked on the group (an item's group is its workspace's): with it on
      // `r`, SQLite read every routing item of the workspace for each batch through an index that
      // starts with workspace_id instead of looking the 500 ids up (41 of the full bench month's
      // 59 s, docs/PERFORMANCE.md "Reports").
      .where('g.workspace_id', '=', workspaceId)
      .where('r.kind', '=', 'chat')
      .where('r.id', 'in', conversationIds.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.id, r.name);
  }
  return out;
}

/**
 * Inbox id → its calendar for the business-hours variants: the inbox's weekly hours in its zone
 * (the calendar the SLA engine runs on, no holidays: a shop decides its own days off); an inbox
 * without hours is open around the clock (null: working time equals wall time).
 */
export async function loadInboxCalendars(db: Db, workspaceId: string): Promise<Map<string, Calendar | null>> {
  const rows = await across(db)
    .selectFrom('inboxes')
    .select(['id', 'settings'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  const out = new Map<string, Calendar | null>();
  for (const r of rows) {
    const bh = (JSON.parse(r.settings) as { businessHours?: { timezone: string; hours: Calendar['hours'] } | null })
      .businessHours;
    out.set(r.id, bh ? { timezone: bh.timezone, hours: bh.hours, holidays: [], overrides: [] } : null);
  }
  return out;
}
