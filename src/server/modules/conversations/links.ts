/** What the tickets module needs of conversations: the customer and ticket link, linking, transcripts, one message. */
import type { Services } from '../../context.ts';
import { own } from './schema.ts';

/** What the tickets module needs of a conversation: its customer and the ticket it feeds (404 → null). */
export async function conversationLink(
  s: Pick<Services, 'db'>,
  workspaceId: string,
  id: string,
): Promise<{ id: string; customerId: string; ticketId: string | null } | null> {
  const r = await own(s.db)
    .selectFrom('conversations')
    .select(['id', 'customer_id', 'ticket_id'])
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return r ? { id: r.id, customerId: r.customer_id, ticketId: r.ticket_id } : null;
}

/**
 * Sets (or clears) the ticket a conversation feeds; with `onlyIf`, only while it still feeds that
 * ticket. Runs in the caller's unit of work (the tickets module links in the ticket's transaction).
 */
export async function linkTicket(
  s: Pick<Services, 'db'>,
  conversationId: string,
  ticketId: string | null,
  onlyIf?: string,
): Promise<void> {
  let q = own(s.db).updateTable('conversations').set({ ticket_id: ticketId }).where('id', '=', conversationId);
  if (onlyIf) q = q.where('ticket_id', '=', onlyIf);
  await q.execute();
}

/** The public part of a conversation (no notes), oldest first, for a ticket made from it. */
export async function transcript(
  s: Pick<Services, 'db'>,
  conversationId: string,
  limit: number,
): Promise<{ seq: number; sender: string; body: string; at: string }[]> {
  const rows = await own(s.db)
    .selectFrom('messages')
    .select(['seq', 'sender_type', 'sender_name', 'body', 'created_at'])
    .where('conversation_id', '=', conversationId)
    .where('kind', '!=', 'note')
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((m) => ({ seq: m.seq, sender: m.sender_name ?? m.sender_type, body: m.body, at: m.created_at }));
}

/** One message's text and time (a listener reading what an event points at), or null. */
export async function messageText(
  s: Pick<Services, 'db'>,
  id: string,
): Promise<{ body: string; createdAt: string } | null> {
  const r = await own(s.db)
    .selectFrom('messages')
    .select(['body', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? { body: r.body, createdAt: r.created_at } : null;
}

/**
 * For routing's service level: the first human reply (an agent's public message, not a note) in
 * each conversation at or after the given time (its arrival in the queue). Read 500 conversations
 * a query, each one's earliest agent message by the conversation's index; a conversation whose
 * earliest agent message since the batch's earliest arrival came before its own arrival (it was
 * reopened) is asked again on its own.
 */
export async function firstHumanReplies(
  s: Pick<Services, 'db'>,
  workspaceId: string,
  items: readonly { id: string; since: string }[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const first = (ids: string[], since: string) =>
    own(s.db)
      .selectFrom('messages')
      .select(['conversation_id', (eb) => eb.fn.min<string>('created_at').as('at')])
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', 'in', ids)
      .where('sender_type', '=', 'agent')
      .where('kind', '!=', 'note')
      .where('created_at', '>=', since)
      .groupBy('conversation_id')
      .execute();
  for (let i = 0; i < items.length; i += 500) {
    const chunk = items.slice(i, i + 500);
    const since = chunk.reduce((m, x) => (x.since < m ? x.since : m), chunk[0].since);
    const found = new Map(
      (
        await first(
          chunk.map((x) => x.id),
          since,
        )
      ).map((r) => [r.conversation_id, r.at]),
    );
    for (const x of chunk) {
      const at = found.get(x.id);
      if (!at) continue;
      if (at >= x.since) out.set(x.id, at);
      else {
        const again = (await first([x.id], x.since))[0];
        if (again) out.set(x.id, again.at);
      }
    }
  }
  return out;
}
