/**
 * "Assigned to you": a conversation or a ticket handed to someone by another person (or by
 * routing) gives them a notification, pushed to their browsers. Taking work yourself does not.
 */
import type { Services } from '../../context.ts';
import type { DomainEvent } from '../../lib/events/index.ts';
import { newId } from '../../lib/ids.ts';
import { getTicket, systemWho } from '../tickets/index.ts';
import { activeMembers } from '../users/index.ts';
import { queuePush } from './push.ts';
import { own } from './schema.ts';

/**
 * Stores a notification for one person and enqueues its push (in the caller's transaction). It is
 * dated at `at` (the event's time) when given: a listener that runs later, or the demo seed
 * replaying a week of history, dates it when the thing happened, not when the job ran.
 */
export async function addNotification(
  s: Services,
  n: { workspaceId: string; userId: string; type: string; data: object; link: string | null; at?: string },
): Promise<string> {
  const at = n.at ?? s.clock.now().toISOString();
  const id = newId('ntf', Date.parse(at));
  await own(s.db)
    .insertInto('notifications')
    .values({
      id,
      workspace_id: n.workspaceId,
      user_id: n.userId,
      type: n.type,
      data: JSON.stringify(n.data),
      link: n.link,
      read_at: null,
      created_at: at,
    })
    .execute();
  await queuePush(s, id, n.workspaceId);
  return id;
}

/** The new assignee, when the change hands the work to someone other than the one who made it. */
async function assignee(e: DomainEvent, s: Services): Promise<string | null> {
  const change = (e.data as Record<string, { from?: unknown; to?: unknown } | undefined>).assignee;
  const to = change?.to;
  if (typeof to !== 'string' || !to || to === e.actor.id) return null;
  const [member] = await activeMembers(s, e.workspaceId, [to]);
  return member ? member.id : null;
}

export async function notifyConversationAssigned(e: DomainEvent<'conversation.updated'>, s: Services): Promise<void> {
  const to = await assignee(e, s);
  if (!to || !e.objectId) return;
  await addNotification(s, {
    workspaceId: e.workspaceId,
    userId: to,
    type: 'conversation.assigned',
    data: { subject: { type: 'conversation', id: e.objectId, title: '' }, by: e.actor.name },
    link: `/inbox?c=${e.objectId}`,
    at: e.at,
  });
}

/** An agent's note names people with @: each of them (still active) is told, with a link to the conversation. */
export async function notifyMentioned(e: DomainEvent<'conversation.mentioned'>, s: Services): Promise<void> {
  if (!e.objectId) return;
  const people = await activeMembers(
    s,
    e.workspaceId,
    e.data.userIds.filter((id) => id !== e.actor.id),
  );
  for (const p of people)
    await addNotification(s, {
      workspaceId: e.workspaceId,
      userId: p.id,
      type: 'mention',
      data: {
        subject: { type: 'conversation', id: e.objectId, title: '' },
        by: e.actor.name,
        messageId: e.data.messageId,
      },
      link: `/inbox?c=${e.objectId}`,
      at: e.at,
    });
}

export async function notifyTicketAssigned(e: DomainEvent<'ticket.updated'>, s: Services): Promise<void> {
  const to = await assignee(e, s);
  if (!to || !e.objectId) return;
  const ticket = await getTicket(s, systemWho(e.workspaceId), e.objectId);
  await addNotification(s, {
    workspaceId: e.workspaceId,
    userId: to,
    type: 'ticket.assigned',
    data: {
      subject: { type: 'ticket', id: ticket.id, number: ticket.number, title: ticket.subject },
      by: e.actor.name,
    },
    link: `/tickets/${ticket.id}`,
    at: e.at,
  });
}
