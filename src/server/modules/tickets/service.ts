/** Tickets (工单): create from anywhere and work them through their statuses; every change on the timeline. */
import type { z } from 'zod';
import type { CreateTicketBody, Ticket, UpdateTicketBody } from '../../../shared/tickets-api.ts';
import { publish, unitOfWork, type Services } from '../../context.ts';
import { AppError, badRequest, conflict } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { conversationLink, linkTicket, transcript as transcriptOf } from '../conversations/index.ts';
import { customerExists } from '../customers/index.ts';
import { groupExists } from '../teams/index.ts';
import { assertActiveMember } from '../users/index.ts';
import { applySlaOutcomes } from '../sla/index.ts';
import { recompute } from './clock.ts';
import { replaceSearchSubject, reportDay, slaOutcomeOf, syncTags } from './rollup.ts';
import { assertType, checkFields, fieldDefs, missingOnSolve } from './fields.ts';
import { addEvent, assertTransition, getTicket, parseMaybe, ticketRow, type Who } from './model.ts';
import { redactFields, sameFields, sealFields } from './pii-fields.ts';
import { own, type TicketChange, type TicketsTable } from './schema.ts';

async function assertMember(
  s: Services,
  workspaceId: string,
  userId: string | null | undefined,
  groupId: string | null | undefined,
) {
  if (userId) await assertActiveMember(s, workspaceId, userId);
  if (groupId && !(await groupExists(s, workspaceId, groupId))) throw badRequest('no such group');
}

export type CreateInput = z.output<typeof CreateTicketBody> & { channel?: string };

export async function createTicket(s: Services, who: Who, input: CreateInput): Promise<Ticket> {
  const ws = who.workspaceId;
  const now = s.clock.now();
  const iso = now.toISOString();
  await assertType(s.db, ws, input.type, now);
  await assertMember(s, ws, input.assigneeId, input.groupId);
  const defs = await fieldDefs(s.db, ws);
  const fields = sealFields(s.cipher, defs, checkFields(defs, {}, input.fields));
  let customerId = input.customerId ?? null;
  let channel = input.channel ?? (who.actor.type === 'token' ? 'api' : 'manual');
  let transcript: { seq: number; sender: string; body: string; at: string }[] = [];
  if (input.conversationId) {
    const conv = await conversationLink(s, ws, input.conversationId);
    if (!conv) throw badRequest('no such conversation');
    if (conv.ticketId) {
      const open = await own(s.db)
        .selectFrom('tickets')
        .select(['id', 'number', 'status'])
        .where('id', '=', conv.ticketId)
        .executeTakeFirst();
      if (open && open.status !== 'closed') throw conflict(`the conversation already feeds ticket #${open.number}`);
    }
    customerId = conv.customerId;
    channel = input.channel ?? 'web';
    transcript = await transcriptOf(s, conv.id, 500);
  }
  if (customerId && !(await customerExists(s, ws, customerId))) throw badRequest('no such customer');
  const id = newId('tkt');
  const day = await reportDay(s, ws, now);
  const tags = [...new Set(input.tags)];
  await unitOfWork(s, async (s) => {
    const db = own(s.db);
    const counter = await db
      .insertInto('ticket_counters')
      .values({ workspace_id: ws, last_number: 1001 })
      .onConflict((oc) =>
        oc.column('workspace_id').doUpdateSet((eb) => ({ last_number: eb('ticket_counters.last_number', '+', 1) })),
      )
      .returning('last_number')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('tickets')
      .values({
        id,
        workspace_id: ws,
        number: counter.last_number,
        subject: input.subject,
        status: input.status,
        priority: input.priority,
        type: input.type,
        group_id: input.groupId ?? null,
        assignee_id: input.assigneeId ?? null,
        customer_id: customerId,
        conversation_id: input.conversationId ?? null,
        channel,
        order_no: input.orderNo ?? null,
        tags: JSON.stringify(tags),
        fields: JSON.stringify(fields),
        version: 1,
        merged_into_id: null,
        sla: null,
        sla_state: null,
        next_check_at: null,
        next_deadline_at: null,
        first_response_at: null,
        solved_at: null,
        closed_at: null,
        created_by: who.actor.id,
        report_day: day,
        created_at: iso,
        updated_at: iso,
      })
      .execute();
    await syncTags(s.db, { id, workspace_id: ws }, tags);
    await db.insertInto('ticket_search').values({ ticket_id: id, workspace_id: ws, body: input.subject }).execute();
    await applySlaOutcomes(
      s,
      null,
      slaOutcomeOf({ workspace_id: ws, report_day: day, sla_state: null, merged_into_id: null }),
    );
    await addEvent(
      s.db,
      { id, workspace_id: ws },
      who.actor,
      'created',
      iso,
      { status: input.status, channel, ...(transcript.length ? { transcript } : {}) },
      input.description ?? null,
    );
    if (input.conversationId) await linkTicket(s, input.conversationId, id);
    await publish(s, 'ticket.created', ws, 'ticket', id, { channel, priority: input.priority, type: input.type });
    await recompute(s, id);
  });
  return getTicket(s, who, id);
}

