/** Conversation labels (issue 16): the workspace's list, a conversation's set, the inbox filter, events and audit. */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';

describe.each(engines)('conversation labels on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  async function twoConversations() {
    t = await testApp(engine, { clock: manualClock('2026-03-02T03:00:00Z') });
    const { id, owner } = await t.workspace('shop');
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    for (const [name, contact, body] of [
      ['王小明', '13800138000', '快递三天没动了'],
      ['李雷', '13900139000', '发票怎么开'],
    ]) {
      const left = await t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/offline-message`,
        payload: { name, contact, body },
      });
      expect(left.statusCode, left.body).toBe(200);
    }
    type Row = { id: string; labelIds: string[]; lastMessagePreview: string };
    const items = (await owner.get('/api/conversations')).json().items as Row[];
    expect(items).toHaveLength(2);
    // Wang's first (快递), then Li's (发票).
    const convs = [
      items.find((c) => c.lastMessagePreview.includes('快递'))!,
      items.find((c) => c.lastMessagePreview.includes('发票'))!,
    ];
    return { wsId: id, owner, convs };
  }

  const ids = (c: Client, query: string) =>
    c.get(`/api/conversations?${query}`).then((r) => r.json().items.map((x: { id: string }) => x.id));

  it('admins keep coloured labels; agents put them on and off; the inbox filters by one; every change is audited', async () => {
    const { wsId, owner, convs } = await twoConversations();
    const [a, b] = convs;
    expect(a.labelIds).toEqual([]);
    const agent = await t.user(wsId, 'agent');

    // The list is the admins' (settings.manage); agents read it.
    expect((await agent.post('/api/conversation-labels', { name: '退货', color: 'orange' })).statusCode).toBe(403);
    const refund = (await owner.post('/api/conversation-labels', { name: '退货', color: 'orange' })).json();
    const vip = (await owner.post('/api/conversation-labels', { name: 'VIP', color: 'gold' })).json();
    expect(refund).toMatchObject({ name: '退货', color: 'orange', conversations: 0 });
    // Names are unique per workspace; red is kept for breaches and errors; bad input says why.
    expect((await owner.post('/api/conversation-labels', { name: '退货', color: 'blue' })).statusCode).toBe(409);
    const red = await owner.post('/api/conversation-labels', { name: '紧急', color: 'red' });
    expect(red.statusCode).toBe(400);
    expect(red.body).toContain('color');
    expect((await owner.post('/api/conversation-labels', { name: '  ', color: 'blue' })).statusCode).toBe(400);
    expect(
      (await agent.get('/api/conversation-labels'))
        .json()
        .items.map((l: { name: string }) => l.name)
        .sort(),
    ).toEqual(['VIP', '退货']);

    // An agent sets a conversation's labels; the summary carries them.
    const put = await agent.request({
      method: 'PUT',
      url: `/api/conversations/${a.id}/labels`,
      payload: { labelIds: [refund.id, vip.id] },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().labelIds).toEqual([refund.id, vip.id]);
    await agent.request({ method: 'PUT', url: `/api/conversations/${b.id}/labels`, payload: { labelIds: [vip.id] } });
    expect((await agent.get(`/api/conversations/${a.id}`)).json().labelIds).toEqual([refund.id, vip.id]);
    expect(
      (
        await agent.request({
          method: 'PUT',
          url: `/api/conversations/${a.id}/labels`,
          payload: { labelIds: ['lbl_nope'] },
        })
      ).statusCode,
    ).toBe(400);
    const readonly = await t.user(wsId, 'readonly');
    expect(
      (await readonly.request({ method: 'PUT', url: `/api/conversations/${a.id}/labels`, payload: { labelIds: [] } }))
        .statusCode,
    ).toBe(403);

    // The filter, with the tabs counting what is listed, and within a search.
    expect(await ids(owner, `labelIds=${refund.id}`)).toEqual([a.id]);
    expect((await ids(owner, `labelIds=${vip.id}`)).sort()).toEqual([a.id, b.id].sort());
    expect((await owner.get(`/api/conversations?labelIds=${refund.id}`)).json().counts.all).toBe(1);
    expect(await ids(owner, `labelIds=${refund.id}&status=resolved`)).toEqual([]);
    expect(await ids(owner, `labelIds=${vip.id}&q=${encodeURIComponent('发票')}`)).toEqual([b.id]);
    expect(await ids(owner, `labelIds=${refund.id}&q=${encodeURIComponent('发票')}`)).toEqual([]);
    expect(await ids(owner, `labelIds=${refund.id}&q=13900139000`)).toEqual([]);

    // Taking one off; the counts on the list follow.
    await agent.request({ method: 'PUT', url: `/api/conversations/${a.id}/labels`, payload: { labelIds: [vip.id] } });
    expect(await ids(owner, `labelIds=${refund.id}`)).toEqual([]);
    const listed = (await owner.get('/api/conversation-labels')).json().items;
    expect(listed.find((l: { id: string }) => l.id === vip.id).conversations).toBe(2);

    // Renaming and recolouring; deleting takes it off every conversation.
    const renamed = await owner.patch(`/api/conversation-labels/${vip.id}`, { name: '大客户', color: 'purple' });
    expect(renamed.json()).toMatchObject({ name: '大客户', color: 'purple', conversations: 2 });
    expect((await owner.del(`/api/conversation-labels/${vip.id}`)).statusCode).toBe(200);
    expect((await owner.get(`/api/conversations/${b.id}`)).json().labelIds).toEqual([]);
    expect((await owner.del(`/api/conversation-labels/${vip.id}`)).statusCode).toBe(404);

    const audit = async (action: string) =>
      (await owner.get(`/api/audit?action=${action}`)).json().items.map((e: { data: object }) => e.data);
    expect(await audit('conversation.labeled')).toContainEqual({ added: [], removed: [refund.id] });
    expect(await audit('conversation.labeled')).toContainEqual({ added: [refund.id, vip.id], removed: [] });
    expect(await audit('conversation_label.created')).toContainEqual({ name: '退货', color: 'orange' });
    expect(await audit('conversation_label.updated')).toContainEqual({
      name: { from: 'VIP', to: '大客户' },
      color: { from: 'gold', to: 'purple' },
    });
    expect(await audit('conversation_label.deleted')).toContainEqual({ name: '大客户', conversations: 2 });
  });

  it('keeps workspaces apart: another workspace neither sees nor uses the labels', async () => {
    const { owner, convs } = await twoConversations();
    const label = (await owner.post('/api/conversation-labels', { name: '物流', color: 'blue' })).json();
    const other = (await t.workspace('other')).owner;
    expect((await other.get('/api/conversation-labels')).json().items).toEqual([]);
    expect((await other.patch(`/api/conversation-labels/${label.id}`, { name: 'x', color: 'blue' })).statusCode).toBe(
      404,
    );
    expect(
      (
        await other.request({
          method: 'PUT',
          url: `/api/conversations/${convs[0].id}/labels`,
          payload: { labelIds: [label.id] },
        })
      ).statusCode,
    ).toBe(404);
    const ownLabel = (await other.post('/api/conversation-labels', { name: '物流', color: 'blue' })).json();
    expect(
      (
        await owner.request({
          method: 'PUT',
          url: `/api/conversations/${convs[0].id}/labels`,
          payload: { labelIds: [ownLabel.id] },
        })
      ).statusCode,
    ).toBe(400);
    expect((await other.get(`/api/conversations?labelIds=${label.id}`)).json().items).toEqual([]);
  });
});
