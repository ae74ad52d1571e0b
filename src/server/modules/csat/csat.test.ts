/**
 * CSAT on both engines through the real listeners, jobs and routes: a resolved conversation asks
 * its shopper (a card in the chat), the shopper rates in the widget once; the rating shows on the
 * conversation and the agent's figures and is announced as `csat.rated`; the signed link works
 * without signing in, once, until it expires; bad input is refused with nothing changed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { JobWorker } from '../../lib/jobs/worker.ts';
import { registerJobs } from '../../main.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { conversationForCustomer } from '../conversations/index.ts';
import { listRatings } from './index.ts';

describe.each(engines)('csat on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  async function setup() {
    const clock = manualClock('2026-11-11T02:00:00Z');
    t = await testApp(engine, { clock });
    const { id: ws, owner } = await t.workspace('shop');
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    const agent = await t.user(ws, 'agent');
    const worker = new JobWorker({ db: t.s.db, clock, log: t.s.log, pollMs: 1000 });
    registerJobs(worker, t.s);
    const runJobs = async () => {
      while ((await worker.tick()) > 0);
    };
    let n = 0;
    /** A shopper with a widget session and a conversation assigned to the agent. */
    const shopper = async () => {
      const sess = (
        await t.app.inject({
          method: 'POST',
          url: `/api/widget/${inbox.publicId}/session`,
          payload: { visitorId: `visitor-${String(++n).padStart(12, '0')}`, origin: 'https://shop.example.com' },
        })
      ).json();
      const conv = (await conversationForCustomer(t.s, ws, inbox.id, sess.customerId, true))!;
      const r = await owner.patch(`/api/conversations/${conv.id}`, { assigneeId: agent.actor.userId });
      expect(r.statusCode, r.body).toBe(200);
      return { token: sess.token as string, customerId: sess.customerId as string, conv: conv.id };
    };
    const widget = (token: string | null, method: 'GET' | 'POST', requestId: string, payload?: object) =>
      t.app.inject({
        method,
        url: `/api/widget/${inbox.publicId}/csat/${requestId}`,
        headers: token ? { authorization: `Widget ${token}` } : {},
        ...(payload ? { payload } : {}),
      });
    const requests = () => allTables(t.s).selectFrom('csat_requests').selectAll().orderBy('id').execute();
    const resolve = async (conv: string) => {
      const r = await agent.patch(`/api/conversations/${conv}`, { status: 'resolved' });
      expect(r.statusCode, r.body).toBe(200);
      const items = (await agent.get(`/api/conversations/${conv}/csat`)).json().items;
      return items[0]?.id as string;
    };
    return { clock, ws, owner, agent, inbox, shopper, widget, requests, resolve, runJobs };
  }

  it('asks on resolution with a card in the chat; the shopper rates once; shown on the conversation and the agent', async () => {
    const { ws, agent, shopper, widget, resolve, runJobs } = await setup();
    const sh = await shopper();
    const id = await resolve(sh.conv);
    expect(id).toMatch(/^csr_/);
    await runJobs();
    const cards = await allTables(t.s)
      .selectFrom('messages')
      .select(['body', 'sender_type', 'kind'])
      .where('conversation_id', '=', sh.conv)
      .where('kind', '=', 'system')
      .execute();
    expect(cards).toEqual([{ body: `[[csat:${id}]]`, sender_type: 'system', kind: 'system' }]);
    await runJobs(); // a second run posts nothing new
    const status = await allTables(t.s)
      .selectFrom('conversations')
      .select('status')
      .where('id', '=', sh.conv)
      .executeTakeFirstOrThrow();
    expect(status.status).toBe('resolved'); // the card does not reopen it

    const card = (await widget(sh.token, 'GET', id)).json();
    expect(card).toMatchObject({ requestId: id, state: 'open', scale: 'stars', rating: null });
    const rated = await widget(sh.token, 'POST', id, { score: 5, comment: '客服很耐心，问题很快解决了' });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json()).toMatchObject({ state: 'rated', rating: { score: 5, comment: '客服很耐心，问题很快解决了' } });

    const onConv = (await agent.get(`/api/conversations/${sh.conv}/csat`)).json().items;
    expect(onConv).toHaveLength(1);
    expect(onConv[0]).toMatchObject({
      state: 'rated',
      rating: { score: 5, agentId: agent.actor.userId, via: 'widget' },
    });
    const profile = (await agent.get(`/api/csat/agents/${agent.actor.userId}`)).json();
    expect(profile).toMatchObject({ count: 1, average: 5, distribution: [0, 0, 0, 0, 1], satisfied: 1 });
    expect(profile.recent[0].comment).toBe('客服很耐心，问题很快解决了');

    const events = await allTables(t.s)
      .selectFrom('outbox')
      .select(['type', 'payload'])
      .where('type', '=', 'csat.rated')
      .execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0].payload).data).toMatchObject({ score: 5, subjectId: sh.conv, hasComment: true });
    expect(JSON.stringify(events[0].payload)).not.toContain('耐心'); // no shopper text in events

    const ratings = await listRatings(t.s, {
      workspaceId: ws,
      from: '2026-11-11T00:00:00.000Z',
      to: '2026-11-12T00:00:00.000Z',
    });
    expect(ratings.map((r) => r.score)).toEqual([5]);
    expect(await listRatings(t.s, { workspaceId: ws, from: '2026-11-12T00:00:00.000Z' })).toEqual([]);
  });

  it('refuses bad ratings with nothing changed', async () => {
    const { shopper, widget, requests, resolve, clock } = await setup();
    const a = await shopper();
    const b = await shopper();
    const id = await resolve(a.conv);
    const before = await requests();
    const refused = async (token: string | null, payload: object, status: number, code?: string) => {
      const r = await widget(token, 'POST', id, payload);
      expect(r.statusCode, r.body).toBe(status);
      if (code) expect(r.json().error.code).toBe(code);
    };
    await refused(a.token, { score: 0 }, 400);
    await refused(a.token, { score: 6 }, 400);
    await refused(a.token, { score: 3.5 }, 400);
    await refused(a.token, { score: 4, comment: 'x'.repeat(100 * 1024) }, 400);
    await refused(a.token, { score: 4, answers: { nope: true } }, 400);
    await refused(b.token, { score: 1 }, 404, 'csat_not_found'); // another shopper's session
    await refused(null, { score: 1 }, 401, 'invalid_widget_token');
    await refused('forged.token', { score: 1 }, 401);
    expect((await widget(b.token, 'GET', id)).statusCode).toBe(404);
    expect(await requests()).toEqual(before);

    expect((await widget(a.token, 'POST', id, { score: 2 })).statusCode).toBe(200);
    const once = await requests();
    await refused(a.token, { score: 5 }, 409, 'csat_already_rated');
    expect(await requests()).toEqual(once);

    const c = await shopper();
    const id2 = await resolve(c.conv);
    clock.advance(72 * 3600_000 + 1000); // past the survey's 72 hours
    const late = await widget(c.token, 'POST', id2, { score: 5 });
    expect(late.statusCode).toBe(410);
    expect(late.json().error.code).toBe('csat_expired');
    expect((await requests()).find((r) => r.id === id2)!.rated_at).toBeNull();
  });

  it('the signed link: a page on a phone without signing in, answered once, until it expires', async () => {
    const { agent, shopper, requests, clock } = await setup();
    const sh = await shopper();
    const asked = await agent.post(`/api/conversations/${sh.conv}/csat/request`);
    expect(asked.statusCode, asked.body).toBe(200);
    const path = new URL(asked.json().link as string).pathname;
    const page = await t.app.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('name="score"');
    const form = (body: string) =>
      t.app.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: body,
      });
    expect((await form('score=9')).statusCode).toBe(400);
    expect((await form('comment=hi')).statusCode).toBe(400);
    expect((await requests())[0].rated_at).toBeNull();
    const ok = await form(`score=4&comment=${encodeURIComponent('发货有点慢，但客服态度好')}`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.body).toContain('感谢');
    expect((await requests())[0]).toMatchObject({ score: 4, comment: '发货有点慢，但客服态度好', via: 'link' });
    expect((await form('score=1')).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'GET', url: `${path.slice(0, -3)}xyz` })).statusCode).toBe(404);

    // A new request by hand; its link expires after 72 hours.
    const again = (await agent.post(`/api/conversations/${sh.conv}/csat/request`)).json();
    const path2 = new URL(again.link as string).pathname;
    clock.advance(72 * 3600_000 + 1000);
    expect((await t.app.inject({ method: 'GET', url: path2 })).statusCode).toBe(410);
    const late = await t.app.inject({
      method: 'POST',
      url: path2,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'score=5',
    });
    expect(late.statusCode).toBe(410);
    expect((await requests()).filter((r) => r.rated_at)).toHaveLength(1);
  });

  it('asking again replaces the open request; switched off, nobody is asked; tickets ask too', async () => {
    const { owner, agent, shopper, widget, requests, resolve, ws } = await setup();
    const sh = await shopper();
    const first = await resolve(sh.conv);
    const second = (await agent.post(`/api/conversations/${sh.conv}/csat/request`)).json().id;
    expect(second).not.toBe(first);
    const r = await widget(sh.token, 'POST', first, { score: 3 });
    expect(r.statusCode).toBe(410);
    expect(r.json().error.code).toBe('csat_superseded');
    expect((await widget(sh.token, 'POST', second, { score: 3 })).statusCode).toBe(200);

    const off = await owner.request({ method: 'PUT', url: '/api/csat/settings/*', payload: { enabled: false } });
    expect(off.statusCode, off.body).toBe(200);
    const sh2 = await shopper();
    const count = (await requests()).length;
    expect(await resolve(sh2.conv)).toBeUndefined();
    expect((await requests()).length).toBe(count);
    const byHand = await agent.post(`/api/conversations/${sh2.conv}/csat/request`);
    expect(byHand.statusCode).toBe(409);
    expect(byHand.json().error.code).toBe('csat_disabled');

    // Settings: unknown inbox, duplicate question ids, a role without settings.manage.
    expect((await owner.request({ method: 'PUT', url: '/api/csat/settings/ibx_nope', payload: {} })).statusCode).toBe(
      404,
    );
    const dup = { id: 'a', kind: 'text', label: { 'zh-CN': '问', en: 'Q' } };
    expect(
      (await owner.request({ method: 'PUT', url: '/api/csat/settings/*', payload: { questions: [dup, dup] } }))
        .statusCode,
    ).toBe(400);
    expect((await agent.request({ method: 'PUT', url: '/api/csat/settings/*', payload: {} })).statusCode).toBe(403);

    await owner.request({ method: 'PUT', url: '/api/csat/settings/*', payload: { enabled: true, scale: 'faces' } });
    const ticket = (
      await agent.post('/api/tickets', { subject: '退款', description: '退款进度', customerId: sh2.customerId })
    ).json();
    expect(ticket.id, JSON.stringify(ticket)).toBeTruthy();
    const solved = await agent.patch(`/api/tickets/${ticket.id}`, { version: ticket.version, status: 'solved' });
    expect(solved.statusCode, solved.body).toBe(200);
    const onTicket = (await agent.get(`/api/tickets/${ticket.id}/csat`)).json().items;
    expect(onTicket).toHaveLength(1);
    const row = (await requests()).find((x) => x.id === onTicket[0].id)!;
    expect(row).toMatchObject({ subject_type: 'ticket', customer_id: sh2.customerId, workspace_id: ws });
    expect(JSON.parse(row.survey).scale).toBe('faces');
  });
});
