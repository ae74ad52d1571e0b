/**
 * A waiting chat leaves the queue without an agent: the shopper left a message or asked for a
 * callback instead of waiting on (the tickets module makes the ticket from the same
 * `conversation.offline_message`), or closed the widget and did not come back within the grace
 * period (abandoned). The item is `done` with `left_as` and `left_at` (no agent, no `done_at`: it
 * was not handled, so the handling rate behind estimated waits does not count it); the change is
 * announced like any other, so the positions of those behind move at the next flush. See README.md.
 */
import { sql } from 'kysely';
import type { Services } from '../../context.ts';
import type { DomainEvent } from '../../lib/events/index.ts';
import { enqueue } from '../../lib/jobs/queue.ts';
import { routingChannel, withAssigner, type RoutingBusMessage } from './assigner.ts';
import { ruleFor, rulesOf, routingOn } from './rules.ts';
import { own } from './schema.ts';

export type LeftAs = 'message' | 'callback' | 'abandoned';
export const shopperGoneJob = 'routing.shopper_gone';

/**
 * Takes a waiting chat out of the queue (only from `queued`: an assigned one stays with its agent).
 * `unseenSince`: only if the shopper has not come back since then. Returns whether it left.
 */
export async function leaveQueue(
  s: Services,
  workspaceId: string,
  id: string,
  as: LeftAs,
  unseenSince?: string,
): Promise<boolean> {
  return withAssigner(s, workspaceId, async (s) => {
    const res = await own(s.db)
      .updateTable('routing_items')
      .set({
        state: 'done',
        left_as: as,
        left_at: s.clock.now().toISOString(),
        wait_reason: null,
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .where('workspace_id', '=', workspaceId)
      .where('state', '=', 'queued')
      .where('kind', '=', 'chat')
      .$if(!!unseenSince, (q) =>
        q.where((eb) => eb.or([eb('shopper_seen_at', 'is', null), eb('shopper_seen_at', '<', unseenSince!)])),
      )
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  });
}

/** A conversation that had left the queue reopens: waiting again, no longer "left" (before `arrive`). */
export async function clearLeft(s: Services, id: string): Promise<void> {
  await own(s.db)
    .updateTable('routing_items')
    .set({ left_as: null, left_at: null, shopper_seen_at: null })
    .where('id', '=', id)
    .where('state', '=', 'done')
    .execute();
}

/** `conversation.offline_message`: a message or a callback request left from the queue (or while offline). */
export async function onOfflineMessage(e: DomainEvent<'conversation.offline_message'>, s: Services): Promise<void> {
  if (!e.objectId) return;
  await leaveQueue(s, e.workspaceId, e.objectId, e.data.callback ? 'callback' : 'message');
}

/**
 * The gateway saw the last local connection of a waiting shopper close: unless they come back
 * within the presence grace period (`graceSeconds` of the workspace's rule), the chat is abandoned.
 * A job, never a timer (a node may die meanwhile).
 */
export async function shopperGone(s: Services, workspaceId: string, conversationId: string): Promise<void> {
  const rules = await rulesOf(s, workspaceId);
  if (!routingOn(rules)) return;
  const now = s.clock.now();
  await enqueue(s.db, s.clock, {
    type: shopperGoneJob,
    workspaceId,
    runAt: new Date(now.getTime() + ruleFor(rules, null).graceSeconds * 1000),
    payload: { conversationId, since: now.toISOString() },
    uniqueKey: `${shopperGoneJob}:${conversationId}:${now.toISOString()}`,
  });
  // The gateway only knows its own node's connections: another node may still have one.
  const gone: RoutingBusMessage = { ws: workspaceId, at: now.getTime(), gone: conversationId };
  await s.bus.publish(routingChannel, gone);
}

/** A waiting shopper (re)subscribed to their conversation: an abandonment check pending for it lets it be. */
export async function shopperBack(s: Services, workspaceId: string, conversationId: string): Promise<void> {
  await own(s.db)
    .updateTable('routing_items')
    .set({ shopper_seen_at: s.clock.now().toISOString() })
    .where('id', '=', conversationId)
    .where('workspace_id', '=', workspaceId)
    .where('state', '=', 'queued')
    .execute();
}

/** The grace period after a waiting shopper left ended: still queued and not back since → abandoned. */
export async function shopperGraceEnded(
  s: Services,
  workspaceId: string,
  p: { conversationId: string; since: string },
): Promise<boolean> {
  return leaveQueue(s, workspaceId, p.conversationId, 'abandoned', p.since);
}
