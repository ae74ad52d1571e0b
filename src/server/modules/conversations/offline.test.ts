/**
 * Offline messages and personal data (issue #9, finding 5): the name and contact a shopper leaves
 * go to the customer's encrypted profile only, never into the message, the inbox preview, the
 * sender name or the ticket made from it; rows stored before are redacted by migration 0009.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { up as redactOfflineContacts, withoutSignature } from '../../../../migrations/0009-redact-offline-contacts.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { dumpDatabase } from '../../testing/db-dump.ts';

describe.each(engines)('offline messages on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  async function setup() {
    t = await testApp(engine);
    const { id, owner } = await t.workspace('shop');
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    const leave = (payload: object, widget?: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/offline-message`,
        payload,
        headers: widget ? { authorization: `Widget ${widget}` } : {},
      });
    return { wsId: id, owner, inbox, leave };
  }

  it('without a session checks what a session start would: the page origin and a required identity', async () => {
    const { owner, leave } = await setup();
    const msg = { contact: 'li@example.com', body: '还没发货' };
    const foreign = await leave({ ...msg, origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('origin_not_allowed');
    expect((await leave({ ...msg, origin: 'https://shop.example.com' })).statusCode).toBe(200);
    // An inbox that accepts only shoppers the shop signed accepts no anonymous message either.
    const closed = (
      await owner.post('/api/inboxes', {
        name: 'Members',
        settings: { allowedOrigins: ['https://shop.example.com'], requireIdentity: true },
      })
    ).json();
    const secret = (await owner.get(`/api/inboxes/${closed.id}`)).json().identitySecret as string;
    const post = (payload: object) =>
      t.app.inject({ method: 'POST', url: `/api/widget/${closed.publicId}/offline-message`, payload });
    const anonymous = await post(msg);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('identity_required');
    const forged = await post({ ...msg, identity: { userId: 'member-7', hash: '0'.repeat(64) } });
    expect(forged.json().error.code).toBe('identity_invalid');
    const hash = createHmac('sha256', secret).update('member-7').digest('hex');
    expect((await post({ ...msg, identity: { userId: 'member-7', hash } })).statusCode).toBe(200);
    // The message is the signed shopper's: a session started later with the same identity finds it.
    const session = (
      await t.app.inject({
        method: 'POST',
        url: `/api/widget/${closed.publicId}/session`,
        payload: {
          visitorId: 'member-visitor-000001',
          origin: 'https://shop.example.com',
          identity: { userId: 'member-7', hash },
        },
      })
    ).json();
    expect(session.conversationId).not.toBeNull();
    const conv = (await owner.get(`/api/conversations/${session.conversationId}/messages`)).json();
    expect(conv.items.map((m: { body: string }) => m.body)).toEqual(['还没发货']);
    expect((await allTables(t.s).selectFrom('messages').select('id').execute()).length).toBe(2);
  });

  it('keeps the contact in the encrypted profile only, shown masked to roles without customers.pii', async () => {
    const { wsId, owner, leave } = await setup();
    expect((await leave({ name: '王小明', contact: '13800138000', body: '快递三天没动了' })).statusCode).toBe(200);
    const conv = (await owner.get('/api/conversations')).json().items[0];
    const messages = (await owner.get(`/api/conversations/${conv.id}/messages`)).json().items;
    expect(messages.map((m: { body: string; sender: { name: string | null } }) => [m.body, m.sender.name])).toEqual([
      ['快递三天没动了', null],
    ]);
    expect(conv.lastMessagePreview).toBe('快递三天没动了');
    const dump = await dumpDatabase(t.s);
    expect(dump).not.toContain('13800138000');
    expect(dump).not.toContain('王小明');
    expect((await owner.get(`/api/customers/${conv.customerId}`)).json()).toMatchObject({
      name: '王小明',
      phone: '13800138000',
    });
    for (const role of ['agent', 'readonly', 'auditor'] as const) {
      const viewer = await t.user(wsId, role);
      const seen = JSON.stringify([
        (await viewer.get(`/api/customers/${conv.customerId}`)).json(),
        (await viewer.get('/api/conversations')).json(),
        (await viewer.get(`/api/conversations/${conv.id}/messages`)).json(),
        (await viewer.get('/api/tickets')).json(),
      ]);
      expect(seen, role).toContain('138****8000');
      expect(seen, role).not.toContain('13800138000');
      expect(seen, role).not.toContain('王小明');
    }
  });

  it('replaces the profile’s contact with the one a known shopper leaves', async () => {
    const { owner, inbox, leave } = await setup();
    const session = (
      await t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/session`,
        payload: {
          visitorId: 'visitor-offline-00000001',
          origin: 'https://shop.example.com',
          preChat: { phone: '13900000000' },
        },
      })
    ).json();
    await leave({ contact: '13700000000', body: '请回电' }, session.token);
    expect((await owner.get(`/api/customers/${session.customerId}`)).json().phone).toBe('13700000000');
  });

  it('redacts contacts that earlier versions wrote into messages, previews and tickets (migration 0009)', async () => {
    const { owner, leave } = await setup();
    await leave({ name: '赵六', contact: 'zhao@example.com', body: '发票抬头写错了\n请重开' });
    const db = allTables(t.s);
    const conv = (await owner.get('/api/conversations')).json().items[0];
    const old = '发票抬头写错了\n请重开\n\n— 赵六 (zhao@example.com)';
    // What an earlier version stored.
    await db
      .updateTable('messages')
      .set({ body: old, sender_name: '赵六' })
      .where('conversation_id', '=', conv.id)
      .execute();
    await db.updateTable('conversations').set({ last_message_preview: old }).where('id', '=', conv.id).execute();
    await db.updateTable('ticket_events').set({ body: old }).where('type', '=', 'created').execute();
    const created = await db
      .selectFrom('ticket_events')
      .select(['id', 'data'])
      .where('type', '=', 'created')
      .executeTakeFirstOrThrow();
    const data = JSON.parse(created.data) as { transcript: { body: string; sender: string }[] };
    data.transcript[0] = { ...data.transcript[0], body: old, sender: '赵六' };
    await db
      .updateTable('ticket_events')
      .set({ data: JSON.stringify(data) })
      .where('id', '=', created.id)
      .execute();
    expect(await dumpDatabase(t.s)).toContain('zhao@example.com');

    await redactOfflineContacts(t.s.db as never);
    const dump = await dumpDatabase(t.s);
    expect(dump).not.toContain('zhao@example.com');
    expect(dump).not.toContain('赵六');
    expect((await owner.get(`/api/conversations/${conv.id}/messages`)).json().items[0].body).toBe(
      '发票抬头写错了\n请重开',
    );
    expect((await owner.get(`/api/conversations/${conv.id}`)).json().lastMessagePreview).toBe('发票抬头写错了\n请重开');
    expect(withoutSignature('no signature here')).toBeNull();
    expect(withoutSignature('a\n\n— b\nc')).toBeNull();
  });
});
