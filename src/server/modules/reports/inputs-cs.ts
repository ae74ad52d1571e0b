/**
 * The monthly CS report's further inputs (read-only, across modules, like inputs.ts): the team
 * (客服组) each conversation was routed to, and each inbox's business-hours calendar.
 */
import type { Calendar } from '../../lib/time/index.ts';
import type { Db } from '../../db/index.ts';
import { sql } from 'kysely';
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
      .where('r.workspace_id', '=', workspaceId)
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

/** One message row the figures need (see `loadFigureMessages`). */
export type FigureMessageRow = {
  conversation_id: string;
  sender_type: 'customer' | 'agent';
  sender_id: string | null;
  created_at: string;
  /** Only on the conversation's first shopper message (by seq): the hot questions' text. */
  body: string | null;
};

/**
 * The message rows of `conversationIds` the CS figures read, in seq order per conversation
 * (internal notes and bots never count; everything before `end`). Not every message: per
 * conversation the first shopper message by seq (with its text) and by time (the first response's
 * question), the first agent message by seq (the agent a conversation goes to) and each agent's
 * first (who wrote), the first agent message at or after the question (the first response), and
 * the shopper messages at or after `since` (the earliest first resolution among these
 * conversations: a shopper message only reopens a resolved conversation). Any message left out
 * changes none of `firstResponse`, `agentsOf`, the timeline of inputs.ts or the drill's agent.
 */
export async function loadFigureMessages(
  db: Db,
  workspaceId: string,
  conversationIds: readonly string[],
  end: string,
  since: string,
): Promise<FigureMessageRow[]> {
  if (conversationIds.length === 0) return [];
  const r = await sql<FigureMessageRow>`
    select conversation_id, sender_type, sender_id, created_at,
      case when sender_type = 'customer' and by_seq = 1 then body else null end as body
    from (
      select m.*,
        row_number() over (
          partition by conversation_id, sender_type, case when created_at >= asked_at then 1 else 0 end
          order by created_at, seq
        ) as by_time_after
      from (
        select conversation_id, sender_type, sender_id, created_at, seq, body,
          row_number() over (partition by conversation_id, sender_type order by seq) as by_seq,
          row_number() over (partition by conversation_id, sender_type order by created_at, seq) as by_time,
          row_number() over (partition by conversation_id, sender_type, sender_id order by seq) as by_sender,
          min(case when sender_type = 'customer' then created_at else null end)
            over (partition by conversation_id) as asked_at
        from messages
        where workspace_id = ${workspaceId}
          and conversation_id in (${sql.join(conversationIds)})
          and kind != 'note'
          and created_at < ${end}
          and sender_type in ('customer', 'agent')
      ) m
    ) w
    where (sender_type = 'customer' and (by_seq = 1 or by_time = 1 or created_at >= ${since}))
      or (sender_type = 'agent' and (by_seq = 1 or by_sender = 1
        or (by_time_after = 1 and asked_at is not null and created_at >= asked_at)))
    order by conversation_id, seq`.execute(across(db));
  return r.rows;
}
