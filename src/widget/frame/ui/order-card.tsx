/** @jsxImportSource preact */
/** An order card an agent sent (shared/order-card.ts): drawn from the message's own snapshot, no request. */
import { formatMoney, orderCardOf, type OrderCard } from '../../../shared/order-card.ts';
import type { Message } from '../../../shared/realtime/protocol.ts';
import { fill, type Strings } from '../i18n.ts';

/** The card of an agent's or the bot's message; a shopper's text is never drawn as a card. */
export function cardOfMessage(m: Pick<Message, 'body' | 'sender'>): OrderCard | null {
  return m.sender.type === 'agent' || m.sender.type === 'bot' ? orderCardOf(m.body) : null;
}

const statusKey = (s: OrderCard['status']) => `orderStatus_${s}` as keyof Strings;

export function OrderCardView({ card, t, lang }: { card: OrderCard; t: Strings; lang: string }) {
  const at = card.tracking ? new Date(card.tracking.at) : null;
  const when =
    at && !Number.isNaN(at.getTime())
      ? at.toLocaleString(lang, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' })
      : '';
  return (
    <div class="order-card" data-testid="order-card">
      <div class="order-head">
        <span class="order-no">
          {t.orderCard} {card.orderNo}
        </span>
        <span class={`order-status s-${card.status}`}>{t[statusKey(card.status)]}</span>
      </div>
      <ul class="order-items">
        {card.items.map((i, n) => (
          <li key={n}>
            <span class="order-item">{i.name}</span>
            <span class="order-qty">×{i.qty}</span>
          </li>
        ))}
        {card.moreItems > 0 && <li class="order-more">{fill(t.orderMore, { n: String(card.moreItems) })}</li>}
      </ul>
      <div class="order-total">
        {t.orderTotal} <strong>{formatMoney(card.total, card.currency)}</strong>
      </div>
      {card.tracking && (
        <div class="order-track" data-testid="order-tracking">
          <div class="order-track-head">
            {t.orderLatest} · {card.tracking.carrier} {card.tracking.trackingNo}
          </div>
          <div class="order-track-text">{card.tracking.text}</div>
          <div class="order-track-meta">{[card.tracking.location, when].filter(Boolean).join(' · ')}</div>
        </div>
      )}
    </div>
  );
}
