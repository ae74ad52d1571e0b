import type { Kysely } from 'kysely';

/**
 * Offline messages used to carry the shopper's name and phone or e-mail in plain text: appended to
 * the message ("…\n\n— 王小明 (13800138000)"), as the sender name, and from there in the inbox
 * preview and in the ticket made from the message (its description, its transcript, customer
 * replies). The contact was also written to the customer's encrypted profile then, so it is not
 * lost: this removes the plain copies. (Freed database pages keep old bytes until they are reused;
 * docs/OPERATIONS.md says how to VACUUM.)
 */
const batch = 500;

/** The message without the signature line the offline form used to append, or null when it has none. */
export function withoutSignature(body: string): string | null {
  const at = body.lastIndexOf('\n\n— ');
  if (at < 0 || body.slice(at + 4).includes('\n')) return null;
  return body.slice(0, at);
}

type Row = {
  id: string;
  workspace_id: string;
  conversation_id: string;
  client_id: string | null;
  body: string;
  sender_name: string | null;
};
type Transcript = { seq: number; sender: string; body: string; at: string }[];

export async function up(db: Kysely<any>): Promise<void> {
  let after = '';
  for (;;) {
    const rows = (await db
      .selectFrom('messages')
      .select(['id', 'workspace_id', 'conversation_id', 'client_id', 'body', 'sender_name'])
      .where('sender_type', '=', 'customer')
      .where('client_id', 'like', 'offline%')
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch)
      .execute()) as Row[];
    if (!rows.length) return;
    after = rows[rows.length - 1].id;
    for (const m of rows) {
      if (!m.client_id?.startsWith('offline_')) continue;
      const body = withoutSignature(m.body) ?? m.body;
      if (body === m.body && m.sender_name === null) continue;
      await db.updateTable('messages').set({ body, sender_name: null }).where('id', '=', m.id).execute();
      await db
        .updateTable('conversations')
        .set({ last_message_preview: body.slice(0, 140) })
        .where('id', '=', m.conversation_id)
        .where('last_message_preview', '=', m.body.slice(0, 140))
        .execute();
      await redactTickets(db, m, body);
    }
  }
}

/** The ticket made from (or fed by) the message: description, customer replies, the transcript it copied. */
async function redactTickets(db: Kysely<any>, m: Row, body: string): Promise<void> {
  await db
    .updateTable('ticket_events')
    .set({ body })
    .where('workspace_id', '=', m.workspace_id)
    .where('body', '=', m.body)
    .execute();
  const created = (await db
    .selectFrom('ticket_events')
    .innerJoin('tickets', 'tickets.id', 'ticket_events.ticket_id')
    .select(['ticket_events.id', 'ticket_events.data'])
    .where('tickets.conversation_id', '=', m.conversation_id)
    .where('ticket_events.type', '=', 'created')
    .execute()) as { id: string; data: string }[];
  for (const e of created) {
    const data = JSON.parse(e.data) as { transcript?: Transcript };
    let changed = false;
    for (const line of data.transcript ?? []) {
      if (line.body !== m.body) continue;
      line.body = body;
      if (m.sender_name !== null && line.sender === m.sender_name) line.sender = 'customer';
      changed = true;
    }
    if (changed)
      await db
        .updateTable('ticket_events')
        .set({ data: JSON.stringify(data) })
        .where('id', '=', e.id)
        .execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('Kefu migrations are forward-only; restore a backup to go back.');
}
