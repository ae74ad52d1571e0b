/**
 * Web Push, server side: VAPID keys made once (private key encrypted), subscriptions per person,
 * "assigned to you" and @mention notifications for conversations and tickets pushed through a push service
 * (a fake one: the real ones are third-party clouds) that checks the VAPID JWT and decrypts the
 * aes128gcm body; gone subscriptions are deleted; http endpoints only when allowed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { conversationForCustomer } from '../conversations/index.ts';
import { customerForVisitor } from '../customers/index.ts';
import { startFakePushService, type FakePushService } from './push-service.fake.ts';
import { sendPush } from './push.ts';

describe.each(engines)('web push on %s', (engine) => {
  let t: TestApp;
  let fake: FakePushService;
  afterEach(async () => {
    await t?.close();
    await fake?.close();
  });

  async function setup() {
    fake = await startFakePushService();
    t = await testApp(engine, { config: { outboundAllowList: '127.0.0.1' } });
    const { id: wsId, owner } = await t.workspace('shop');
    const agent = await t.user(wsId, 'agent');
    return { wsId, owner, agent };
  }

  /** The push jobs enqueued so far, run as the worker would. */
  async function runPushJobs() {
    const jobs = await allTables(t.s).selectFrom('jobs').selectAll().where('type', '=', 'notifications.push').execute();
    for (const j of jobs) await sendPush(t.s, (JSON.parse(j.payload) as { notificationId: string }).notificationId);
    return jobs.length;
  }

  it('makes one VAPID key pair, stores the private half encrypted, and lets a person subscribe and leave', async () => {
    const { agent } = await setup();
    const key = (await agent.get('/api/push/key')).json();
    expect(Buffer.from(key.publicKey, 'base64url')).toHaveLength(65);
    expect(key.subscriptions).toBe(0);
    expect((await agent.get('/api/push/key')).json().publicKey).toBe(key.publicKey);
    const row = await allTables(t.s).selectFrom('push_vapid').selectAll().executeTakeFirstOrThrow();
    expect(row.private_key_enc).not.toMatch(/^[A-Za-z0-9_-]{43}$/); // not the raw key
    expect(t.s.cipher.decrypt(row.private_key_enc)).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const sub = fake.subscription('phone');
    expect((await agent.post('/api/push/subscriptions', sub)).statusCode).toBe(200);
    expect((await agent.get('/api/push/key')).json().subscriptions).toBe(1);
    // Bad input changes nothing.
    expect((await agent.post('/api/push/subscriptions', { ...sub, keys: { p256dh: 'x' } })).statusCode).toBe(400);
    const plain = { ...sub, endpoint: 'http://push.example.com/push/x' };
    expect((await agent.post('/api/push/subscriptions', plain)).statusCode).toBe(400);
    expect((await agent.post('/api/push/subscriptions/remove', { endpoint: sub.endpoint })).statusCode).toBe(200);
    expect((await agent.post('/api/push/subscriptions/remove', { endpoint: sub.endpoint })).statusCode).toBe(404);
    expect((await agent.get('/api/push/key')).json().subscriptions).toBe(0);
  });

  it('pushes "assigned to you" for a ticket and a conversation, encrypted for the browser and signed with VAPID', async () => {
    const { wsId, owner, agent } = await setup();
    await agent.post('/api/push/subscriptions', fake.subscription('agent-phone'));
    const ticket = (await owner.post('/api/tickets', { subject: '发票抬头写错了' })).json();
    const res = await owner.patch(`/api/tickets/${ticket.id}`, {
      version: ticket.version,
      assigneeId: agent.actor.userId,
    });
    expect(res.statusCode).toBe(200);

    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    const customer = await customerForVisitor(t.s, {
      workspaceId: wsId,
      visitorId: 'visitor_push_abcdefghijklm',
      pii: { name: '王小明' },
    });
    const conv = (await conversationForCustomer(t.s, wsId, inbox.id, customer.id, true))!;
    await owner.patch(`/api/conversations/${conv.id}`, { assigneeId: agent.actor.userId });
    // Taking work yourself notifies nobody.
    const own = (await owner.post('/api/tickets', { subject: '自己处理' })).json();
    await owner.patch(`/api/tickets/${own.id}`, { version: own.version, assigneeId: owner.actor.userId });

    const bell = (await agent.get('/api/notifications')).json();
    expect(bell.items.map((n: { type: string }) => n.type).sort()).toEqual([
      'conversation.assigned',
      'ticket.assigned',
    ]);
    // The bell names what each is about: the ticket's subject and number, the conversation's customer
    // (read when listed, masked for an agent without customers.pii, never stored in the notification).
    const byType = Object.fromEntries(bell.items.map((n: { type: string }) => [n.type, n]));
    expect(byType['ticket.assigned'].data.subject).toMatchObject({ number: ticket.number, title: '发票抬头写错了' });
    const named = byType['conversation.assigned'].data.subject.customerName as string;
    expect(named).toMatch(/^王/);
    // And the customer's id, so the console names an unnamed visitor "访客 4b2e" as on every page.
    expect(byType['conversation.assigned'].data.subject.customerId).toBe(customer.id);
    expect(named).not.toBe('王小明');
    const stored = await allTables(t.s).selectFrom('notifications').select('data').execute();
    expect(JSON.stringify(stored)).not.toContain('王');
    expect((await owner.get('/api/notifications')).json().items).toEqual([]);

    expect(await runPushJobs()).toBe(2);
    expect(fake.refused).toEqual([]);
    expect(fake.received).toHaveLength(2);
    const payloads = fake.received.map((r) => JSON.parse(r.payload) as { title: string; body: string; url: string });
    expect(payloads).toContainEqual(
      expect.objectContaining({
        title: `工单 #${ticket.number} 分配给你`,
        body: '发票抬头写错了',
        url: `/tickets/${ticket.id}`,
      }),
    );
    expect(payloads).toContainEqual(expect.objectContaining({ title: '新会话分配给你', url: `/inbox?c=${conv.id}` }));
    expect(fake.received[0].jwt.aud).toBe(fake.origin);
    expect(fake.received[0].ttl).toBe('3600');
  });

  it("pushes an @mention in a note to the person named, with the author's display name and the note, decrypted by the receiver", async () => {
    const { wsId, owner, agent } = await setup();
    await owner.patch(`/api/users/${owner.actor.userId}`, { displayName: '店长小云' });
    await owner.patch(`/api/users/${agent.actor.userId}`, { displayName: '客服小雨' });
    await agent.post('/api/push/subscriptions', fake.subscription('agent-phone'));
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    const customer = await customerForVisitor(t.s, {
      workspaceId: wsId,
      visitorId: 'visitor_push_mention_abc',
      pii: {},
    });
    const conv = (await conversationForCustomer(t.s, wsId, inbox.id, customer.id, true))!;
    const note = await owner.post(`/api/conversations/${conv.id}/messages`, {
      clientId: 'mention-1',
      kind: 'note',
      body: '@客服小雨 这位顾客要开增值税专票，请跟进',
    });
    expect(note.statusCode, note.body).toBe(200);
    await expect
      .poll(async () => (await agent.get('/api/notifications')).json().items.length, { timeout: 10_000 })
      .toBe(1);

    expect(await runPushJobs()).toBe(1);
    expect(fake.refused).toEqual([]);
    expect(fake.received).toHaveLength(1);
    expect(fake.received[0].path).toContain('agent-phone');
    const payload = JSON.parse(fake.received[0].payload) as { title: string; body: string; url: string };
    expect(payload).toMatchObject({ title: '店长小云 在备注中提到了你', url: `/inbox?c=${conv.id}` });
    // The note's text stays in Kefu (it may hold a shopper's details): the push names who and where.
    expect(payload.body).not.toContain('增值税专票');
    // The author is not notified of their own note.
    expect((await owner.get('/api/notifications')).json().items).toEqual([]);
  });

  it('deletes a subscription the push service says is gone, and never pushes to another person', async () => {
    const { owner, agent } = await setup();
    await agent.post('/api/push/subscriptions', fake.subscription('old-laptop'));
    await owner.post('/api/push/subscriptions', fake.subscription('owner-phone'));
    fake.expire('old-laptop');
    const ticket = (await owner.post('/api/tickets', { subject: '退货' })).json();
    await owner.patch(`/api/tickets/${ticket.id}`, { version: ticket.version, assigneeId: agent.actor.userId });
    await runPushJobs();
    expect(fake.received).toEqual([]);
    const left = await allTables(t.s).selectFrom('push_subscriptions').select('user_id').execute();
    expect(left.map((r) => r.user_id)).toEqual([owner.actor.userId]);
  });
});
