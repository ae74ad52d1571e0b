/**
 * One browser, several shoppers (issue #9, finding 4): a visitor id bound to a verified shopper is
 * never handed to another identity, through the widget session API or the /ws history; the shop's
 * user id is stored encrypted and masked for roles without customers.pii.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../../shared/realtime/protocol.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { connect, type TestSocket } from '../../testing/ws-client.ts';
import { manualClock } from '../../lib/clock.ts';
import { encryptLegacyExternalIds } from './visitors.ts';

const browser = 'shared-browser-visitor-01';

describe.each(engines)('shoppers sharing a browser on %s', (engine) => {
  let t: TestApp;
  let base: string;
  let owner: Client;
  let inbox: { publicId: string; identitySecret: string };
  const sockets: TestSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await t?.close();
  });

  async function setup(clock?: ReturnType<typeof manualClock>) {
    t = await testApp(engine, { clock });
    base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    owner = (await t.workspace('shop')).owner;
    inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
  }
  const sign = (userId: string) => createHmac('sha256', inbox.identitySecret).update(userId).digest('hex');
  async function session(visitorId: string, userId?: string, preChat?: object) {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/widget/${inbox.publicId}/session`,
      payload: {
        visitorId,
        origin: 'https://shop.example.com',
        ...(userId ? { identity: { userId, hash: sign(userId) } } : {}),
        ...(preChat ? { preChat } : {}),
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { token: string; customerId: string; conversationId: string | null };
  }
  async function open(token: string) {
    const s = await connect(`${base}/ws?widget=${token}`);
    sockets.push(s);
    const welcome = await s.next<Extract<ServerFrame, { t: 'welcome' }>>((f) => f.t === 'welcome');
    return { s, welcome };
  }

  it('a new visitor gets a customer bound to their visitor id, seen now; a returning one is seen again', async () => {
    const clock = manualClock('2026-03-02T03:00:00Z');
    await setup(clock);
    const first = await session('visitor-seen-00001');
    const row = () =>
      allTables(t.s)
        .selectFrom('customers')
        .select(['id', 'created_at', 'last_seen_at'])
        .where('id', '=', first.customerId)
        .executeTakeFirstOrThrow();
    expect(await row()).toMatchObject({
      created_at: '2026-03-02T03:00:00.000Z',
      last_seen_at: '2026-03-02T03:00:00.000Z',
    });
    const ids = await allTables(t.s)
      .selectFrom('customer_identities')
      .select(['customer_id', 'channel'])
      .where('identifier', '=', 'visitor-seen-00001')
      .execute();
    expect(ids).toEqual([{ customer_id: first.customerId, channel: 'web' }]);
    clock.advance(3600_000);
    const again = await session('visitor-seen-00001');
    expect(again.customerId).toBe(first.customerId);
    expect((await row()).last_seen_at).toBe('2026-03-02T04:00:00.000Z');
  });

  it('gives a second verified shopper on the same browser their own customer and none of the first one’s history', async () => {
    await setup();
    const alice = await session(browser, 'alice@shop.example', { name: '王小明', phone: '13800138000' });
    const a = await open(alice.token);
    a.s.send({ t: 'hello', subs: {} });
    a.s.send({ t: 'send', cid: 'a1', body: '我的收货地址是北京市朝阳区某某路 1 号' });
    const ack = await a.s.next<Extract<ServerFrame, { t: 'ack' }>>((f) => f.t === 'ack' && f.cid === 'a1');

    const bob = await session(browser, 'bob@shop.example');
    expect(bob.customerId).not.toBe(alice.customerId);
    expect(bob.conversationId).toBeNull();
    const profile = (await owner.get(`/api/customers/${bob.customerId}`)).json();
    expect(profile).toMatchObject({ name: null, phone: null, externalId: 'bob@shop.example' });

    // Over /ws: Bob's session lists none of Alice's conversations and cannot replay them.
    const b = await open(bob.token);
    expect(b.welcome.conversations).toEqual([]);
    b.s.send({ t: 'hello', subs: { [ack.conv]: 0 } });
    const refused = await b.s.next<Extract<ServerFrame, { t: 'error' }>>((f) => f.t === 'error');
    expect(refused.code).toBe('unknown_conversation');
    await new Promise((r) => setTimeout(r, 100));
    expect(b.s.frames.some((f) => f.t === 'msg')).toBe(false);

    // Nor does an anonymous visitor on that browser after them; Alice on another device is still Alice.
    const anonymous = await session(browser);
    expect([alice.customerId, bob.customerId]).not.toContain(anonymous.customerId);
    expect(anonymous.conversationId).toBeNull();
    expect((await open(anonymous.token)).welcome.conversations).toEqual([]);
    const phone = await session('alice-phone-visitor-001', 'alice@shop.example');
    expect(phone).toMatchObject({ customerId: alice.customerId, conversationId: ack.conv });
  });

  it('still turns an anonymous visitor who signs in into that shopper', async () => {
    await setup();
    const before = await session('visitor-who-logs-in-001', undefined, { name: '李四' });
    const after = await session('visitor-who-logs-in-001', 'li.si@shop.example');
    expect(after.customerId).toBe(before.customerId);
    expect((await owner.get(`/api/customers/${after.customerId}`)).json().externalId).toBe('li.si@shop.example');
  });

  it('stores the shop user id encrypted, masks it without customers.pii, and moves plain ones over', async () => {
    await setup();
    const { customerId } = await session('visitor-encrypted-0001', 'carol@shop.example');
    const row = await allTables(t.s)
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', customerId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('carol@shop.example');
    const agent = await t.user(owner.actor.workspaceId, 'agent');
    expect((await agent.get(`/api/customers/${customerId}`)).json().externalId).toBe('c***@shop.example');

    // A row written before encryption: found by its plain id, then converted; the job converts the rest.
    const legacy = async (id: string, externalId: string) =>
      allTables(t.s)
        .insertInto('customers')
        .values({
          ...row,
          id,
          external_id: externalId,
          external_idx: null,
          external_enc: null,
          created_at: row.created_at,
        })
        .execute();
    await legacy('cus_legacy_1', 'User-42');
    await legacy('cus_legacy_2', 'user-42'); // another shopper: ids are case-sensitive
    expect((await session('visitor-legacy-000001', 'User-42')).customerId).toBe('cus_legacy_1');
    expect(await encryptLegacyExternalIds(t.s)).toBe(1);
    const plain = await allTables(t.s)
      .selectFrom('customers')
      .select('id')
      .where('external_id', 'is not', null)
      .execute();
    expect(plain).toEqual([]);
    expect((await session('visitor-legacy-000002', 'user-42')).customerId).toBe('cus_legacy_2');
    expect((await session('visitor-legacy-000003', 'User-42')).customerId).toBe('cus_legacy_1');
  });
});
