/**
 * PIPL requests end to end (issue #9): a shopper's data planted through every input (pre-chat
 * form, the shop's signed identity, chat text both ways, an uploaded file, an offline message, a
 * ticket with phone and e-mail fields) is all in the export — checked with Python's zipfile, an
 * independent reader — and none of it is left anywhere after the erasure: the whole database is
 * dumped (FTS5 / trigram tables included) and every file of the blob store is read. Another
 * shopper's data, planted the same way, is still found (the search can find what it looks for).
 * The audit trail records who exported and erased, without the data.
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationForCustomer, postMessage } from '../conversations/index.ts';
import { dumpDatabase } from '../../testing/db-dump.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { multipart } from '../../testing/multipart.ts';
import { connect } from '../../testing/ws-client.ts';
import { closeCodes } from '../../../shared/realtime/protocol.ts';

const planted = {
  name: '删除甲',
  phone: '13522220001',
  email: 'erase-me@plant.example',
  identity: 'shop-user-13522220002',
  said: 'mytrackingword7731',
  reply: 'agentquote8842',
  file: 'filecontent5531',
  offline: 'offlineword6620',
  fieldPhone: '13522220003',
  address: '测试路88号',
  botQuery: 'botquestion4471',
  page: 'plantedpage9913',
};
const control = { name: '保留乙', said: 'keepthisword4410' };

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

describe.each(engines)('shopper export and erasure on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  let wsId: string;
  let customerId: string;
  let otherId: string;
  let publicId: string;

  beforeAll(async () => {
    t = await testApp(engine);
    ({ id: wsId, owner } = await t.workspace('shop'));
    const inbox = (
      await owner.post('/api/inboxes', {
        name: 'Web',
        settings: {
          allowedOrigins: ['https://shop.example.com'],
          preChat: { enabled: true, fields: ['name', 'phone', 'email'], required: [] },
        },
      })
    ).json();
    publicId = inbox.publicId;
    const widget = (path: string, payload: object, token?: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/${path}`,
        payload,
        headers: token ? { authorization: `Widget ${token}` } : {},
      });
    const hash = createHmac('sha256', inbox.identitySecret).update(planted.identity).digest('hex');
    const session = (
      await widget('session', {
        visitorId: 'visitor-erase-0000001',
        origin: 'https://shop.example.com',
        identity: { userId: planted.identity, hash },
        preChat: { name: planted.name, phone: planted.phone, email: planted.email },
      })
    ).json();
    customerId = session.customerId;
    // The page they are on (shopper context).
    const seen = await widget(
      'context',
      { url: `https://shop.example.com/p/${planted.page}`, title: planted.page, timeZone: 'Asia/Shanghai' },
      session.token,
    );
    expect(seen.statusCode, seen.body).toBe(200);
    const other = (
      await widget('session', {
        visitorId: 'visitor-keep-00000001',
        origin: 'https://shop.example.com',
        preChat: { name: control.name },
      })
    ).json();
    otherId = other.customerId;

    // A file from the shopper, then chat both ways.
    const m = multipart('receipt.txt', 'text/plain', Buffer.from(`receipt ${planted.file}`));
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/uploads',
      payload: m.payload,
      headers: { ...m.headers, authorization: `Widget ${session.token}` },
    });
    expect(up.statusCode, up.body).toBe(200);
    const c1 = (await conversationForCustomer(t.s, wsId, inbox.id, customerId, true))!;
    const c2 = (await conversationForCustomer(t.s, wsId, inbox.id, otherId, true))!;
    const shopper = { type: 'customer' as const, id: customerId, name: planted.name, workspaceId: wsId };
    await postMessage(t.s, shopper, c1.id, {
      clientId: 'c-1',
      kind: 'file',
      body: `my number is ${planted.phone}, tracking ${planted.said}`,
      attachments: [{ id: up.json().id }],
    });
    await postMessage(t.s, { type: 'agent', id: owner.actor.userId, name: 'Agent', workspaceId: wsId }, c1.id, {
      clientId: 'a-1',
      kind: 'text',
      body: `we will call ${planted.reply}`,
    });
    await postMessage(t.s, { type: 'customer', id: otherId, name: control.name, workspaceId: wsId }, c2.id, {
      clientId: 'k-1',
      kind: 'text',
      body: `hello ${control.said}`,
    });
    await widget('offline-message', { contact: planted.email, body: `call me ${planted.offline}` }, session.token);
    await owner.post('/api/ticket-fields', { key: 'callback', label: 'Callback', type: 'phone' });
    const ticket = await owner.post('/api/tickets', {
      subject: `Refund ${planted.said}`,
      customerId,
      fields: { callback: planted.fieldPhone },
      description: `shopper wrote ${planted.offline}`,
    });
    expect(ticket.statusCode, ticket.body).toBe(200);
    // An order in the store with the shopper as its receiver (encrypted: the export opens it, the erasure drops it).
    await allTables(t.s)
      .insertInto('store_orders')
      .values({
        id: 'ord_privacy_1',
        workspace_id: wsId,
        order_no: 'P202600001',
        customer_id: customerId,
        status: 'paid',
        items: '[]',
        total: 100,
        currency: 'CNY',
        receiver_enc: t.s.cipher.encrypt(
          JSON.stringify({ name: planted.name, phone: planted.phone, address: planted.address }),
        ),
        refund: null,
        created_at: new Date().toISOString(),
        paid_at: null,
        shipped_at: null,
        delivered_at: null,
      })
      .execute();
    // The bot's record of a question the shopper asked.
    await allTables(t.s)
      .insertInto('bot_turns')
      .values({
        message_id: 'msg_privacy_bot',
        workspace_id: wsId,
        conversation_id: c1.id,
        query: `where is my parcel ${planted.botQuery}`,
        intent: null,
        entry_id: null,
        confidence: null,
        outcome: 'handoff',
        reply_id: null,
        rating: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    // Searches make the indexes hold the planted words (they would anyway: triggers).
    expect((await owner.get(`/api/conversations?q=${planted.said}`)).json().items.length).toBeGreaterThan(0);
  });
  afterAll(async () => t?.close());

  it('exports everything held about the shopper as a ZIP that another reader opens', async () => {
    const res = await owner.post(`/api/customers/${customerId}/export`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const zip = join(t.env.dataDir, 'export.zip');
    writeFileSync(zip, res.rawPayload);
    const listing = execFileSync('python3', [
      '-c',
      `import zipfile,sys,json
z=zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps({n: z.read(n).decode('utf-8','replace') for n in z.namelist()}))`,
      zip,
    ]).toString();
    const files = JSON.parse(listing) as Record<string, string>;
    const doc = JSON.parse(files['customer.json']);
    expect(doc.customer).toMatchObject({ name: planted.name, phone: planted.phone, email: planted.email });
    expect(doc.customer.externalId).toBe(planted.identity);
    const all = Object.values(files).join('\n');
    expect(doc.orders).toEqual([
      expect.objectContaining({
        orderNo: 'P202600001',
        receiver: expect.objectContaining({ address: planted.address }),
      }),
    ]);
    for (const v of [planted.said, planted.reply, planted.file, planted.offline, planted.fieldPhone])
      expect(all, v).toContain(v);
    expect(all).not.toContain(control.said);
    expect(Object.keys(files).some((n) => n.startsWith('attachments/') && n.endsWith('receipt.txt'))).toBe(true);
  });

  it('refuses an erasure without the confirmation, and roles without privacy.manage', async () => {
    expect((await owner.post(`/api/customers/${customerId}/erase`, { confirm: 'x' })).statusCode).toBe(400);
    const supervisor = await t.user(wsId, 'supervisor');
    expect((await supervisor.post(`/api/customers/${customerId}/erase`, { confirm: customerId })).statusCode).toBe(403);
    expect((await supervisor.post(`/api/customers/${customerId}/export`)).statusCode).toBe(403);
  });

  it('erases it from the whole database and the blob store, and keeps the audit trail without the data', async () => {
    const blobsBefore = filesUnder(join(t.env.dataDir, 'attachments'))
      .map((f) => readFileSync(f, 'latin1'))
      .join('\n');
    expect(blobsBefore).toContain(planted.file);
    const before = await dumpDatabase(t.s);
    // What is stored in clear before (message texts; the profile is encrypted): the search finds it.
    for (const v of [planted.phone, planted.said, planted.reply, planted.offline])
      expect(before.includes(v), v).toBe(true);

    const res = await owner.post(`/api/customers/${customerId}/erase`, { confirm: customerId });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().counts).toMatchObject({ conversations: 1, tickets: 2, attachments: 1, orders: 1, botTurns: 1 });

    const dump = await dumpDatabase(t.s);
    for (const v of Object.values(planted)) expect(dump.includes(v), `${v} left in the database`).toBe(false);
    expect(dump.includes(control.said)).toBe(true);
    const blobs = filesUnder(join(t.env.dataDir, 'attachments'))
      .map((f) => readFileSync(f, 'latin1'))
      .join('\n');
    for (const v of Object.values(planted)) expect(blobs.includes(v), `${v} left in a file`).toBe(false);
    // Nothing left to decrypt either: the profile's encrypted columns and keyed hashes are empty.
    const row = await allTables(t.s)
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', customerId)
      .executeTakeFirst();
    expect(row).toMatchObject({
      name_enc: null,
      phone_enc: null,
      email_enc: null,
      external_enc: null,
      phone_idx: null,
    });
    expect((await owner.get(`/api/conversations?q=${planted.said}`)).json().items).toEqual([]);
    expect((await owner.get(`/api/customers/${otherId}`)).json().name).toBe(control.name);

    const audit = (await owner.get('/api/audit?objectType=customer')).json().items as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['customer.erased', 'customer.exported']));
    const history = (await owner.get(`/api/customers/${customerId}/privacy-requests`)).json().items;
    expect(history.map((h: { kind: string }) => h.kind)).toEqual(['erasure', 'export']);
  });
  it('ends a widget session issued before the erasure: its open socket closes, the token is refused everywhere', async () => {
    const session = (
      await t.app.inject({
        method: 'POST',
        url: `/api/widget/${publicId}/session`,
        payload: { visitorId: 'visitor-erase-0000009', origin: 'https://shop.example.com' },
      })
    ).json();
    const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    const sock = await connect(`${base}/ws?widget=${session.token}`);
    const upload = () => {
      const m = multipart('a.txt', 'text/plain', Buffer.from('hello'));
      return t.app.inject({
        method: 'POST',
        url: '/api/uploads',
        payload: m.payload,
        headers: { ...m.headers, authorization: `Widget ${session.token}` },
      });
    };
    expect((await upload()).statusCode).toBe(200);
    const res = await owner.post(`/api/customers/${session.customerId}/erase`, { confirm: session.customerId });
    expect(res.statusCode, res.body).toBe(200);
    expect((await sock.closed).code).toBe(closeCodes.unauthorized);
    expect((await upload()).statusCode).toBe(401);
    const context = await t.app.inject({
      method: 'POST',
      url: `/api/widget/${publicId}/context`,
      payload: { url: 'https://shop.example.com/p/1', title: 'x', timeZone: 'Asia/Shanghai' },
      headers: { authorization: `Widget ${session.token}` },
    });
    expect(context.statusCode).toBe(401);
    await expect(connect(`${base}/ws?widget=${session.token}`)).rejects.toMatchObject({ status: 401 });
    // The same browser starts afresh: a new customer, nothing of the erased one.
    const again = (
      await t.app.inject({
        method: 'POST',
        url: `/api/widget/${publicId}/session`,
        payload: { visitorId: 'visitor-erase-0000009', origin: 'https://shop.example.com' },
      })
    ).json();
    expect(again.customerId).not.toBe(session.customerId);
  });
});
