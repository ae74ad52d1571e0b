/**
 * Tenancy: a user (or token) of workspace A can neither read nor change anything of workspace B
 * through any route, even knowing B's ids.
 */
import { defaultBotSettings } from '../../shared/bot-api.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, testApp, testPassword, type Client, type TestApp } from '../testing/harness.ts';

describe.each(engines)('tenancy on %s', (engine) => {
  let t: TestApp;
  let a: { id: string; owner: Client };
  let b: { id: string; owner: Client };
  let bAgent: Client;
  let bTokenId: string;
  let aToken: string;
  const bIds = new Set<string>();
  let aCalendarId = '';
  let report: { id: string };
  const calendar = { timezone: 'Asia/Shanghai', hours: { mon: [['09:00', '18:00']] }, holidays: 'CN', overrides: [] };

  beforeAll(async () => {
    t = await testApp(engine);
    a = await t.workspace('alpha');
    b = await t.workspace('bravo');
    bAgent = await t.user(b.id, 'agent');
    bTokenId = (
      await b.owner.post('/api/tokens', { name: 'b-token', scopes: ['users.read'], password: testPassword })
    ).json().token.id;
    await b.owner.patch('/api/workspace', { name: 'Bravo Secret Name' });
    aToken = (
      await a.owner.post('/api/tokens', {
        name: 'a-admin',
        scopes: ['users.read', 'users.manage', 'audit.read', 'workspace.read', 'workspace.manage'],
        password: testPassword,
      })
    ).json().secret;
    const inbox = (
      await b.owner.post('/api/inboxes', { name: 'B web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    await t.app.inject({
      method: 'POST',
      url: `/api/widget/${inbox.publicId}/offline-message`,
      payload: { contact: 'b-shopper@example.com', body: 'B private question' },
    });
    const conv = (await b.owner.get('/api/conversations')).json().items[0];
    const canned = (await b.owner.post('/api/canned-replies', { shortCode: 'hi', content: 'B canned' })).json();
    const label = (await b.owner.post('/api/conversation-labels', { name: 'B label', color: 'blue' })).json();
    const cal = (await b.owner.post('/api/calendars', { name: 'B hours', definition: calendar })).json();
    const policy = (
      await b.owner.post('/api/sla-policies', { name: 'B policy', targets: { firstResponse: 30 }, calendarId: cal.id })
    ).json();
    const group = (await b.owner.post('/api/groups', { name: 'B group' })).json();
    const ticket = (await b.owner.post('/api/tickets', { subject: 'B private ticket' })).json();
    const macro = (await b.owner.post('/api/macros', { name: 'B macro', actions: { priority: 'high' } })).json();
    const view = (await b.owner.post('/api/ticket-views', { name: 'B view', query: {} })).json();
    const inboxView = (
      await b.owner.post('/api/inbox-views', { name: 'B inbox view', shared: true, query: { labelIds: [label.id] } })
    ).json();
    const field = (await b.owner.post('/api/ticket-fields', { key: 'b_field', label: 'B', type: 'text' })).json();
    const incident = (await b.owner.post('/api/ops/incidents', { title: 'B private incident', severity: 'P2' })).json();
    const twoDaysAgo = new Date(Date.now() - 2 * 86400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    report = (await b.owner.post('/api/reports', { type: 'daily', period: twoDaysAgo })).json();
    if (!report.id) throw new Error(`B's report was not produced: ${JSON.stringify(report)}`);
    aCalendarId = (await a.owner.post('/api/calendars', { name: 'A hours', definition: calendar })).json().id;
    for (const id of [
      b.id,
      b.owner.actor.userId,
      bAgent.actor.userId,
      bTokenId,
      inbox.id,
      conv.id,
      conv.customerId,
      canned.id,
      label.id,
      cal.id,
      policy.id,
      group.id,
      ticket.id,
      macro.id,
      view.id,
      inboxView.id,
      field.id,
      incident.id,
      report.id,
    ])
      bIds.add(id);
  });
  afterAll(async () => t?.close());

  const asTokenA = (method: string, url: string, payload?: unknown) =>
    t.app.inject({
      method: method as 'GET',
      url,
      payload: payload as object,
      headers: { authorization: `Bearer ${aToken}` },
    });

  it('lists show only the own workspace', async () => {
    for (const call of [(u: string) => a.owner.get(u), (u: string) => asTokenA('GET', u)]) {
      const users = (await call('/api/users')).json().items as { id: string; workspaceId: string }[];
      expect(users.length).toBeGreaterThan(0);
      expect(users.every((u) => u.workspaceId === a.id)).toBe(true);
      expect((await call('/api/workspace')).json().id).toBe(a.id);
      const audit = JSON.stringify((await call('/api/audit?limit=200')).json());
      for (const id of bIds) expect(audit).not.toContain(id);
      expect(audit).not.toContain('Bravo Secret Name');
    }
  });

  it("every route given B's ids refuses or finds nothing", async () => {
    // Bodies that are valid for each route, so that only the id decides the outcome.
    const bodies: Record<string, object> = {
      'PATCH /api/users/:id': { name: 'pwned', disabled: true },
      'PATCH /api/inboxes/:id': { name: 'pwned' },
      'PATCH /api/conversations/:id': { status: 'resolved' },
      'POST /api/conversations/:id/messages': { clientId: 'pwn-1', body: 'pwned' },
      'POST /api/conversations/:id/read': { seq: 1 },
      'PATCH /api/canned-replies/:id': { shortCode: 'pwn', content: 'pwned' },
      'PATCH /api/conversation-labels/:id': { name: 'pwned', color: 'blue' },
      'PUT /api/conversations/:id/labels': { labelIds: [] },
      'PATCH /api/inbox-views/:id': { name: 'pwned' },
      'PATCH /api/customers/:id': { notes: 'pwned' },
      'PUT /api/calendars/:id': { name: 'pwned', definition: calendar },
      'PUT /api/sla-policies/:id': { name: 'pwned', targets: { firstResponse: 5 }, calendarId: aCalendarId },
      'PATCH /api/tickets/:id': { version: 1, subject: 'pwned' },
      'POST /api/tickets/:id/replies': { body: 'pwned' },
      'POST /api/customers/:id/erase': { confirm: 'pwned' },
      'POST /api/customers/:id/merge': { from: 'cus_none' },
      'POST /api/tickets/:id/merge': { intoId: 'tkt_none' },
      'PUT /api/groups/:id': { name: 'pwned' },
      'PUT /api/macros/:id': { name: 'pwned', actions: { priority: 'low' } },
      'POST /api/tickets/:id/macros/:macroId': { version: 1 },
      'PUT /api/knowledge/entries/:id': { question: 'pwned', answer: 'pwned' },
      'PUT /api/bot/inboxes/:id': { enabled: false, mode: 'bot_first', scripts: defaultBotSettings().scripts },
      'PATCH /api/ops/incidents/:id': { version: 1, title: 'pwned' },
      'POST /api/ops/incidents/:id/transitions': { to: 'acknowledged' },
      'POST /api/ops/incidents/:id/notes': { body: 'pwned' },
      'POST /api/reports/:id/sign-off': { party: 'merchant' },
      'PUT /api/ops/oncall/rotations/:id': {
        name: 'pwned',
        startDate: '2026-01-05',
        participants: [a.owner.actor.userId],
      },
      'POST /api/ops/oncall/rotations/:id/overrides': {
        userId: a.owner.actor.userId,
        start: '2026-01-05T00:00:00Z',
        end: '2026-01-06T00:00:00Z',
      },
      'PUT /api/routing/agents/:id': { capacityChat: 1, capacityTicket: 1, skills: ['pwned'] },
      'POST /api/routing/conversations/:id/transfer': { groupId: 'grp_none' },
      'PUT /api/routing/group-rules/:id': { enabled: true, strategy: 'round_robin' },
      'POST /api/conversations/:id/order-card': { clientId: 'pwned', orderNo: 'DD20261203001' },
      'PUT /api/ops/notifiers/:id': { name: 'pwned', kind: 'email', config: { to: ['pwned@example.com'] } },
    };
    // Public routes with ids (signed attachment links) are covered by their own signature tests.
    for (const r of t.app.kefuRoutes.filter((x) => x.url.includes(':id') && x.auth !== 'public')) {
      const body = r.method === 'GET' || r.method === 'DELETE' ? undefined : (bodies[`${r.method} ${r.url}`] ?? {});
      for (const id of bIds) {
        for (const call of [
          () => a.owner.request({ method: r.method as 'GET', url: r.url.replace(':id', id), payload: body }),
          () => asTokenA(r.method, r.url.replace(':id', id), body),
        ]) {
          const res = await call();
          expect([403, 404], `${r.method} ${r.url} with ${id}: ${res.statusCode}`).toContain(res.statusCode);
        }
      }
    }
    // Naming B (`?workspace=`, the vendor's way to a merchant's reports) is refused to A's owner and token.
    for (const url of [
      `/api/reports?workspace=${b.id}`,
      `/api/reports/${report.id}?workspace=${b.id}`,
      `/api/reports/${report.id}/download?format=pdf&workspace=${b.id}`,
      `/api/reports/${report.id}/verify?workspace=${b.id}`,
    ])
      for (const res of [await a.owner.get(url), await asTokenA('GET', url)]) expect(res.statusCode, url).toBe(403);
    const signB = await a.owner.post(`/api/reports/${report.id}/sign-off?workspace=${b.id}`, { party: 'vendor' });
    expect(signB.statusCode).toBe(403);
    // Workspace-level routes cannot reach B either.
    expect((await a.owner.get('/api/workspaces')).statusCode).toBe(403);
    expect((await a.owner.post('/api/auth/switch-workspace', { workspaceId: b.id })).statusCode).toBe(403);
  }, 180_000); // a walk over every route: it grows with the route table

  it('left B exactly as it was', async () => {
    const users = (await b.owner.get('/api/users')).json().items as { id: string; name: string; disabled: boolean }[];
    expect(users.find((u) => u.id === bAgent.actor.userId)).toMatchObject({ disabled: false });
    expect(users.some((u) => u.name === 'pwned')).toBe(false);
    expect((await b.owner.get('/api/tokens')).json().items.map((x: { id: string }) => x.id)).toContain(bTokenId);
    expect((await bAgent.get('/api/auth/me')).statusCode).toBe(200); // session not ended by a reset
    expect((await b.owner.get('/api/workspace')).json().name).toBe('Bravo Secret Name');
    const conv = (await b.owner.get('/api/conversations')).json().items[0];
    expect(conv.status).toBe('open');
    const msgs = (await b.owner.get(`/api/conversations/${conv.id}/messages`)).json().items;
    expect(msgs.map((m: { body: string }) => m.body).join()).not.toContain('pwned');
    expect((await b.owner.get('/api/inboxes')).json().items[0].name).toBe('B web');
    const tickets = (await b.owner.get('/api/tickets')).json().items as { id: string; subject: string }[];
    expect(tickets.map((x) => x.subject)).toContain('B private ticket'); // and the offline message's ticket
    expect(JSON.stringify(tickets)).not.toContain('pwned');
    const mine = tickets.find((x) => x.subject === 'B private ticket')!;
    expect(
      (await b.owner.get(`/api/tickets/${mine.id}/timeline`)).json().items.map((e: { type: string }) => e.type),
    ).toEqual(['created']);
    const names = JSON.stringify([
      (await b.owner.get('/api/calendars')).json(),
      (await b.owner.get('/api/sla-policies')).json(),
      (await b.owner.get('/api/groups')).json(),
      (await b.owner.get('/api/macros')).json(),
      (await b.owner.get('/api/inbox-views')).json(),
    ]);
    expect(names).not.toContain('pwned');
    const incidents = (await b.owner.get('/api/ops/incidents')).json().items;
    expect(incidents.map((x: { title: string; state: string }) => [x.title, x.state])).toEqual([
      ['B private incident', 'triggered'],
    ]);
    expect(JSON.stringify((await a.owner.get('/api/ops/incidents')).json())).not.toContain('B private incident');
  });

  it('the installation owner reaches B only by switching into it, and that is audited in B', async () => {
    const home = await t.workspace('vendor', { installationOwner: true });
    expect((await home.owner.get('/api/workspaces')).json().items.map((w: { id: string }) => w.id)).toEqual(
      expect.arrayContaining([a.id, b.id]),
    );
    expect(
      (await home.owner.get('/api/users'))
        .json()
        .items.every((u: { workspaceId: string }) => u.workspaceId === home.id),
    ).toBe(true);
    const me = (await home.owner.post('/api/auth/switch-workspace', { workspaceId: b.id })).json();
    expect(me.workspace.id).toBe(b.id);
    expect(
      (await home.owner.get('/api/users')).json().items.every((u: { workspaceId: string }) => u.workspaceId === b.id),
    ).toBe(true);
    const audit = (await b.owner.get('/api/audit?action=user.switched_workspace')).json().items;
    expect(audit).toHaveLength(1);
    expect(audit[0].actorId).toBe(home.owner.actor.userId);
  });
});
