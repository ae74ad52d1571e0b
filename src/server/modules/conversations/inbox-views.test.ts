/** Saved inbox views (issue 16): own and shared views, any of several labels, live counts, a deleted label, audit. */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';

type View = { id: string; name: string; shared: boolean; editable: boolean; query: object; count: number };

describe.each(engines)('saved inbox views on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  /** Three conversations: the first labelled 退货, the second VIP, the third none. */
  async function threeConversations() {
    t = await testApp(engine, { clock: manualClock('2026-03-02T03:00:00Z') });
    const { id, owner } = await t.workspace('shop');
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    for (const [name, contact, body] of [
      ['王小明', '13800138000', '我要退货'],
      ['李雷', '13900139000', '发票怎么开'],
      ['韩梅梅', '13700137000', '快递到哪了'],
    ]) {
      const left = await t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/offline-message`,
        payload: { name, contact, body },
      });
      expect(left.statusCode, left.body).toBe(200);
    }
    const items = (await owner.get('/api/conversations')).json().items as { id: string; lastMessagePreview: string }[];
    const conv = (text: string) => items.find((c) => c.lastMessagePreview.includes(text))!.id;
    const convs = [conv('退货'), conv('发票'), conv('快递')];
    const refund = (await owner.post('/api/conversation-labels', { name: '退货', color: 'orange' })).json();
    const vip = (await owner.post('/api/conversation-labels', { name: 'VIP', color: 'gold' })).json();
    const label = (c: string, labelIds: string[]) =>
      owner.request({ method: 'PUT', url: `/api/conversations/${c}/labels`, payload: { labelIds } });
    await label(convs[0], [refund.id]);
    await label(convs[1], [vip.id]);
    return { wsId: id, owner, inbox, convs, refund, vip, label };
  }

  const viewsOf = async (c: Client) => (await c.get('/api/inbox-views')).json().items as View[];

  it('an agent keeps their own view of any of two labels, with its live count; admins share one', async () => {
    const { wsId, owner, inbox, convs, refund, vip, label } = await threeConversations();
    const agent = await t.user(wsId, 'agent');
    const colleague = await t.user(wsId, 'agent');

    // The inbox's filter takes several labels: any of them.
    const listed = (await agent.get(`/api/conversations?labelIds=${refund.id},${vip.id}&status=open`)).json();
    expect(listed.items.map((c: { id: string }) => c.id).sort()).toEqual([convs[0], convs[1]].sort());
    expect(listed.counts.all).toBe(2);

    const query = { status: 'any', labelIds: [refund.id, vip.id, refund.id] };
    const created = await agent.post('/api/inbox-views', { name: '售后', query });
    expect(created.statusCode, created.body).toBe(200);
    const mine = created.json() as View;
    expect(mine).toMatchObject({ name: '售后', shared: false, editable: true, count: 2 });
    expect(mine.query).toEqual({ status: 'any', labelIds: [refund.id, vip.id] });
    expect(await viewsOf(colleague)).toEqual([]); // one's own view is theirs alone
    expect((await colleague.del(`/api/inbox-views/${mine.id}`)).statusCode).toBe(404);

    // The count is live: a third conversation gets a label; one is resolved (still "any" status).
    await label(convs[2], [vip.id]);
    await owner.patch(`/api/conversations/${convs[1]}`, { status: 'resolved' });
    expect((await viewsOf(agent)).find((v) => v.id === mine.id)!.count).toBe(3);

    // Sharing is the administrators'; the agent sees a shared view but may not change it.
    const refused = await agent.post('/api/inbox-views', { name: '全部', shared: true, query: {} });
    expect([refused.statusCode, refused.json().error.message]).toEqual([
      403,
      expect.stringContaining('administrators'),
    ]);
    const shared = (
      await owner.post('/api/inbox-views', {
        name: '我的待处理',
        shared: true,
        query: { view: 'mine', inboxId: inbox.id },
      })
    ).json() as View;
    expect(shared).toMatchObject({ shared: true, editable: true, count: 0 });
    const seen = await viewsOf(agent);
    expect(seen.map((v) => [v.name, v.editable])).toEqual([
      ['售后', true],
      ['我的待处理', false],
    ]);
    expect((await agent.patch(`/api/inbox-views/${shared.id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await agent.del(`/api/inbox-views/${shared.id}`)).statusCode).toBe(404);
    // "mine" counts the caller's: the owner takes one, the agent's count stays 0.
    await owner.patch(`/api/conversations/${convs[2]}`, { assigneeId: owner.actor.userId });
    expect((await viewsOf(owner)).find((v) => v.id === shared.id)!.count).toBe(1);
    expect((await viewsOf(agent)).find((v) => v.id === shared.id)!.count).toBe(0);

    // Renaming and changing the filters; deleting.
    const renamed = await agent.patch(`/api/inbox-views/${mine.id}`, {
      name: '退货',
      query: { labelIds: [refund.id] },
    });
    expect(renamed.json()).toMatchObject({ name: '退货', query: { labelIds: [refund.id] }, count: 1 });
    expect((await owner.patch(`/api/inbox-views/${shared.id}`, { name: '待处理' })).json().name).toBe('待处理');
    expect((await agent.del(`/api/inbox-views/${mine.id}`)).statusCode).toBe(200);
    expect((await agent.del(`/api/inbox-views/${mine.id}`)).statusCode).toBe(404);
    expect((await viewsOf(agent)).map((v) => v.name)).toEqual(['待处理']);

    const audit = async (action: string) =>
      (await owner.get(`/api/audit?action=${action}`)).json().items.map((e: { data: object }) => e.data);
    // (The test clock stands still: entries of the same instant come in no set order.)
    expect(await audit('inbox_view.created')).toEqual(
      expect.arrayContaining([
        { name: '我的待处理', shared: true },
        { name: '售后', shared: false },
      ]),
    );
    expect(await audit('inbox_view.created')).toHaveLength(2);
    expect(await audit('inbox_view.updated')).toContainEqual({ name: { from: '售后', to: '退货' }, filters: true });
    expect(await audit('inbox_view.updated')).toContainEqual({
      name: { from: '我的待处理', to: '待处理' },
      filters: false,
    });
    expect(await audit('inbox_view.deleted')).toEqual([{ name: '退货', shared: false }]);
  });

  it('refuses bad input with a reason', async () => {
    const { owner, refund } = await threeConversations();
    const other = (await t.workspace('other')).owner;
    const otherLabel = (await other.post('/api/conversation-labels', { name: '物流', color: 'blue' })).json();
    for (const [body, reason] of [
      [{ name: ' ', query: {} }, 'name'],
      [{ name: 'x', query: { labelIds: [] } }, 'labelIds'],
      [{ name: 'x', query: { status: 'closed' } }, 'status'],
      [{ name: 'x', query: { q: 'search' } }, 'q'],
      [{ name: 'x', query: { labelIds: [refund.id, otherLabel.id] } }, otherLabel.id],
      [{ name: 'x', query: { inboxId: 'inb_nope' } }, 'inb_nope'],
    ] as const) {
      const res = await owner.post('/api/inbox-views', body);
      expect([res.statusCode, res.body], JSON.stringify(body)).toEqual([400, expect.stringContaining(reason)]);
    }
    const bad = await owner.get(`/api/conversations?labelIds=${'x,'.repeat(21)}x`);
    expect([bad.statusCode, bad.body]).toEqual([400, expect.stringContaining('label ids')]);
    expect(await viewsOf(owner)).toEqual([]);
  });

  it('keeps working when one of its labels is deleted: the label drops out', async () => {
    const { owner, convs, refund, vip } = await threeConversations();
    const view = (
      await owner.post('/api/inbox-views', { name: '售后', query: { labelIds: [refund.id, vip.id] } })
    ).json() as View;
    expect(view.count).toBe(2);
    expect((await owner.del(`/api/conversation-labels/${refund.id}`)).statusCode).toBe(200);
    const [after] = await viewsOf(owner);
    expect(after).toMatchObject({ id: view.id, query: { labelIds: [vip.id] }, count: 1 });
    // The filters it hands the inbox list what they say.
    const listed = (await owner.get(`/api/conversations?labelIds=${vip.id}`)).json().items;
    expect(listed.map((c: { id: string }) => c.id)).toEqual([convs[1]]);
    // With every label gone the view lists the rest of its filters (here: every open conversation).
    await owner.del(`/api/conversation-labels/${vip.id}`);
    expect((await viewsOf(owner))[0]).toMatchObject({ query: {}, count: 3 });
    // And it can be renamed and deleted as before.
    expect((await owner.patch(`/api/inbox-views/${view.id}`, { name: '全部' })).statusCode).toBe(200);
    expect((await owner.del(`/api/inbox-views/${view.id}`)).statusCode).toBe(200);
  });
});
