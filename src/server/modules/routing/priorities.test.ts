/**
 * Priorities are used: a complaint (the bot's intent at hand-off, or a keyword in the shopper's
 * words) and a large order move a conversation forward in the queue. The arithmetic by hand, then
 * both engines through the real listeners and the store's orders.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RoutingRule } from '../../../shared/routing-api.ts';
import { allTables, engines, type TestApp } from '../../testing/harness.ts';
import { boostOf, hintsOf, mentionsComplaint } from './priorities.ts';
import { routingSetup } from './test-setup.ts';

describe('priority boosts', () => {
  const rule = RoutingRule.parse({
    enabled: true,
    complaintBoost: 20,
    orderValueBoosts: [
      { atLeast: 500, boost: 5 },
      { atLeast: 2000, boost: 10 },
    ],
  });
  it('adds the complaint boost and the largest order-value boost reached', () => {
    expect(boostOf(rule, { complaint: false, orderTotal: null })).toBe(0);
    expect(boostOf(rule, { complaint: false, orderTotal: 499.99 })).toBe(0);
    expect(boostOf(rule, { complaint: false, orderTotal: 500 })).toBe(5);
    expect(boostOf(rule, { complaint: false, orderTotal: 3000 })).toBe(10);
    expect(boostOf(rule, { complaint: true, orderTotal: 3000 })).toBe(30);
    expect(boostOf({ ...rule, orderValueBoosts: [] }, { complaint: true, orderTotal: 3000 })).toBe(20);
  });
  it('finds a complaint keyword in any case', () => {
    expect(mentionsComplaint('我要投诉你们的快递', rule.complaintKeywords)).toBe(true);
    expect(mentionsComplaint('This is a COMPLAINT', rule.complaintKeywords)).toBe(true);
    expect(mentionsComplaint('什么时候发货', rule.complaintKeywords)).toBe(false);
    expect(mentionsComplaint(null, rule.complaintKeywords)).toBe(false);
  });
});

describe.each(engines)('priorities in the queue on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('a large order and a complaint move a conversation forward', async () => {
    const r = await routingSetup(engine, { complaintBoost: 20 });
    t = r.t;
    await r.addAgent(1);
    await r.arrive(); // takes the only seat
    const plain = await r.arrive();
    let big = '';
    const rich = await r.arrive(undefined, async (customerId) => {
      big = customerId;
      await allTables(t.s)
        .insertInto('store_orders')
        .values({
          id: 'ord_big',
          workspace_id: r.ws,
          order_no: 'SO-1',
          customer_id: customerId,
          status: 'paid',
          items: '[]',
          total: 3000,
          currency: 'CNY',
          receiver_enc: null,
          refund: null,
          created_at: '2026-11-10T00:00:00.000Z',
          paid_at: null,
          shipped_at: null,
          delivered_at: null,
        })
        .execute();
    });
    expect(big).not.toBe('');
    expect((await r.item(rich)).priority).toBe(10);
    expect((await r.item(plain)).priority).toBe(0);
    const order = async () =>
      ((await r.owner.get('/api/routing/war-room')).json().waiting as { id: string }[]).map((w) => w.id);
    expect(await order()).toEqual([rich, plain]);

    // The bot hands off a complaint: it goes ahead of both.
    const rule = RoutingRule.parse({ enabled: true, complaintBoost: 20 });
    const angry = await r.arrive();
    const hints = await hintsOf(t.s, rule, r.ws, angry, null, 'complaint');
    expect(hints).toEqual({ complaint: true, orderTotal: null });
    // The keyword rule reads the shopper's latest words.
    await allTables(t.s)
      .updateTable('conversations')
      .set({ last_message_preview: '我要投诉，三天了还没发货' })
      .where('id', '=', angry)
      .execute();
    expect((await hintsOf(t.s, rule, r.ws, angry, null)).complaint).toBe(true);
    expect((await hintsOf(t.s, rule, r.ws, plain, null)).complaint).toBe(false);
    // Reopened after being resolved, it joins the queue again with the complaint's priority.
    await allTables(t.s).updateTable('routing_items').set({ state: 'done' }).where('id', '=', angry).execute();
    await allTables(t.s).updateTable('conversations').set({ status: 'resolved' }).where('id', '=', angry).execute();
    expect((await r.owner.patch(`/api/conversations/${angry}`, { status: 'open' })).statusCode).toBe(200);
    expect((await r.item(angry)).priority).toBe(20);
    expect(await order()).toEqual([angry, rich, plain]);
  });
});
