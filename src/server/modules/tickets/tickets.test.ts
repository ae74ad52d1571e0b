/** Tickets over HTTP: creation paths, the status flow, fields, concurrency, merge, macros, bulk, views. */
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../../shared/realtime/protocol.ts';
import { engines, testApp, testPassword, type Client, type TestApp } from '../../testing/harness.ts';
import { connect } from '../../testing/ws-client.ts';

describe.each(engines)('tickets on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  let wsId: string;
  afterEach(async () => t?.close());
  const setup = async () => {
    t = await testApp(engine);
    ({ owner, id: wsId } = await t.workspace('shop'));
  };

  it('creates tickets by hand and through the API, numbered per workspace, with a timeline', async () => {
    await setup();
    const a = (
      await owner.post('/api/tickets', {
        subject: '退货申请',
        description: '鞋子尺码不对',
        type: 'after_sales',
        priority: 'high',
        orderNo: 'TB2025100900123',
        tags: ['退货'],
      })
    ).json();
    expect(a).toMatchObject({ number: 1001, status: 'new', channel: 'manual', orderNo: 'TB2025100900123', version: 1 });
    const token = (
      await owner.post('/api/tokens', {
        name: 'erp',
        scopes: ['tickets.read', 'tickets.manage'],
        password: testPassword,
      })
    ).json().secret;
    const b = await t.app.inject({
      method: 'POST',
      url: '/api/tickets',
      payload: { subject: 'from the ERP' },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(b.json()).toMatchObject({ number: 1002, channel: 'api' });
    const tl = (await owner.get(`/api/tickets/${a.id}/timeline`)).json().items;
    expect(tl[0]).toMatchObject({ type: 'created', body: '鞋子尺码不对', actor: { id: owner.actor.userId } });
    const { owner: other } = await t.workspace('other');
    expect((await other.post('/api/tickets', { subject: 'x' })).json().number).toBe(1001);
  });

  it('walks the status flow and refuses illegal transitions without changing anything', async () => {
    await setup();
    let tk = (await owner.post('/api/tickets', { subject: 'flow' })).json();
    for (const status of ['open', 'pending', 'on_hold', 'open', 'solved', 'open', 'solved', 'closed']) {
      const r = await owner.patch(`/api/tickets/${tk.id}`, { version: tk.version, status });
      expect(r.statusCode, `${tk.status} → ${status}: ${r.body}`).toBe(200);
      tk = r.json();
    }
    const bad = await owner.patch(`/api/tickets/${tk.id}`, { version: tk.version, status: 'pending' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('illegal_transition');
    expect((await owner.get(`/api/tickets/${tk.id}`)).json()).toMatchObject({ status: 'closed', version: tk.version });
    const statuses = (await owner.get(`/api/tickets/${tk.id}/timeline`))
      .json()
      .items.filter((e: { type: string }) => e.type === 'status')
      .map((e: { data: { to: string } }) => e.data.to);
    expect(statuses).toEqual(['open', 'pending', 'on_hold', 'open', 'solved', 'open', 'solved', 'closed']);
  });

  it('refuses a stale version with 409 — never a silent overwrite', async () => {
    await setup();
    const tk = (await owner.post('/api/tickets', { subject: 'race' })).json();
    const agent = await t.user(wsId, 'agent');
    expect((await agent.patch(`/api/tickets/${tk.id}`, { version: 1, priority: 'urgent' })).statusCode).toBe(200);
    const lost = await owner.patch(`/api/tickets/${tk.id}`, { version: 1, priority: 'low' });
    expect(lost.statusCode).toBe(409);
    expect(lost.json().error.code).toBe('version_conflict');
    expect((await owner.get(`/api/tickets/${tk.id}`)).json()).toMatchObject({ priority: 'urgent', version: 2 });
  });

  it('validates custom fields by type and requires some before solving', async () => {
    await setup();
    await owner.post('/api/ticket-fields', {
      key: 'refund_amount',
      label: '退款金额',
      type: 'number',
      requiredOnSolve: true,
    });
    await owner.post('/api/ticket-fields', {
      key: 'reason',
      label: '原因',
      type: 'select',
      options: ['质量问题', '尺码不符'],
    });
    expect((await owner.post('/api/ticket-fields', { key: 'empty', label: 'x', type: 'select' })).statusCode).toBe(400);
    const tk = (await owner.post('/api/tickets', { subject: 'refund', fields: { reason: '尺码不符' } })).json();
    const wrong = await owner.patch(`/api/tickets/${tk.id}`, {
      version: 1,
      fields: { refund_amount: 'a lot', reason: '不喜欢', nope: 1 },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.issues).toHaveLength(3);
    const solve = await owner.patch(`/api/tickets/${tk.id}`, { version: 1, status: 'solved' });
    expect(solve.json().error).toMatchObject({ code: 'fields_required', issues: ['refund_amount'] });
    const viaReply = await owner.post(`/api/tickets/${tk.id}/replies`, { body: 'done', status: 'solved' });
    expect(viaReply.json().error).toMatchObject({ code: 'fields_required', issues: ['refund_amount'] });
    const done = await owner.patch(`/api/tickets/${tk.id}`, {
      version: 1,
      status: 'solved',
      fields: { refund_amount: 129.5 },
    });
    expect(done.json()).toMatchObject({ status: 'solved', fields: { reason: '尺码不符', refund_amount: 129.5 } });
    expect((await owner.post('/api/tickets', { subject: 'x', type: 'no_such_type' })).json().error.code).toBe(
      'invalid_type',
    );
  });

  it('merges one ticket into another, never into itself or across workspaces', async () => {
    await setup();
    const a = (await owner.post('/api/tickets', { subject: 'first', tags: ['a'] })).json();
    const b = (await owner.post('/api/tickets', { subject: 'dup', tags: ['b'], orderNo: 'JD123456' })).json();
    expect((await owner.post(`/api/tickets/${a.id}/merge`, { intoId: a.id })).statusCode).toBe(400);
    const { owner: other } = await t.workspace('other');
    const foreign = (await other.post('/api/tickets', { subject: 'theirs' })).json();
    expect((await owner.post(`/api/tickets/${b.id}/merge`, { intoId: foreign.id })).statusCode).toBe(400);
    expect((await other.get(`/api/tickets/${foreign.id}`)).json().status).toBe('new');
    const merged = (await owner.post(`/api/tickets/${b.id}/merge`, { intoId: a.id })).json();
    expect(merged).toMatchObject({ id: a.id, tags: ['a', 'b'], orderNo: 'JD123456' });
    expect((await owner.get(`/api/tickets/${b.id}`)).json()).toMatchObject({ status: 'closed', mergedIntoId: a.id });
    expect((await owner.post(`/api/tickets/${b.id}/replies`, { body: 'x' })).statusCode).toBe(400);
    expect((await owner.get('/api/tickets')).json().items.map((x: { id: string }) => x.id)).toEqual([a.id]);
  });

  it('applies a macro in one click (fields and a reply), bulk-updates, filters and saves views', async () => {
    await setup();
    const agent = await t.user(wsId, 'agent');
    // Agents may not list users (e-mails, roles to manage) but see their colleagues' names to assign.
    expect((await agent.get('/api/users')).statusCode).toBe(403);
    const directory = (await agent.get('/api/users/directory')).json().items;
    expect(directory.map((u: { id: string }) => u.id)).toEqual(
      expect.arrayContaining([owner.actor.userId, agent.actor.userId]),
    );
    expect(JSON.stringify(directory)).not.toContain('@');
    const macro = (
      await owner.post('/api/macros', {
        name: '退款已处理',
        actions: {
          status: 'pending',
          priority: 'high',
          assigneeId: 'me',
          addTags: ['refund'],
          reply: { body: '您的退款已提交，请留意到账。' },
        },
      })
    ).json();
    const tk = (await owner.post('/api/tickets', { subject: 'refund please' })).json();
    const after = (await agent.post(`/api/tickets/${tk.id}/macros/${macro.id}`, { version: 1 })).json();
    expect(after).toMatchObject({
      status: 'pending',
      priority: 'high',
      assigneeId: agent.actor.userId,
      tags: ['refund'],
    });
    expect(after.firstResponseAt).not.toBeNull();
    const tl = (await owner.get(`/api/tickets/${tk.id}/timeline`)).json().items.map((e: { type: string }) => e.type);
    expect(tl).toContain('reply');
    const others = await Promise.all(
      [1, 2, 3].map(async (i) => (await owner.post('/api/tickets', { subject: `bulk ${i}` })).json()),
    );
    const res = (
      await owner.post('/api/tickets/bulk', {
        ids: [...others.map((o) => o.id), 'tkt_missing'],
        set: { priority: 'urgent', addTags: ['618'] },
      })
    ).json();
    expect(res.results.filter((r: { ok: boolean }) => r.ok)).toHaveLength(3);
    expect(res.results.at(-1)).toMatchObject({ ok: false });
    expect((await owner.get('/api/tickets?priority=urgent&tag=618')).json().items).toHaveLength(3);
    expect((await agent.get('/api/tickets?view=mine')).json().items.map((x: { id: string }) => x.id)).toEqual([tk.id]);
    expect((await owner.get('/api/tickets?q=%231001')).json().items[0].id).toBe(tk.id);
    const view = (await agent.post('/api/ticket-views', { name: '紧急', query: { priority: 'urgent' } })).json();
    expect((await agent.get('/api/ticket-views')).json().items).toEqual([view]);
    expect(view.query).toEqual({ priority: 'urgent' });
    expect((await agent.post('/api/ticket-views', { name: 'bad', query: { priority: 'extreme' } })).statusCode).toBe(
      400,
    );
    expect((await owner.get('/api/ticket-views')).json().items).toEqual([]); // personal
  });

  it('creates a ticket from a conversation with its transcript, and replies reach the shopper through the chat', async () => {
    await setup();
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    await t.app.inject({
      method: 'POST',
      url: `/api/widget/${inbox.publicId}/offline-message`,
      payload: { name: '李雷', contact: 'lilei@example.com', body: '发票抬头写错了' },
    });
    const conv = (await owner.get('/api/conversations')).json().items[0];
    // The offline message already made a ticket for this conversation.
    const [auto] = (await owner.get('/api/tickets')).json().items;
    expect(auto).toMatchObject({ conversationId: conv.id, channel: 'web', status: 'new', tags: ['offline'] });
    expect((await owner.post('/api/tickets', { subject: 'again', conversationId: conv.id })).statusCode).toBe(409);
    const tl = (await owner.get(`/api/tickets/${auto.id}/timeline`)).json().items;
    expect(tl[0].data.transcript[0].body).toContain('发票抬头写错了');
    const replied = (
      await owner.post(`/api/tickets/${auto.id}/replies`, { body: '已为您重开发票', status: 'pending' })
    ).json();
    expect(replied.status).toBe('pending');
    const msgs = (await owner.get(`/api/conversations/${conv.id}/messages`)).json().items;
    expect(msgs.at(-1)).toMatchObject({ body: '已为您重开发票', sender: { type: 'agent' } });
    await owner.post(`/api/tickets/${auto.id}/replies`, { body: 'internal only', public: false });
    expect(
      (await owner.get(`/api/conversations/${conv.id}/messages`)).json().items.map((m: { body: string }) => m.body),
    ).not.toContain('internal only');
  });

  it('records the shopper’s chat replies on the ticket their conversation feeds, reopening a pending ticket', async () => {
    await setup();
    const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    const session = (
      await t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/session`,
        payload: { visitorId: 'visitor-ticket-000000001', origin: 'https://shop.example.com' },
      })
    ).json();
    const shop = await connect(`${base}/ws?widget=${session.token}`);
    shop.send({ t: 'hello', subs: {} });
    shop.send({ t: 'send', cid: 'q1', body: '订单 JD998877 少发了一件' });
    const ack = await shop.next<Extract<ServerFrame, { t: 'ack' }>>((f) => f.t === 'ack');
    const tk = (
      await owner.post('/api/tickets', { subject: '少发货', conversationId: ack.conv, type: 'logistics' })
    ).json();
    await owner.post(`/api/tickets/${tk.id}/replies`, { body: '请提供照片', status: 'pending' });
    await shop.next((f) => f.t === 'msg' && f.m.body === '请提供照片');
    shop.send({ t: 'send', cid: 'q2', conv: ack.conv, body: '照片已上传' });
    await shop.next((f) => f.t === 'ack' && f.cid === 'q2');
    await expect.poll(async () => (await owner.get(`/api/tickets/${tk.id}`)).json().status).toBe('open');
    const tl = (await owner.get(`/api/tickets/${tk.id}/timeline`)).json().items;
    expect(tl.find((e: { type: string }) => e.type === 'customer_reply')).toMatchObject({ body: '照片已上传' });
    shop.close();
  });
});
