/** Conversations over HTTP: inbox views and search, status and assignment, canned replies, uploads, the widget's public API. */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type Client, type TestApp, allTables } from '../../testing/harness.ts';
import { messagesAfter } from './index.ts';

const png = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2dd2d2a0000000049454e44ae426082',
  'hex',
);

function multipart(name: string, type: string, body: Buffer) {
  const boundary = '----kefu' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${name}"\r\ncontent-type: ${type}\r\n\r\n`,
    ),
    body,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(engines)('conversations on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  async function withConversation(settings: object = {}) {
    const clock = manualClock('2026-03-02T03:00:00Z'); // Monday 11:00 in Shanghai
    t = await testApp(engine, { clock });
    const { id, owner } = await t.workspace('shop');
    const inbox = (
      await owner.post('/api/inboxes', {
        name: 'Web',
        settings: { allowedOrigins: ['https://shop.example.com'], ...settings },
      })
    ).json();
    const left = await t.app.inject({
      method: 'POST',
      url: `/api/widget/${inbox.publicId}/offline-message`,
      payload: { name: '王小明', contact: '13800138000', body: '快递三天没动了' },
    });
    expect(left.statusCode, left.body).toBe(200);
    const conv = (await owner.get('/api/conversations')).json().items[0];
    return { clock, wsId: id, owner, inbox, conv };
  }

  it('turns an offline message into a conversation and an event, with the contact in the encrypted profile', async () => {
    const { owner, conv, wsId } = await withConversation();
    expect(conv).toMatchObject({
      status: 'open',
      lastSeq: 1,
      customerName: '王小明',
      lastMessagePreview: expect.stringContaining('快递三天没动了'),
    });
    const events = (await owner.get('/api/audit?action=conversation.offline_message')).json().items;
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0].data)).not.toContain('13800138000');
    const customer = (await owner.get(`/api/customers/${conv.customerId}`)).json();
    expect(customer).toMatchObject({ name: '王小明', phone: '13800138000', masked: false });
    const agent = await t.user(wsId, 'agent');
    expect((await agent.get(`/api/customers/${conv.customerId}`)).json()).toMatchObject({
      name: '王**',
      phone: '138****8000',
      masked: true,
    });
    expect((await agent.get('/api/conversations')).json().items[0].customerName).toBe('王**');
    const row = await allTables(t.s)
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', conv.customerId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('13800138000');
    expect(JSON.stringify(row)).not.toContain('王小明');
  });

  it('lists by view and status, searches by customer and text, counts what each tab lists', async () => {
    const { owner, conv, wsId } = await withConversation();
    const agent = await t.user(wsId, 'agent');
    expect((await owner.get('/api/conversations?view=unassigned')).json().counts).toEqual({
      mine: 0,
      unassigned: 1,
      all: 1,
    });
    expect(
      (await agent.patch(`/api/conversations/${conv.id}`, { assigneeId: agent.actor.userId })).json().assigneeId,
    ).toBe(agent.actor.userId);
    expect((await agent.get('/api/conversations?view=mine')).json().items.map((c: { id: string }) => c.id)).toEqual([
      conv.id,
    ]);
    expect((await agent.get('/api/conversations?view=unassigned')).json().items).toEqual([]);
    expect((await owner.get('/api/conversations?q=13800138000')).json().items).toHaveLength(1);
    expect((await owner.get('/api/conversations?q=' + encodeURIComponent('三天没动'))).json().items).toHaveLength(1);
    expect((await owner.get('/api/conversations?q=nothing-like-this')).json().items).toHaveLength(0);
    expect((await owner.patch(`/api/conversations/${conv.id}`, { status: 'resolved' })).json().status).toBe('resolved');
    expect((await owner.get('/api/conversations?status=open')).json().items).toHaveLength(0);
    // Defect 4: no "all 1" above an empty list; the resolved tab counts the resolved one.
    expect((await owner.get('/api/conversations?status=open')).json().counts).toEqual({
      mine: 0,
      unassigned: 0,
      all: 0,
    });
    expect((await owner.get('/api/conversations?status=resolved')).json().counts).toEqual({
      mine: 0,
      unassigned: 0,
      all: 1,
    });
    expect((await agent.get('/api/conversations?status=resolved')).json().counts.mine).toBe(1);
    expect((await owner.patch(`/api/conversations/${conv.id}`, { status: 'snoozed' })).statusCode).toBe(400);
    const snoozed = (
      await owner.patch(`/api/conversations/${conv.id}`, {
        status: 'snoozed',
        snoozedUntil: '2026-03-03T01:00:00.000Z',
      })
    ).json();
    expect(snoozed).toMatchObject({ status: 'snoozed', snoozedUntil: '2026-03-03T01:00:00.000Z' });
    for (let i = 0; i < 5; i++)
      await owner.post(`/api/conversations/${conv.id}/messages`, { clientId: `p${i}`, body: `page ${i}` });
    const older = (await owner.get(`/api/conversations/${conv.id}/messages?before=5&limit=2`)).json().items;
    expect(older.map((m: { seq: number }) => m.seq)).toEqual([3, 4]);
    expect((await owner.patch(`/api/conversations/${conv.id}`, { assigneeId: 'usr_nobody' })).statusCode).toBe(400);
    const audit = (await owner.get('/api/audit?action=conversation.updated')).json().items;
    expect(audit.map((e: { data: object }) => e.data)).toContainEqual({ status: { from: 'open', to: 'resolved' } });
  });

  it('assigns an unassigned conversation to the agent who replies, not on a note, and never takes it from another (defect 11)', async () => {
    const { owner, conv, wsId } = await withConversation();
    const agent = await t.user(wsId, 'agent');
    await agent.post(`/api/conversations/${conv.id}/messages`, { clientId: 'n1', kind: 'note', body: '先看看物流' });
    expect((await owner.get(`/api/conversations/${conv.id}`)).json().assigneeId).toBeNull();
    await agent.post(`/api/conversations/${conv.id}/messages`, { clientId: 'r1', body: '您好，我来帮您查一下' });
    expect((await owner.get(`/api/conversations/${conv.id}`)).json().assigneeId).toBe(agent.actor.userId);
    await owner.post(`/api/conversations/${conv.id}/messages`, { clientId: 'r2', body: '补充一句' });
    expect((await owner.get(`/api/conversations/${conv.id}`)).json().assigneeId).toBe(agent.actor.userId);
    const audit = (await owner.get('/api/audit?action=conversation.updated')).json().items;
    expect(audit[0]).toMatchObject({
      actorId: agent.actor.userId,
      data: { assignee: { from: null, to: agent.actor.userId } },
    });
  });

  it("shows shoppers the agent's display name, never the account name (defect 12)", async () => {
    const { owner, conv } = await withConversation();
    const me = (await owner.get('/api/users')).json().items.find((u: { id: string }) => u.id === owner.actor.userId);
    expect(me.displayName).toBeNull();
    // Without a display name shoppers get no name (the widget says 客服 / Support in its language),
    // never the account name; a note (the team only) keeps the account name.
    await owner.post(`/api/conversations/${conv.id}/messages`, { clientId: 'a1', body: '您好' });
    await owner.post(`/api/conversations/${conv.id}/messages`, { clientId: 'n1', kind: 'note', body: '查物流' });
    const updated = await owner.patch(`/api/users/${owner.actor.userId}`, { displayName: '客服小雨' });
    expect(updated.json()).toMatchObject({ displayName: '客服小雨', name: me.name });
    await owner.post(`/api/conversations/${conv.id}/messages`, { clientId: 'a2', body: '我来帮您查' });
    const names = (await owner.get(`/api/conversations/${conv.id}/messages`))
      .json()
      .items.map((m: { sender: { name: string | null } }) => m.sender.name);
    expect(names.slice(-3)).toEqual([null, me.name, '客服小雨']);
    expect((await owner.patch(`/api/users/${owner.actor.userId}`, { displayName: 'x'.repeat(41) })).statusCode).toBe(
      400,
    );
    expect(
      (await owner.patch(`/api/users/${owner.actor.userId}`, { displayName: null })).json().displayName,
    ).toBeNull();
  });

  it("names an agent without a display name to the shopper's widget session by no name, with the avatar (defect 12)", async () => {
    const { owner, inbox } = await withConversation();
    const session = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/session`,
        payload: { visitorId: 'neutral-name-visitor-01', origin: 'https://shop.example.com' },
      });
    await t.app.inject({
      method: 'POST',
      url: `/api/widget/${inbox.publicId}/offline-message`,
      headers: { authorization: `Widget ${(await session()).json().token}` },
      payload: { contact: '13900139000', body: '在吗' },
    });
    const conv = (await owner.get('/api/conversations')).json().items[0];
    await owner.post(`/api/conversations/${conv.id}/messages`, { clientId: 'a1', body: '在的' }); // takes it
    const s = (await session()).json();
    expect(s.agent).toEqual({ name: '', avatar: `/api/agent-avatars/${owner.actor.userId}` });
    const shopperView = await messagesAfter(t.s, conv.id, 0, 50, true);
    expect(shopperView.at(-1)!.m.sender).toMatchObject({ type: 'agent', name: null });
    const me = (await owner.get('/api/users')).json().items.find((u: { id: string }) => u.id === owner.actor.userId);
    expect(JSON.stringify([s, shopperView])).not.toContain(me.name);
    expect(JSON.stringify([s, shopperView])).not.toContain(owner.actor.email);
  });

  it('leaves the conversation unassigned on a reply when assignOnReply is off', async () => {
    const clock = manualClock('2026-03-02T03:00:00Z');
    t = await testApp(engine, { clock, config: { assignOnReply: false } });
    const { owner } = await t.workspace('shop');
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    await t.app.inject({
      method: 'POST',
      url: `/api/widget/${inbox.publicId}/offline-message`,
      payload: { contact: 'a@example.com', body: '在吗' },
    });
    const conv = (await owner.get('/api/conversations')).json().items[0];
    await owner.post(`/api/conversations/${conv.id}/messages`, { clientId: 'r1', body: '在的' });
    expect((await owner.get(`/api/conversations/${conv.id}`)).json().assigneeId).toBeNull();
  });

  it('reopens a resolved conversation when the shopper writes again, and tracks unread by read position', async () => {
    const { owner, conv } = await withConversation();
    await owner.patch(`/api/conversations/${conv.id}`, { status: 'resolved' });
    await owner.post(`/api/conversations/${conv.id}/read`, { seq: 1 });
    expect((await owner.get(`/api/conversations/${conv.id}`)).json().agentLastReadSeq).toBe(1);
    expect((await owner.post(`/api/conversations/${conv.id}/read`, { seq: 99 })).statusCode).toBe(200); // beyond the end: ignored
    expect((await owner.get(`/api/conversations/${conv.id}`)).json().agentLastReadSeq).toBe(1);
    const inbox = (await owner.get('/api/inboxes')).json().items[0];
    await t.app.inject({
      method: 'POST',
      url: `/api/widget/${inbox.publicId}/offline-message`,
      payload: { contact: 'x@example.com', body: 'again' },
    });
    const all = (await owner.get('/api/conversations')).json().items;
    expect(all.filter((c: { status: string }) => c.status === 'open')).toHaveLength(1);
  });

  it('manages canned replies with unique short codes', async () => {
    const { owner, wsId } = await withConversation();
    const r = (
      await owner.post('/api/canned-replies', {
        shortCode: 'hello',
        content: '您好 {{customer.name}}，请问有什么可以帮您？',
      })
    ).json();
    expect((await owner.post('/api/canned-replies', { shortCode: 'hello', content: 'dup' })).statusCode).toBe(409);
    expect((await owner.post('/api/canned-replies', { shortCode: 'bad code!', content: 'x' })).statusCode).toBe(400);
    expect(
      (await owner.patch(`/api/canned-replies/${r.id}`, { shortCode: 'hi', content: 'changed' })).json().shortCode,
    ).toBe('hi');
    const reader = await t.user(wsId, 'readonly');
    expect((await reader.get('/api/canned-replies')).json().items).toHaveLength(1);
    expect((await reader.post('/api/canned-replies', { shortCode: 'x', content: 'x' })).statusCode).toBe(403);
    expect((await owner.del(`/api/canned-replies/${r.id}`)).statusCode).toBe(200);
    expect((await owner.get('/api/canned-replies')).json().items).toEqual([]);
  });

  it('accepts uploads from agents and shoppers, checks image bytes, and serves them through signed links only', async () => {
    const { owner, conv, inbox, clock } = await withConversation();
    const up = (o: Client | null, name: string, type: string, body: Buffer, widget?: string) => {
      const m = multipart(name, type, body);
      const headers = { ...m.headers, ...(widget ? { authorization: `Widget ${widget}` } : {}) };
      return o
        ? o.request({ method: 'POST', url: '/api/uploads', payload: m.payload, headers })
        : t.app.inject({ method: 'POST', url: '/api/uploads', payload: m.payload, headers });
    };
    const img = await up(owner, '截图.png', 'image/png', png);
    expect(img.statusCode, img.body).toBe(200);
    const att = img.json();
    expect(att).toMatchObject({ name: '截图.png', mime: 'image/png', size: png.length });
    const fake = await up(owner, 'x.png', 'image/png', Buffer.from('<html><script>alert(1)</script></html>'));
    expect(fake.statusCode).toBe(400);
    expect((await up(owner, 'x.svg', 'image/svg+xml', Buffer.from('<svg/>'))).statusCode).toBe(415);
    expect((await up(null, 'a.png', 'image/png', png)).statusCode).toBe(401);
    expect((await up(owner, 'big.txt', 'text/plain', Buffer.alloc(10 * 1024 * 1024 + 10, 97))).statusCode).toBe(413);

    const sent = await owner.post(`/api/conversations/${conv.id}/messages`, {
      clientId: 'img-1',
      kind: 'image',
      body: '',
      attachments: [{ id: att.id }],
    });
    expect(sent.statusCode, sent.body).toBe(200);
    const msg = (await owner.get(`/api/conversations/${conv.id}/messages?after=1`)).json().items[0];
    const file = await t.app.inject({ method: 'GET', url: msg.attachments[0].url });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.rawPayload.equals(png)).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: `/api/attachments/${att.id}?t=forged.sig` })).statusCode).toBe(
      403,
    );
    clock.advance(3 * 86400_000);
    expect((await t.app.inject({ method: 'GET', url: msg.attachments[0].url })).statusCode).toBe(403);

    // A shopper may attach only their own uploads.
    const session = (
      await t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/session`,
        payload: { visitorId: 'visitor-abcdefghijklmnop', origin: 'https://shop.example.com' },
      })
    ).json();
    const mine = await up(null, 'photo.png', 'image/png', png, session.token);
    expect(mine.statusCode, mine.body).toBe(200);
    expect((await up(null, 'photo.png', 'image/png', png, 'forged')).statusCode).toBe(401);
  });

  it('tells the widget whether anyone can answer: business hours and agents online', async () => {
    const hours = {
      mon: [
        ['09:00', '12:00'],
        ['13:30', '18:00'],
      ],
      tue: [],
      wed: [],
      thu: [],
      fri: [],
      sat: [],
      sun: [],
    };
    const { inbox, clock, owner } = await withConversation({ businessHours: { timezone: 'Asia/Shanghai', hours } });
    const config = async () =>
      (await t.app.inject({ method: 'GET', url: `/api/widget/${inbox.publicId}/config` })).json();
    expect(await config()).toMatchObject({
      withinBusinessHours: true,
      online: false,
      greeting: { 'zh-CN': expect.any(String) },
    });
    await allTables(t.s)
      .updateTable('users')
      .set({ last_active_at: clock.now().toISOString() })
      .where('id', '=', owner.actor.userId)
      .execute();
    expect((await config()).online).toBe(true);
    clock.advance(60 * 60_000); // 12:00 Shanghai: lunch break, and the agent went quiet
    expect(await config()).toMatchObject({ withinBusinessHours: false, online: false });
    expect((await t.app.inject({ method: 'GET', url: '/api/widget/wi_unknown/config' })).statusCode).toBe(404);
  });

  it('checks the workspace before a resend: the installation owner, switched elsewhere, learns nothing of a known client id', async () => {
    t = await testApp(engine);
    const { id: homeId, owner } = await t.workspace('vendor', { installationOwner: true });
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    await t.app.inject({
      method: 'POST',
      url: `/api/widget/${inbox.publicId}/offline-message`,
      payload: { contact: 'x@example.com', body: 'hello' },
    });
    const conv = (await owner.get('/api/conversations')).json().items[0];
    const sent = await owner.post(`/api/conversations/${conv.id}/messages`, { clientId: 'k1', body: 'answer' });
    expect(sent.json()).toMatchObject({ seq: 2, duplicate: false, prev: 1 });
    const { id: otherId } = await t.workspace('other');
    expect((await owner.post('/api/auth/switch-workspace', { workspaceId: otherId })).statusCode).toBe(200);
    // The same user and client id, now acting in another workspace: no such conversation, no id or seq.
    const again = await owner.post(`/api/conversations/${conv.id}/messages`, { clientId: 'k1', body: 'answer' });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('unknown_conversation');
    expect(again.body).not.toContain(sent.json().id);
    await owner.post('/api/auth/switch-workspace', { workspaceId: homeId });
    const resend = await owner.post(`/api/conversations/${conv.id}/messages`, { clientId: 'k1', body: 'answer' });
    expect(resend.json()).toMatchObject({ id: sent.json().id, seq: 2, duplicate: true });
    const reused = await owner.post(`/api/conversations/${conv.id}/messages`, { clientId: 'k1', body: 'other text' });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error.code).toBe('cid_conflict');
  });
});
