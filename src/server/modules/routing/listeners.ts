/**
 * Routing follows the conversations: a new one joins the queue; a resolved one frees its agent's
 * seat (the next waiting one is assigned at once); a reopened one queues again; an assignment made
 * by hand (the conversation page, an agent answering) takes the conversation out of routing's
 * capacity accounting ("manual") and gives back the routed seat.
 */
import type { Services } from '../../context.ts';
import type { DomainEvent } from '../../lib/events/index.ts';
import type { ModuleListener } from '../../module.ts';
import { botAnswersIn } from '../bot/index.ts';
import { getConversationRow } from '../conversations/index.ts';
import { arrive, finish } from './assigner.ts';
import { boostOf, hintsOf } from './priorities.ts';
import { routingOn, ruleFor, rulesOf, type Rules } from './rules.ts';
import { own } from './schema.ts';
import { followAssignee } from './transfer.ts';
import { clearLeft } from './leave.ts';

/** Complaint and order-value priority of a conversation joining the queue (tier is added by `arrive`). */
async function extra(
  s: Services,
  rules: Rules,
  ws: string,
  id: string,
  inboxId: string | null,
  customerId: string | null,
  intent: string | null = null,
): Promise<number> {
  const rule = ruleFor(rules, inboxId);
  if (!rule.enabled) return 0;
  return boostOf(rule, await hintsOf(s, rule, ws, id, customerId, intent));
}

async function onCreated(e: DomainEvent<'conversation.created'>, s: Services): Promise<void> {
  const rules = await rulesOf(s, e.workspaceId);
  if (!routingOn(rules) || !e.objectId) return;
  // Where the bot answers first now, the conversation joins the queue when the bot hands it off; where
  // its mode keeps it silent (agents present, business hours), people take it at once.
  if (await botAnswersIn(s, e.workspaceId, e.data.inboxId, s.clock.now())) return;
  await arrive(
    s,
    {
      workspaceId: e.workspaceId,
      id: e.objectId,
      kind: 'chat',
      inboxId: e.data.inboxId,
      customerId: e.data.customerId,
      priority: await extra(s, rules, e.workspaceId, e.objectId, e.data.inboxId, e.data.customerId),
    },
    rules,
  );
}

/** The bot gave a conversation to people: it joins the queue now (once: `arrive` ignores a known item). */
async function onHandedOff(e: DomainEvent<'bot.handed_off'>, s: Services): Promise<void> {
  const rules = await rulesOf(s, e.workspaceId);
  if (!routingOn(rules) || !e.objectId) return;
  const conv = await getConversationRow(s, e.workspaceId, e.objectId);
  if (conv.assignee_id || conv.status === 'resolved') return;
  await arrive(
    s,
    {
      workspaceId: e.workspaceId,
      id: e.objectId,
      kind: 'chat',
      inboxId: conv.inbox_id,
      customerId: conv.customer_id,
      // The bot's classification travels with the hand-off: a complaint moves forward.
      priority: await extra(s, rules, e.workspaceId, e.objectId, conv.inbox_id, conv.customer_id, e.data.intent),
    },
    rules,
  );
}

async function onUpdated(e: DomainEvent<'conversation.updated'>, s: Services): Promise<void> {
  const id = e.objectId;
  if (!id) return;
  const db = own(s.db);
  const item = await db.selectFrom('routing_items').selectAll().where('id', '=', id).executeTakeFirst();
  const status = e.data.status;
  if (status?.to === 'resolved') {
    if (item) await finish(s, e.workspaceId, id);
    return;
  }
  if (status?.from === 'resolved' && item?.state === 'done') {
    const rules = await rulesOf(s, e.workspaceId);
    if (item.left_as) await clearLeft(s, id);
    await arrive(
      s,
      {
        workspaceId: e.workspaceId,
        id,
        kind: 'chat',
        inboxId: item.inbox_id,
        customerId: item.customer_id,
        priority: await extra(s, rules, e.workspaceId, id, item.inbox_id, item.customer_id),
      },
      rules,
    );
    return;
  }
  const change = e.data.assignee;
  if (!change || !item) return;
  await followAssignee(s, e.workspaceId, item, {
    from: (change.from as string | null) ?? null,
    to: (change.to as string | null) ?? null,
  });
}

export const routingListeners: readonly ModuleListener[] = [
  {
    name: 'conversation_created',
    on: ['conversation.created'],
    handle: (e, s) => onCreated(e as DomainEvent<'conversation.created'>, s),
  },
  {
    name: 'bot_handed_off',
    on: ['bot.handed_off'],
    handle: (e, s) => onHandedOff(e as DomainEvent<'bot.handed_off'>, s),
  },
  {
    name: 'conversation_updated',
    on: ['conversation.updated'],
    handle: (e, s) => onUpdated(e as DomainEvent<'conversation.updated'>, s),
  },
];