export type UpdateInput = z.output<typeof UpdateTicketBody>;

/** Applies a change if `version` is current (else 409); records each change on the timeline. */
export async function updateTicket(s: Services, who: Who, id: string, input: UpdateInput): Promise<Ticket> {
  const ws = who.workspaceId;
  const cur = await ticketRow(s, ws, id);
  if (cur.merged_into_id) throw badRequest('this ticket was merged; work on the ticket it was merged into');
  const now = s.clock.now();
  const iso = now.toISOString();
  if (input.status) assertTransition(cur.status, input.status);
  if (input.type && input.type !== cur.type) await assertType(s.db, ws, input.type, now);
  await assertMember(s, ws, input.assigneeId, input.groupId);
  const defs = await fieldDefs(s.db, ws);
  const stored = JSON.parse(cur.fields) as Record<string, unknown>;
  const fields = input.fields ? sealFields(s.cipher, defs, checkFields(defs, stored, input.fields)) : stored;
  if (input.status === 'solved' && cur.status !== 'solved') {
    const missing = missingOnSolve(defs, fields);
    if (missing.length)
      throw new AppError(400, 'fields_required', `fill in before solving: ${missing.join(', ')}`, missing);
  }
  const set: TicketChange = { updated_at: iso, version: cur.version + 1 };
  const changes: [string, unknown, unknown][] = [];
  const change = <K extends keyof TicketChange>(col: K, label: string, value: TicketsTable[K] | undefined) => {
    if (value === undefined || value === cur[col]) return;
    set[col] = value;
    changes.push([label, cur[col], value]);
  };
  change('subject', 'subject', input.subject);
  change('status', 'status', input.status);
  change('priority', 'priority', input.priority);
  change('type', 'type', input.type);
  change('group_id', 'group', input.groupId);
  change('assignee_id', 'assignee', input.assigneeId);
  change('order_no', 'orderNo', input.orderNo);
  if (input.tags) change('tags', 'tags', JSON.stringify([...new Set(input.tags)]));
  // Sealed values differ at every encryption: compare what they hold.
  if (input.fields && !sameFields(s.cipher, stored, fields)) change('fields', 'fields', JSON.stringify(fields));
  if (input.status === 'solved') set.solved_at = iso;
  if (input.status === 'closed') set.closed_at = iso;
  if (input.status === 'open' && cur.status === 'solved') set.solved_at = null;
  await unitOfWork(s, async (s) => {
    const r = await own(s.db)
      .updateTable('tickets')
      .set(set)
      .where('id', '=', id)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0)
      throw new AppError(
        409,
        'version_conflict',
        `the ticket changed since version ${input.version} (now ${cur.version}); reload and try again`,
      );
    if (input.tags && set.tags !== undefined) await syncTags(s.db, cur, JSON.parse(set.tags) as string[]);
    if (set.subject !== undefined) await replaceSearchSubject(s.db, id, cur.subject, set.subject);
    for (const [label, from, to] of changes) {
      await addEvent(
        s.db,
        cur,
        who.actor,
        label === 'status' ? 'status' : 'field',
        iso,
        label === 'status' ? { from, to } : { field: label, from: parseMaybe(from), to: parseMaybe(to) },
      );
    }
    if (input.status === 'closed' && cur.conversation_id) await linkTicket(s, cur.conversation_id, null, id);
    if (changes.length) {
      await publish(
        s,
        'ticket.updated',
        ws,
        'ticket',
        id,
        Object.fromEntries(
          changes.map(([l, f, t]) => [
            l,
            l === 'fields'
              ? { from: redactFields(parseMaybe(f)), to: redactFields(parseMaybe(t)) }
              : { from: parseMaybe(f), to: parseMaybe(t) },
          ]),
        ),
      );
    }
    await recompute(s, id, { rematch: changes.some(([l]) => ['priority', 'type', 'group', 'tags'].includes(l)) });
  });
  return getTicket(s, who, id);
}
