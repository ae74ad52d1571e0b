/**
 * Shopper data requests (PIPL): export (everything Kefu holds about one shopper, as a ZIP of JSON
 * and their files) and erasure (profile, identities, messages' content, files and search indexes,
 * irreversibly). Both are recorded — who, when, the counts, never the data — as a privacy request
 * and an audit entry.
 */
import type { Readable } from 'node:stream';
import { publish, unitOfWork, type Ctx } from '../../context.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { eraseBotTurns } from '../bot/index.ts';
import {
  compactMessageSearch,
  conversationsForExport,
  eraseConversations,
  type ExportedAttachment,
} from '../conversations/index.ts';
import {
  customerExists,
  customerForExport,
  eraseCustomerProfile,
  externalIdOf,
  getCustomerRow,
} from '../customers/index.ts';
import { eraseCachedOrders, eraseOrderReceivers, ordersForExport } from '../store/index.ts';
import { compactTicketSearch, eraseTickets, ticketsForExport } from '../tickets/index.ts';
import { own } from './schema.ts';
import { zipStream, type ZipEntry } from './zip.ts';

export type PrivacyRequest = {
  id: string;
  kind: 'export' | 'erasure';
  actorId: string | null;
  counts: Record<string, number>;
  createdAt: string;
};

async function record(ctx: Ctx, customerId: string, kind: PrivacyRequest['kind'], counts: Record<string, number>) {
  await own(ctx.db)
    .insertInto('privacy_requests')
    .values({
      id: newId('prq'),
      workspace_id: ctx.actor.workspaceId,
      customer_id: customerId,
      kind,
      actor_id: ctx.actor.userId,
      summary: JSON.stringify(counts),
      created_at: ctx.clock.now().toISOString(),
    })
    .execute();
  await publish(
    ctx,
    kind === 'export' ? 'customer.exported' : 'customer.erased',
    ctx.actor.workspaceId,
    'customer',
    customerId,
    { counts },
  );
}

const fileName = (a: ExportedAttachment) => `attachments/${a.id}-${a.name.replace(/[\\/]/g, '_')}`;

/** The shopper's data as a ZIP stream: `customer.json` (profile, conversations, tickets, file list) and `attachments/`. */
export async function exportCustomer(ctx: Ctx, customerId: string): Promise<{ filename: string; body: Readable }> {
  const ws = ctx.actor.workspaceId;
  const customer = await customerForExport(ctx, ws, customerId);
  const { conversations, attachments } = await conversationsForExport(ctx, ws, customerId);
  const tickets = await ticketsForExport(ctx, ws, customerId);
  const orders = await ordersForExport(ctx, ws, customerId);
  // Files whose blob is gone (purged by retention) are listed as missing rather than failing the export.
  const present: ExportedAttachment[] = [];
  for (const a of attachments) {
    try {
      await ctx.blobs.head(a.storageKey, 1);
      present.push(a);
    } catch {
      /* listed below as missing */
    }
  }
  const now = ctx.clock.now();
  const document = {
    format: 'kefu.customer-export.v1',
    exportedAt: now.toISOString(),
    customer,
    conversations,
    tickets,
    orders,
    attachments: attachments.map((a) => ({
      id: a.id,
      name: a.name,
      mime: a.mime,
      size: a.size,
      file: present.includes(a) ? fileName(a) : null,
    })),
  };
  const counts = {
    conversations: conversations.length,
    messages: conversations.reduce((n, c) => n + c.messages.length, 0),
    tickets: tickets.length,
    orders: orders.length,
    attachments: present.length,
  };
  await unitOfWork(ctx, (ctx) => record(ctx, customerId, 'export', counts));
  const entries: ZipEntry[] = [
    { name: 'customer.json', data: Buffer.from(JSON.stringify(document, null, 2)) },
    ...present.map((a) => ({ name: fileName(a), data: () => ctx.blobs.get(a.storageKey) })),
  ];
  return { filename: `customer-${customerId}.zip`, body: zipStream(entries, now) };
}

/**
 * Erases the shopper: the profile's personal columns and identities, every message's text, sender
 * name and files in their conversations, their tickets' texts and sealed fields, their orders'
 * receivers (name, phone, address) and the shop's orders cached for them, the pages they browsed
 * (shopper context) — in one
 * transaction; then the files are deleted and SQLite's search indexes compacted.
 */
export async function eraseCustomer(ctx: Ctx, customerId: string, confirm: string): Promise<Record<string, number>> {
  const ws = ctx.actor.workspaceId;
  if (!(await customerExists(ctx, ws, customerId))) throw notFound('customer');
  if (confirm !== customerId) throw badRequest('confirm with the customer id: erasure cannot be undone');
  const { counts, files } = await unitOfWork(ctx, async (tx) => {
    // The shop's customer id, read before the profile loses it: the shop's orders cached for it go too.
    const row = await getCustomerRow(tx, ws, customerId);
    const shopRef = externalIdOf(ctx.cipher, row);
    const profile = await eraseCustomerProfile(tx, ws, customerId);
    const chats = await eraseConversations(tx, ws, customerId);
    const tickets = await eraseTickets(tx, ws, customerId);
    const orders = (await eraseOrderReceivers(tx, ws, customerId)) + (await eraseCachedOrders(tx, ws, shopRef));
    const botTurns = await eraseBotTurns(tx, ws, chats.ids);
    const counts = {
      identities: profile.identities,
      conversations: chats.conversations,
      messages: chats.messages,
      attachments: chats.attachments,
      tickets,
      orders,
      botTurns,
    };
    await record(tx, customerId, 'erasure', counts);
    return { counts, files: chats.files };
  });
  // After the commit: a crash here leaves files no row points at (the unattached purge never sees
  // them); docs/SECURITY.md says how to find them. The index compaction runs on every erasure.
  for (const key of files) await ctx.blobs.remove(key);
  await compactMessageSearch(ctx);
  await compactTicketSearch(ctx);
  return counts;
}

/** The export and erasure requests made for a shopper, newest first. */
export async function privacyRequests(ctx: Ctx, customerId: string): Promise<PrivacyRequest[]> {
  if (!(await customerExists(ctx, ctx.actor.workspaceId, customerId))) throw notFound('customer');
  const rows = await own(ctx.db)
    .selectFrom('privacy_requests')
    .selectAll()
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .where('customer_id', '=', customerId)
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as PrivacyRequest['kind'],
    actorId: r.actor_id,
    counts: JSON.parse(r.summary) as Record<string, number>,
    createdAt: r.created_at,
  }));
}
