/**
 * Priorities beyond the customer's tier, computed when a conversation joins the queue: a complaint
 * (the bot's intent when it hands off, or one of the rule's keywords in the shopper's latest words)
 * and the value of the shopper's order (the store's latest order of the customer: the demo store or
 * Shopify's cache). A store that cannot answer adds nothing; the conversation still queues.
 */
import type { RoutingRule } from '../../../shared/routing-api.ts';
import type { Services } from '../../context.ts';
import { getConversationRow } from '../conversations/index.ts';
import { ordersOfCustomer } from '../store/index.ts';

export type PriorityHints = { complaint: boolean; orderTotal: number | null };

/** The boost the hints earn under a rule: the complaint boost, plus the largest order-value boost reached. */
export function boostOf(rule: Pick<RoutingRule, 'complaintBoost' | 'orderValueBoosts'>, h: PriorityHints): number {
  const complaint = h.complaint ? rule.complaintBoost : 0;
  const total = h.orderTotal;
  const order =
    total === null ? 0 : Math.max(0, ...rule.orderValueBoosts.filter((b) => total >= b.atLeast).map((b) => b.boost));
  return complaint + order;
}

export const mentionsComplaint = (text: string | null, keywords: readonly string[]): boolean => {
  const t = (text ?? '').toLowerCase();
  return !!t && keywords.some((k) => t.includes(k.toLowerCase()));
};

/** What routing can learn of a conversation at arrival (the bot's intent when it handed it off). */
export async function hintsOf(
  s: Services,
  rule: RoutingRule,
  workspaceId: string,
  conversationId: string,
  customerId: string | null,
  intent: string | null = null,
): Promise<PriorityHints> {
  let complaint = intent === 'complaint';
  if (!complaint && rule.complaintKeywords.length) {
    const conv = await getConversationRow(s, workspaceId, conversationId).catch(() => null);
    complaint = mentionsComplaint(conv?.last_message_preview ?? null, rule.complaintKeywords);
  }
  let orderTotal: number | null = null;
  if (customerId && rule.orderValueBoosts.length) {
    const orders = await ordersOfCustomer(s, workspaceId, customerId, 1).catch((err: unknown) => {
      s.log.warn({ err }, 'routing: the store did not answer; no order-value priority');
      return [];
    });
    orderTotal = orders[0]?.total ?? null;
  }
  return { complaint, orderTotal };
}
