/**
 * Class test (issue #9): the read-only and auditor roles cannot write anything. Generated from the
 * route table: every signed-in write route refuses them with 403, except the few that change only
 * the caller's own state (their session, password, two-step sign-in, tokens, notification marks and
 * personal views), which are listed here with what they must still refuse. /ws writes (typing,
 * read receipts) are checked too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../shared/realtime/protocol.ts';
import { engines, testApp, type Client, type TestApp } from '../testing/harness.ts';
import { connect } from '../testing/ws-client.ts';

/** Own-state writes, each with a request that would reach others (null: there is none), which must be refused. */
const ownState: Record<string, { url?: string; body: object } | null> = {
  'POST /api/auth/logout': null,
  'POST /api/auth/password': null,
  'POST /api/auth/totp/setup': null,
  'POST /api/auth/totp/enable': null,
  'POST /api/auth/totp/disable': null,
  'POST /api/tokens': null, // a token never holds more than its owner's role
  'DELETE /api/tokens/:id': null,
  'POST /api/notifications/:id/read': null,
  'POST /api/push/subscriptions': null, // this person's own device
  'POST /api/push/subscriptions/remove': null,
  'POST /api/ticket-views': { body: { name: 'For everyone', shared: true, query: {} } },
  'DELETE /api/ticket-views/:id': { url: '/api/ticket-views/:shared', body: {} },
  'POST /api/inbox-views': { body: { name: 'For everyone', shared: true, query: {} } },
  'PATCH /api/inbox-views/:id': { url: '/api/inbox-views/:sharedInbox', body: { name: 'pwned' } },
  'DELETE /api/inbox-views/:id': { url: '/api/inbox-views/:sharedInbox', body: {} },
};

describe.each(engines)('read-only roles on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  let wsId: string;
  let sharedView: string;
  let sharedInboxView: string;
  let convId: string;
  let inbox: { publicId: string };
  let base: string;

  beforeAll(async () => {
    t = await testApp(engine);
    base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    ({ id: wsId, owner } = await t.workspace('shop'));
    sharedView = (await owner.post('/api/ticket-views', { name: 'Team', shared: true, query: {} })).json().id;
    sharedInboxView = (await owner.post('/api/inbox-views', { name: 'Team', shared: true, query: {} })).json().id;
    inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    await t.app.inject({
      method: 'POST',
      url: `/api/widget/${inbox.publicId}/offline-message`,
      payload: { contact: 'x@example.com', body: 'hello' },
    });
    convId = (await owner.get('/api/conversations')).json().items[0].id;
  });
  afterAll(async () => t?.close());

  it.each(['readonly', 'auditor'] as const)('refuses every write route to %s', async (role) => {
    const c = await t.user(wsId, role);
    const writes = t.app.kefuRoutes.filter((r) => r.method !== 'GET' && r.auth !== 'public');
    expect(writes.length).toBeGreaterThan(40);
    for (const r of writes) {
      const key = `${r.method} ${r.url}`;
      if (key in ownState) {
        const reach = ownState[key];
        if (!reach) continue;
        const url = (reach.url ?? r.url).replace(':sharedInbox', sharedInboxView).replace(':shared', sharedView);
        const res = await c.request({ method: r.method as 'POST', url, payload: reach.body });
        expect([403, 404], `${role} ${key} reaching others → ${res.statusCode}`).toContain(res.statusCode);
        continue;
      }
      const url = r.url.replace(':id', convId).replace(':macroId', 'x').replace(':key', 'x');
      const res = await c.request({ method: r.method as 'POST', url, payload: {} });
      expect([res.statusCode, res.json().error?.code], `${role} ${key}`).toEqual([403, 'forbidden']);
    }
    // The shared view is still there for everyone.
    expect((await owner.get('/api/ticket-views')).json().items.map((v: { id: string }) => v.id)).toContain(sharedView);
    expect((await owner.get('/api/inbox-views')).json().items).toMatchObject([{ id: sharedInboxView, name: 'Team' }]);
  });

  it.each(['readonly', 'auditor'] as const)('refuses typing and read receipts from %s over /ws', async (role) => {
    const c = await t.user(wsId, role);
    const s = await connect(`${base}/ws`, { cookie: c.cookie });
    try {
      await s.next((f) => f.t === 'welcome');
      s.send({ t: 'hello', subs: { [convId]: 0 } });
      await s.next((f) => f.t === 'synced');
      for (const frame of [
        { t: 'read', conv: convId, seq: 1 },
        { t: 'typing', conv: convId, on: true },
      ]) {
        s.send(frame);
        const err = await s.next<Extract<ServerFrame, { t: 'error' }>>((f) => f.t === 'error');
        expect(err.code, `${role} ${frame.t}`).toBe('forbidden');
      }
      expect((await owner.get(`/api/conversations/${convId}`)).json().agentLastReadSeq).toBe(0);
    } finally {
      s.close();
    }
  });
});
