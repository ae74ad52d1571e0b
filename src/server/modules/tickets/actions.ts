/** Replies (through the originating channel), customer replies, merge and bulk changes. */
import type { z } from 'zod';
import type { BulkBody, TicketReplyBody } from '../../../shared/tickets-api.ts';
import { publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import { AppError, badRequest } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { attachmentsFor, linkTicket, postMessage } from '../conversations/index.ts';
import { applySlaOutcomes } from '../sla/index.ts';
import { recompute } from './clock.ts';
import { fieldDefs, missingOnSolve } from './fields.ts';
import { addEvent, assertTransition, getTicket, ticketRow, whoOf, type Who } from './model.ts';
import { lockedTicket, slaOutcomeOf, syncTags } from './rollup.ts';
import { own } from './schema.ts';
import { updateTicket } from './service.ts';

/**
 * A public reply goes out through the ticket's channel (today: its web-chat conversation; e-mail
 * and other channels plug in here) and counts as the agent's response; a note stays internal.
 */
export async function reply(s: Services, who: Who, id: string, input: z.output<typeof TicketReplyBody>) {
  const t = await ticketRow(s, who.workspaceId, id);
  if (t.merged_into_id) throw badRequest('this ticket was merged; reply on the ticket it was merged into');
  if (t.status === 'closed')
    throw new AppError(400, 'illegal_transition', 'a closed ticket takes no replies; open a follow-up ticket');
  if (input.status) assertTransition(t.status, input.status);
  if (input.status === 'solved' && t.status !== 'solved') {
    const missing = missingOnSolve(
      await fieldDefs(s.db, who.workspaceId),
      JSON.parse(t.fields) as Record<string, unknown>,
    );
    if (missing.length)
      throw new AppError(400, 'fields_required', `fill in before solving: ${missing.join(', ')}`, missing);
  }
  // Notes and replies without a chat keep attachment ids too: they must be this workspace's uploads.
  if (input.attachments?.length)
    await attachmentsFor(
      s,
      { workspaceId: who.workspaceId, type: 'agent', id: who.actor.id ?? '' },
      input.attachments.map((a) => a.id),
    );
  let delivery: 'web_chat' | 'none' = 'none';
  if (input.public && t.conversation_id && who.actor.id) {
    await postMessage(
      s,
      { type: 'agent', id: who.actor.id, name: who.actor.name, workspaceId: who.workspaceId },
      t.conversation_id,
      {
        clientId: `ticket-reply-${newId('r')}`,
        kind: 'text',
        body: input.body,
        attachments: input.attachments,
      },
    );
    delivery = 'web_chat';
  }
  const iso = s.clock.now().toISOString();
  // A reply to a new ticket opens it unless it says otherwise.
  const status = input.status ?? (input.public && t.status === 'new' ? 'open' : undefined);
  await unitOfWork(s, async (s) => {
    await addEvent(
      s.db,
      t,
      who.actor,
      input.public ? 'reply' : 'note',
      iso,
      {
        public: input.public,
        delivery,
        ...(status && status !== t.status ? { status } : {}),
        attachments: input.attachments ?? [],
      },
      input.body,
    );
    const set: Record<string, unknown> = { updated_at: iso, version: t.version + 1 };
    if (status && status !== t.status) {
      set.status = status;
      if (status === 'solved') set.solved_at = iso;
      await addEvent(s.db, t, who.actor, 'status', iso, { from: t.status, to: status });
    }
    if (input.public && !t.first_response_at) set.first_response_at = iso;
    await own(s.db).updateTable('tickets').set(set).where('id', '=', id).execute();
    await publish(s, input.public ? 'ticket.replied' : 'ticket.noted', who.workspaceId, 'ticket', id, { delivery });
    await recompute(s, id);
  });
  return getTicket(s, who, id);
}

/** The customer wrote (through the ticket's channel): a pending ticket reopens, the next-response clock starts. */
export async function customerReplied(
  s: Services,
  workspaceId: string,
  ticketId: string,
  at: string,
  body: string | null,
): Promise<void> {
  const t = await own(s.db)
    .selectFrom('tickets')
    .selectAll()
    .where('id', '=', ticketId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!t || t.status === 'closed' || t.merged_into_id) return;
  const reopen = ['pending', 'solved'].includes(t.status) ? 'open' : undefined;
  await unitOfWork(s, async (s) => {
    await addEvent(
      s.db,
      t,
      { type: 'system', id: t.customer_id, name: null },
      'customer_reply',
      at,
      reopen ? { status: reopen } : {},
      body,
    );
    if (reopen)
      await addEvent(s.db, t, { type: 'system', id: null, name: null }, 'status', at, {
        from: t.status,
        to: reopen,
        reason: 'customer replied',
      });
    await own(s.db)
      .updateTable('tickets')
      .set({ updated_at: at, version: t.version + 1, ...(reopen ? { status: reopen, solved_at: null } : {}) })
      .where('id', '=', t.id)
      .execute();
    await recompute(s, t.id);
  });
}

export async function merge(ctx: Ctx, sourceId: string, intoId: string) {
  if (sourceId === intoId) throw badRequest('a ticket cannot be merged into itself');
  const ws = ctx.actor.workspaceId;
  const src = await ticketRow(ctx, ws, sourceId);
  const dst = await own(ctx.db)
    .selectFrom('tickets')
    .selectAll()
    .where('id', '=', intoId)
    .where('workspace_id', '=', ws)
    .executeTakeFirst();
  if (!dst) throw badRequest('the target ticket does not exist in this workspace');
  if (src.merged_into_id || dst.merged_into_id) throw badRequest('a merged ticket cannot be merged again');
  if (dst.status === 'closed') throw badRequest('cannot merge into a closed ticket');
  const iso = ctx.clock.now().toISOString();
  const who = whoOf(ctx).actor;
  await unitOfWork(ctx, async (ctx) => {
    const db = own(ctx.db);
    // The merged ticket leaves the SLA report: take out exactly what it contributed.
    await applySlaOutcomes(ctx, slaOutcomeOf(await lockedTicket(ctx, src.id)), null);
    const tags = [...new Set([...(JSON.parse(dst.tags) as string[]), ...(JSON.parse(src.tags) as string[])])];
    await syncTags(ctx.db, dst, tags);
    await db
      .updateTable('tickets')
      .set({
        merged_into_id: dst.id,
        status: 'closed',
        closed_at: iso,
        updated_at: iso,
        version: src.version + 1,
        next_check_at: null,
        next_deadline_at: null,
      })
      .where('id', '=', src.id)
      .execute();
    await db
      .updateTable('tickets')
      .set({
        tags: JSON.stringify(tags),
        updated_at: iso,
        version: dst.version + 1,
        order_no: dst.order_no ?? src.order_no,
        customer_id: dst.customer_id ?? src.customer_id,
      })
      .where('id', '=', dst.id)
      .execute();
    await addEvent(ctx.db, src, who, 'merged', iso, { into: { id: dst.id, number: dst.number } });
    await addEvent(ctx.db, dst, who, 'merged_in', iso, {
      from: { id: src.id, number: src.number, subject: src.subject },
    });
    // The source's conversation now feeds the target, unless the target has a conversation of its own.
    if (src.conversation_id) await linkTicket(ctx, src.conversation_id, dst.conversation_id ? null : dst.id);
    await publish(ctx, 'ticket.merged', ws, 'ticket', src.id, { into: dst.id });
  });
  return getTicket(ctx, whoOf(ctx), dst.id);
}

/** The same change to many tickets; each is checked and recorded on its own (one may fail, the rest apply). */
export async function bulk(ctx: Ctx, input: z.output<typeof BulkBody>) {
  const results: { id: string; ok: boolean; error?: string }[] = [];
  for (const id of input.ids) {
    try {
      const t = await ticketRow(ctx, ctx.actor.workspaceId, id);
      const tags = input.set.addTags
        ? [...new Set([...(JSON.parse(t.tags) as string[]), ...input.set.addTags])]
        : undefined;
      await updateTicket(ctx, whoOf(ctx), id, {
        version: t.version,
        status: input.set.status,
        priority: input.set.priority,
        assigneeId: input.set.assigneeId,
        groupId: input.set.groupId,
        tags,
      });
      results.push({ id, ok: true });
    } catch (err) {
      results.push({ id, ok: false, error: err instanceof AppError ? err.message : 'failed' });
    }
  }
  return { results };
}
