/** Order cards (shared/order-card.ts): an agent sends one of the workspace's orders into a conversation. */
import { z } from 'zod';
import { maxCardItems, orderCardBody, type OrderCard } from '../../../shared/order-card.ts';
import type { Ctx } from '../../context.ts';
import { notFound } from '../../lib/errors.ts';
import { getConversationRow, postMessage, type Ack } from '../conversations/index.ts';
import { maskTracking, type StoreOrder } from './adapter.ts';
import { findOrder } from './service.ts';

export const OrderCardBody = z.strictObject({
  clientId: z.string().min(1).max(64),
  orderNo: z
    .string()
    .trim()
    .regex(/^#?[A-Za-z0-9-]{3,40}$/, 'an order number'),
});

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The card's snapshot of an order: the first items, the newest shipment's latest event (masked number). */
export function cardOf(o: StoreOrder): OrderCard {
  const ship = [...o.shipments]
    .map((sh) => ({ sh, last: [...sh.events].sort((a, b) => b.at.localeCompare(a.at))[0] }))
    .sort((a, b) => (b.last?.at ?? '').localeCompare(a.last?.at ?? ''))[0];
  return {
    orderNo: cut(o.orderNo, 64),
    status: o.status,
    items: o.items.slice(0, maxCardItems).map((i) => ({ name: cut(i.name, 60), qty: i.qty, price: i.price })),
    moreItems: Math.max(0, o.items.length - maxCardItems),
    total: o.total,
    currency: o.currency.slice(0, 8),
    createdAt: o.createdAt,
    tracking: ship
      ? {
          carrier: cut(ship.sh.carrier, 60),
          trackingNo: maskTracking(ship.sh.trackingNo).slice(0, 60),
          at: ship.last?.at ?? '',
          location: cut(ship.last?.location ?? '', 120),
          text: cut(ship.last?.text ?? ship.sh.status, 300),
        }
      : null,
  };
}

/** Posts the card as the agent (the chat path: ordering, acks, delivery to the widget). */
export async function sendOrderCard(
  ctx: Ctx,
  conversationId: string,
  input: z.output<typeof OrderCardBody>,
): Promise<Ack & { card: OrderCard }> {
  const ws = ctx.actor.workspaceId;
  await getConversationRow(ctx, ws, conversationId);
  const order = await findOrder(ctx, ws, input.orderNo.replace(/^#/, ''));
  if (!order) throw notFound('order');
  const card = cardOf(order);
  const ack = await postMessage(
    ctx,
    { type: 'agent', id: ctx.actor.userId, name: ctx.actor.name, workspaceId: ws },
    conversationId,
    { clientId: input.clientId, kind: 'text', body: orderCardBody(card) },
  );
  return { ...ack, card };
}
