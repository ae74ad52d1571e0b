/**
 * Class test (issue #9): every input that carries personal data — the pre-chat form, the offline
 * form, the shop's signed identity, an agent's customer edits and new customers, ticket fields typed as phone or
 * e-mail — is stored encrypted (the whole database is searched for the planted values), masked in
 * every API answer for roles without customers.pii (every GET route, with every id), and absent
 * from the logs (captured at debug level, searches by phone included).
 */
import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/permissions.ts';
import { createLogger } from '../lib/logger.ts';
import { dumpDatabase } from '../testing/db-dump.ts';
import { engines, testApp, type Client, type TestApp } from '../testing/harness.ts';

const planted = {
  preChatName: '预聊甲',
  preChatPhone: '13511110001',
  preChatEmail: 'prechat@plant.example',
  offlineName: '留言乙',
  offlinePhone: '13511110002',
  offlineEmail: 'offline@plant.example',
  identity: '13511110003', // shops do use phone numbers as user ids
  editedName: '编辑丙',
  editedPhone: '13511110004',
  editedEmail: 'edited@plant.example',
  fieldPhone: '13511110005',
  fieldEmail: 'ticketfield@plant.example',
  createdName: '新建丁',
  createdPhone: '13511110006',
  createdEmail: 'created@plant.example',
};
const values = Object.values(planted);

describe.each(engines)('personal data on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  let wsId: string;
  const ids = new Set<string>();
  const logs: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logs.push(chunk.toString());
        cb();
      },
    });
    t = await testApp(engine, { log: createLogger('debug', sink) });
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
    const widget = (path: string, payload: object, token?: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/${path}`,
        payload,
        headers: token ? { authorization: `Widget ${token}` } : {},
      });
    const session = async (visitorId: string, extra: object) => {
      const res = await widget('session', { visitorId, origin: 'https://shop.example.com', ...extra });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { token: string; customerId: string };
    };
    // The pre-chat form, then an offline message from that shopper.
    const pre = await session('visitor-prechat-000001', {
      preChat: { name: planted.preChatName, phone: planted.preChatPhone, email: planted.preChatEmail },
    });
    await widget('offline-message', { contact: planted.offlineEmail, body: 'please write back' }, pre.token);
    // The offline form from an unknown visitor.
    await widget('offline-message', { name: planted.offlineName, contact: planted.offlinePhone, body: 'call me' });
    // A shopper the shop vouches for.
    const hash = createHmac('sha256', inbox.identitySecret).update(planted.identity).digest('hex');
    const known = await session('visitor-identity-00001', { identity: { userId: planted.identity, hash } });
    // An agent edits a profile.
    const edited = await owner.patch(`/api/customers/${known.customerId}`, {
      name: planted.editedName,
      phone: planted.editedPhone,
      email: planted.editedEmail,
    });
    expect(edited.statusCode).toBe(200);
    // An agent enters a customer by hand (the "new ticket" form).
    const created = await owner.post('/api/customers', {
      name: planted.createdName,
      phone: planted.createdPhone,
      email: planted.createdEmail,
    });
    expect(created.statusCode, created.body).toBe(200);
    ids.add(created.json().id);
    // Ticket fields typed as phone and e-mail.
    await owner.post('/api/ticket-fields', { key: 'callback', label: 'Callback', type: 'phone' });
    await owner.post('/api/ticket-fields', { key: 'mail', label: 'Mail', type: 'email' });
    const ticket = (
      await owner.post('/api/tickets', {
        subject: 'Call back',
        customerId: known.customerId,
        fields: { callback: planted.fieldPhone, mail: planted.fieldEmail },
      })
    ).json();
    // Agents look people up by what they know.
    for (const v of [planted.offlinePhone, planted.editedEmail]) await owner.get(`/api/conversations?q=${v}`);
    await owner.get(`/api/tickets?q=${planted.fieldPhone}`);
    for (const c of (await owner.get('/api/conversations')).json().items) ids.add(c.id).add(c.customerId);
    ids.add(ticket.id).add(pre.customerId).add(known.customerId);
  });
  afterAll(async () => t?.close());

  it('stores none of it in clear', async () => {
    const dump = await dumpDatabase(t.s);
    for (const v of values) expect(dump, v).not.toContain(v);
  });

  it('shows it to roles with customers.pii', async () => {
    const seen = JSON.stringify(
      await Promise.all([...ids].map((id) => owner.get(`/api/customers/${id}`))).then((rs) => rs.map((r) => r.body)),
    );
    for (const v of [planted.preChatName, planted.offlinePhone, planted.identity, planted.editedEmail])
      expect(seen).toContain(v);
  });

  it.each<Role>(['agent', 'readonly', 'auditor', 'ops'])('masks it everywhere for %s', async (role) => {
    const c = await t.user(wsId, role);
    const gets = t.app.kefuRoutes.filter((r) => r.method === 'GET' && r.auth !== 'public');
    const bodies: string[] = [];
    for (const r of gets) {
      const urls = r.url.includes(':id') ? [...ids].map((id) => r.url.replace(':id', id)) : [r.url];
      for (const url of urls) bodies.push((await c.get(url.replace(':key', 'x'))).body);
    }
    const all = bodies.join('\n');
    expect(all.length).toBeGreaterThan(1000);
    for (const v of values) expect(all, `${role} sees ${v}`).not.toContain(v);
  });

  it('writes none of it into the logs', () => {
    const all = logs.join('');
    expect(all).toContain('/api/conversations?q=[redacted]');
    for (const v of values) expect(all, v).not.toContain(v);
  });
});
