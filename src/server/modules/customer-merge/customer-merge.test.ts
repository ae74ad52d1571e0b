/** Merging two customers moves the history of both onto one profile, audited; tags filter the list. */
import { afterEach, describe, expect, it } from 'vitest';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { conversationForCustomer } from '../conversations/index.ts';
import { customerForVisitor } from '../customers/index.ts';

describe.each(engines)('customer merge and tags on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  async function setup() {
    t = await testApp(engine);
    const { id: wsId, owner } = await t.workspace('shop');
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    const keep = await customerForVisitor(t.s, {
      workspaceId: wsId,
      visitorId: 'visitor_keep_abcdefghijklmnop',
      pii: { name: '王丽' },
    });
    const drop = await customerForVisitor(t.s, {
      workspaceId: wsId,
      visitorId: 'visitor_drop_abcdefghijklmnop',
      pii: { name: '王丽', phone: '13812345678', email: 'wangli@example.com' },
    });
    const conv = (await conversationForCustomer(t.s, wsId, inbox.id, drop.id, true))!;
    const ticket = (await owner.post('/api/tickets', { subject: '发票', customerId: drop.id })).json();
    await owner.patch(`/api/customers/${keep.id}`, { tags: ['复购', 'VIP 候选'], notes: '喜欢电话联系' });
    await owner.patch(`/api/customers/${drop.id}`, { tags: ['复购', '批发'], tier: 'vip', notes: '要专票' });
    return { wsId, owner, keep: keep.id, drop: drop.id, conv: conv.id, ticket: ticket.id };
  }

  it('tags a customer, filters the list by tag, lists the tags in use, and refuses bad tags', async () => {
    const { owner, keep, drop } = await setup();
    expect((await owner.get(`/api/customers/${keep}`)).json().tags).toEqual(['VIP 候选', '复购']);
    const byTag = (await owner.get(`/api/customers?tag=${encodeURIComponent('复购')}`)).json();
    expect(byTag.items.map((c: { id: string }) => c.id)).toEqual([drop, keep]);
    const wholesale = (await owner.get(`/api/customers?tag=${encodeURIComponent('批发')}`)).json();
    expect(wholesale.items.map((c: { id: string }) => c.id)).toEqual([drop]);
    expect((await owner.get('/api/customer-tags')).json().items).toEqual([
      { tag: '复购', count: 2 },
      { tag: 'VIP 候选', count: 1 },
      { tag: '批发', count: 1 },
    ]);
    // Removing: the whole set is replaced.
    await owner.patch(`/api/customers/${keep}`, { tags: ['VIP 候选'] });
    expect((await owner.get(`/api/customers/${keep}`)).json().tags).toEqual(['VIP 候选']);
    const bad = await owner.patch(`/api/customers/${keep}`, { tags: ['a,b'] });
    expect(bad.statusCode).toBe(400);
    expect((await owner.get(`/api/customers/${keep}`)).json().tags).toEqual(['VIP 候选']);
    expect((await owner.get('/api/customers/export.csv')).body).toContain('"复购, 批发"');
  });

  it("moves the duplicate's conversations, tickets, identities, tags and missing fields, then deletes it", async () => {
    const { owner, keep, drop, conv, ticket } = await setup();
    const res = await owner.post(`/api/customers/${keep}/merge`, { from: drop });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.moved).toEqual({ conversations: 1, tickets: 1, orders: 0, identities: 1, tags: 1 });
    expect(body.customer).toMatchObject({
      id: keep,
      name: '王丽',
      phone: '13812345678',
      email: 'wangli@example.com',
      tier: 'vip',
      tags: ['VIP 候选', '复购', '批发'],
      notes: '喜欢电话联系\n\n要专票',
    });
    expect(body.customer.identities).toHaveLength(2);
    expect((await owner.get(`/api/customers/${drop}`)).statusCode).toBe(404);
    const convs = (await owner.get(`/api/customers/${keep}/conversations`)).json();
    expect(JSON.stringify(convs)).toContain(conv);
    const tickets = (await owner.get(`/api/customers/${keep}/tickets`)).json();
    expect(tickets.items.map((x: { id: string }) => x.id)).toEqual([ticket]);
    // Found by the duplicate's phone now.
    expect((await owner.get('/api/customers?q=13812345678')).json().items.map((c: { id: string }) => c.id)).toEqual([
      keep,
    ]);
    const audit = (await owner.get('/api/audit?action=customer.merged')).json().items;
    expect(audit).toHaveLength(1);
    expect(audit[0].data).toMatchObject({ from: drop, moved: { conversations: 1, tickets: 1 } });
    expect(JSON.stringify(audit[0].data)).not.toContain('13812345678');
  });

  it('refuses a merge into itself, across workspaces, and for roles without customers.pii, changing nothing', async () => {
    const { owner, wsId, keep, drop } = await setup();
    expect((await owner.post(`/api/customers/${keep}/merge`, { from: keep })).statusCode).toBe(400);
    expect((await owner.post(`/api/customers/${keep}/merge`, {})).statusCode).toBe(400);
    const agent = await t.user(wsId, 'agent');
    expect((await agent.post(`/api/customers/${keep}/merge`, { from: drop })).statusCode).toBe(403);
    const { owner: other } = await t.workspace('other');
    expect((await other.post(`/api/customers/${keep}/merge`, { from: drop })).statusCode).toBe(404);
    const otherCustomer = await customerForVisitor(t.s, {
      workspaceId: other.actor.workspaceId,
      visitorId: 'visitor_other_abcdefghijklmno',
      pii: { name: '李雷' },
    });
    expect((await owner.post(`/api/customers/${keep}/merge`, { from: otherCustomer.id })).statusCode).toBe(404);
    expect((await owner.get(`/api/customers/${drop}/tickets`)).json().items).toHaveLength(1);
    expect((await owner.get(`/api/customers/${drop}`)).json().tags).toEqual(['复购', '批发']);
  });
});
