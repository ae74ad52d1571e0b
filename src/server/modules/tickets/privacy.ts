/**
 * A shopper's tickets for the privacy module (PIPL): what an export contains, and the erasure of
 * their personal content. Erasure keeps each ticket (its number, status, times and SLA figures stay
 * true for reports) but replaces the subject, empties every timeline text and the searchable text,
 * drops sealed field values (phone, e-mail) and attachment lists, and subject changes recorded on
 * the timeline. `compactTicketSearch` then rewrites SQLite's index so no deleted term survives.
 */
import { sql } from 'kysely';
import type { Services } from '../../context.ts';
import { own } from './schema.ts';
import { openFields } from './pii-fields.ts';

export const erasedSubject = '[erased]';

export type TicketExport = {
  number: number;
  subject: string;
  status: string;
  orderNo: string | null;
  fields: Record<string, unknown>;
  createdAt: string;
  timeline: { type: string; by: string | null; body: string | null; at: string }[];
};

async function ticketRows(s: Pick<Services, 'db'>, workspaceId: string, customerId: string) {
  return own(s.db)
    .selectFrom('tickets')
    .select(['id', 'number', 'subject', 'status', 'order_no', 'fields', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .orderBy('number')
    .execute();
}

/** The shopper's tickets with their public timeline texts (no internal notes). */
export async function ticketsForExport(
  s: Pick<Services, 'db' | 'cipher'>,
  workspaceId: string,
  customerId: string,
): Promise<TicketExport[]> {
  const out: TicketExport[] = [];
  for (const t of await ticketRows(s, workspaceId, customerId)) {
    const events = await own(s.db)
      .selectFrom('ticket_events')
      .select(['type', 'actor_name', 'body', 'created_at'])
      .where('ticket_id', '=', t.id)
      .where('body', 'is not', null)
      .where('type', '!=', 'note')
      .orderBy('id')
      .execute();
    out.push({
      number: t.number,
      subject: t.subject,
      status: t.status,
      orderNo: t.order_no,
      fields: openFields(s.cipher, JSON.parse(t.fields) as Record<string, unknown>, true),
      createdAt: t.created_at,
      timeline: events.map((e) => ({ type: e.type, by: e.actor_name, body: e.body, at: e.created_at })),
    });
  }
  return out;
}

/** Sealed values (`{ enc }`) become null, attachment lists and chat transcripts empty, anywhere in a JSON value. */
function scrub(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(scrub);
  if (typeof v !== 'object' || v === null) return v;
  if (typeof (v as { enc?: unknown }).enc === 'string') return null;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [
      k,
      k === 'attachments' || k === 'transcript' ? [] : k === 'subject' ? erasedSubject : scrub(x),
    ]),
  );
}

/** Erases the personal content of the shopper's tickets in the caller's unit of work; returns how many. */
export async function eraseTickets(s: Pick<Services, 'db'>, workspaceId: string, customerId: string): Promise<number> {
  const tickets = await ticketRows(s, workspaceId, customerId);
  for (const t of tickets) {
    await own(s.db)
      .updateTable('tickets')
      .set({ subject: erasedSubject, fields: JSON.stringify(scrub(JSON.parse(t.fields))) })
      .where('id', '=', t.id)
      .execute();
    await own(s.db).updateTable('ticket_search').set({ body: erasedSubject }).where('ticket_id', '=', t.id).execute();
    const events = await own(s.db)
      .selectFrom('ticket_events')
      .select(['id', 'type', 'data'])
      .where('ticket_id', '=', t.id)
      .execute();
    for (const e of events) {
      const data = scrub(JSON.parse(e.data)) as Record<string, unknown>;
      if (e.type === 'field' && data.field === 'subject')
        Object.assign(data, { from: erasedSubject, to: erasedSubject });
      await own(s.db)
        .updateTable('ticket_events')
        .set({ body: null, data: JSON.stringify(data) })
        .where('id', '=', e.id)
        .execute();
    }
  }
  return tickets.length;
}

/** SQLite: merges the ticket index's segments, dropping what erased texts left in them. */
export async function compactTicketSearch(s: Pick<Services, 'db' | 'engine'>): Promise<void> {
  if (s.engine === 'sqlite')
    await sql`insert into ticket_search_fts (ticket_search_fts) values ('optimize')`.execute(s.db);
}
