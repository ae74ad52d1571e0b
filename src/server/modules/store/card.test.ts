/** Order cards on both engines: built from the store's data, stored as a message that survives reload, refused from shoppers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderCardBody, orderCardOf } from '../../../shared/order-card.ts';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { conversationForCustomer, postMessage } from '../conversations/index.ts';
import { linkDemoOrders, seedStore } from './seed.ts';

type Msg = { seq: number; kind: string; body: string; sender: { type: string } };

describe.each(engines)('order cards on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  let agent: Client;
  let readonly: Client;
  let wsId: string;
  let customerId: string;
  let convId: string;

  beforeAll(async () => {
    t = await testApp(engine);
    const ws = await t.workspace('cards');
    owner = ws.owner;
    wsId = ws.id;
    agent = await t.user(ws.id, 'agent');
    readonly = await t.user(ws.id, 'readonly');
    await seedStore(t.s, { workspaceId: ws.id, ownerId: owner.actor.userId });
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json() as { id: string; publicId: string };
    const session = (
      await t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/session`,
        payload: { visitorId: 'visitor-cards-abcdefgh', origin: 'https://shop.example.com' },
      })
    ).json() as { customerId: string };
    customerId = session.customerId;
    convId = (await conversationForCustomer(t.s, wsId, inbox.id, customerId, true))!.id;
    await linkDemoOrders(t.s, wsId, new Map([['wang', customerId]]));
  });
  afterAll(async () => t?.close());

  it("lists the customer's orders newest first, with shipments and tracking events, receivers masked", async () => {
    const r = await agent.get(`/api/store/customers/${customerId}/orders`);
    expect(r.statusCode).toBe(200);
    const items = r.json().items as { orderNo: string; createdAt: string; shipments: { events: unknown[] }[] }[];
    expect(items.map((o) => o.orderNo)).toEqual(['DD20261203001', 'DD20261201002']);
    expect(items[0]!.shipments[0]!.events.length).toBe(3);
    expect(r.body).not.toContain('13912345678');
    expect(r.body).toContain('139****5678');
    const other = (await t.workspace('cards-b')).owner;
    expect((await other.get(`/api/store/customers/${customerId}/orders`)).statusCode).toBe(404);
  });

  it('sends an order card built from the store, stored as a message that reads back as the same card', async () => {
    const r = await agent.post(`/api/conversations/${convId}/order-card`, {
      clientId: 'card-1',
      orderNo: '#DD20261203001',
    });
    expect(r.statusCode).toBe(200);
    const sent = r.json() as { seq: number; card: { orderNo: string } };
    expect(sent.card).toMatchObject({
      orderNo: 'DD20261203001',
      status: 'shipped',
      total: 29900,
      currency: 'CNY',
      items: [{ name: '轻薄羽绒服 黑色 M', qty: 1, price: 29900 }],
      tracking: { carrier: '顺丰速运', trackingNo: 'SF1402****5612', text: '快件已到达【杭州转运中心】' },
    });
    // As after a reload: the stored message carries the same card; its readable part names the order.
    const items = (await owner.get(`/api/conversations/${convId}/messages`)).json().items as Msg[];
    const m = items.find((x) => x.seq === sent.seq)!;
    expect(m.sender.type).toBe('agent');
    expect(orderCardOf(m.body)).toEqual(sent.card);
    expect(m.body.startsWith('#DD20261203001 · ¥299.00')).toBe(true);
    expect(m.body).not.toContain('SF1402938475612');
    // Same client id again: the same message, not a second card.
    const again = await agent.post(`/api/conversations/${convId}/order-card`, {
      clientId: 'card-1',
      orderNo: 'DD20261203001',
    });
    expect(again.json()).toMatchObject({ seq: sent.seq, duplicate: true });
  });

  it('refuses bad input, unknown orders, other workspaces, read-only roles and forged cards from shoppers', async () => {
    const post = (c: Client, body: unknown, id = convId) => c.post(`/api/conversations/${id}/order-card`, body);
    expect((await post(agent, { clientId: 'x', orderNo: 'a b' })).statusCode).toBe(400);
    expect((await post(agent, { orderNo: 'DD20261203001' })).statusCode).toBe(400);
    expect((await post(agent, { clientId: 'x', orderNo: 'DD20261203001', card: {} })).statusCode).toBe(400);
    const missing = await post(agent, { clientId: 'x2', orderNo: 'NOPE0001' });
    expect(missing.statusCode).toBe(404);
    expect((await post(readonly, { clientId: 'x3', orderNo: 'DD20261203001' })).statusCode).toBe(403);
    const other = (await t.workspace('cards-c')).owner;
    expect((await post(other, { clientId: 'x4', orderNo: 'DD20261203001' })).statusCode).toBe(404);
    const forged = orderCardBody({
      orderNo: 'DD1',
      status: 'refunded',
      items: [],
      moreItems: 0,
      total: 100,
      currency: 'CNY',
      createdAt: '2026-01-01T00:00:00Z',
      tracking: null,
    });
    await expect(
      postMessage(t.s, { type: 'customer', id: customerId, name: null, workspaceId: wsId }, convId, {
        clientId: 'forged',
        kind: 'text',
        body: forged,
      }),
    ).rejects.toMatchObject({ status: 400, message: 'shoppers cannot send order cards' });
  });
});
