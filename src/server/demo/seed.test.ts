/** The living demo: a fresh start with the demo on holds a shop's first week, written through the real paths. */
import { afterEach, describe, expect, it } from 'vitest';
import { demoConversationRatings, demoTicketRatings } from './csat-content.ts';
import { buildApp } from '../app.ts';
import { engines, testApp, type TestApp } from '../testing/harness.ts';
import { demoConversations, demoCustomers, demoInboxViews, demoTickets } from './content.ts';
import { demoHistoryPlan } from './history.ts';
import { conversationForCustomer } from '../modules/conversations/index.ts';
import { agentConnected } from '../modules/routing/index.ts';
import { touchPresence } from '../modules/users/index.ts';
import { publish } from '../context.ts';
import { JobWorker } from '../lib/jobs/worker.ts';
import { registerJobs } from '../main.ts';
import { own } from '../modules/notifications/schema.ts';

const password = 'demo-admin-password-1';

describe.each(engines)('demo seed on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  // A week of the shop written through the HTTP API: 20–30 s on a loaded two-core machine.
  it(
    'fills the demo workspace: agents, inbox for /demo, SLA, canned replies, conversations and tickets in every state',
    { timeout: 240_000 }, // a month and a week written through the real paths (minutes on a loaded machine)
    async () => {
      t = await testApp(engine, { config: { demo: true, adminPassword: password, port: 3999 } });
      const admin = await t.signIn('admin@kefu.local', password);

      const users = (await admin.get('/api/users')).json().items;
      expect(users.map((u: { name: string }) => u.name)).toEqual(expect.arrayContaining(['林小雨', '周杰', '陈慧']));
      // One name, in the workspace's language (it was "Demo Store 演示店铺").
      expect((await admin.get('/api/auth/me')).json().workspace.name).toBe('云帆优选（演示）');

      // Alive after `npm start`: the agents signed in today and were last on shift hours ago, not weeks.
      const hour = 3600_000;
      const ago = (iso: string | null) => (iso ? Date.now() - Date.parse(iso) : Infinity);
      for (const name of ['林小雨', '周杰', '陈慧']) {
        const u = users.find((x: { name: string }) => x.name === name);
        expect(ago(u.lastLoginAt), name).toBeLessThan(12 * hour);
      }
      const room = (await admin.get('/api/routing/war-room')).json();
      expect(room.agents).toHaveLength(4);
      for (const a of room.agents) {
        expect(ago(a.presenceSince), a.name).toBeGreaterThan(30 * 60_000);
        expect(ago(a.presenceSince), a.name).toBeLessThan(4 * hour);
      }

      const inboxes = (await admin.get('/api/inboxes')).json().items;
      expect(inboxes).toHaveLength(1);
      expect(inboxes[0].settings.allowedOrigins).toEqual(
        expect.arrayContaining(['http://localhost:3999', 'http://127.0.0.1:3999']),
      );

      const calendars = (await admin.get('/api/calendars')).json().items;
      expect(calendars[0].definition.holidays).toBe('CN');
      expect((await admin.get('/api/sla-policies')).json().items).toHaveLength(2);
      expect((await admin.get('/api/canned-replies')).json().items.length).toBeGreaterThanOrEqual(5);
      // Conversation labels, on the conversations the content gives them to.
      const labels = (await admin.get('/api/conversation-labels')).json().items as {
        id: string;
        name: string;
        conversations: number;
      }[];
      const returns = labels.find((l) => l.name === '退换货')!;
      expect(returns).toMatchObject({
        color: 'orange',
        conversations: demoConversations.filter((c) => c.labels?.includes('退换货')).length,
      });
      const withReturns = (await admin.get(`/api/conversations?labelIds=${returns.id}&limit=100`)).json().items;
      expect(withReturns.length).toBe(returns.conversations);
      expect(withReturns.every((c: { labelIds: string[] }) => c.labelIds.includes(returns.id))).toBe(true);
      // Two shared inbox views: returns by label (every status), and an agent's own pending chats.
      const views = (await admin.get('/api/inbox-views')).json().items;
      expect(views.map((v: { name: string }) => v.name).sort()).toEqual(demoInboxViews.map((v) => v.name).sort());
      expect(views.find((v: { name: string }) => v.name === '退货退款')).toMatchObject({
        shared: true,
        query: { status: 'any', labelIds: [returns.id] },
        count: returns.conversations,
      });
      expect(views.find((v: { name: string }) => v.name === '我的待处理')).toMatchObject({
        shared: true,
        query: { view: 'mine', status: 'pending' },
      });

      // The worker then runs what the seed queued (the rating cards), at the real now.
      const worker = new JobWorker({ db: t.s.db, clock: t.s.clock, log: t.s.log, pollMs: 1000 });
      registerJobs(worker, t.s);
      while ((await worker.tick()) > 0);
      const convs = (await admin.get('/api/conversations?limit=100')).json();
      // The inbox opens on the week's latest chats: no month-old conversation jumps above them
      // (the rating requests of the history were dated "now" and their cards posted now).
      type Row = { customerName: string; lastMessageAt: string };
      const week = new Set(demoConversations.map((c) => demoCustomers.find((x) => x.key === c.customer)!.name));
      const order = (convs.items as Row[]).map((c) => c.customerName);
      expect(order.slice(0, week.size).sort()).toEqual([...week].sort());
      // The newest first: the chats of the last hour lead.
      const lastAgo = (c: (typeof demoConversations)[number]) =>
        c.daysAgo * 86400_000 - c.lines.reduce((n, l) => n + (l.after ?? 0), 0) * 60_000;
      const newest = [...demoConversations].sort((a, b) => lastAgo(a) - lastAgo(b)).slice(0, 2);
      expect(order.slice(0, 2)).toEqual(newest.map((c) => demoCustomers.find((x) => x.key === c.customer)!.name));
      // Last month's chats last spoke last month, not at the seed's now.
      for (const c of (convs.items as Row[]).slice(week.size))
        expect(ago(c.lastMessageAt), c.customerName).toBeGreaterThan(24 * hour);
      // Their rating cards are in the chat, posted when they were resolved.
      const old = (convs.items as (Row & { id: string })[]).at(-1)!;
      const thread = (await admin.get(`/api/conversations/${old.id}/messages?limit=50`)).json().items as {
        kind: string;
        body: string;
        at: string;
      }[];
      const card = thread.find((m) => m.kind === 'system' && m.body.startsWith('[[csat:'))!;
      // (Not necessarily the conversation's last message: the transfer note, dated at the transfer,
      // is committed later by its job.)
      expect(ago(card.at), card.at).toBeGreaterThan(24 * hour);
      expect(Date.parse(card.at)).toBeGreaterThanOrEqual(
        Math.max(...thread.filter((m) => m.kind === 'text').map((m) => Date.parse(m.at))),
      );
      const resolved = (await admin.get('/api/conversations?status=resolved&limit=100')).json();
      const total = demoConversations.length;
      // The previous month's history (for the monthly report): one resolved conversation a day.
      const history = demoHistoryPlan(Date.now(), 'Asia/Shanghai');
      const resolvedCount = demoConversations.filter((c) => c.status === 'resolved').length + history.length;
      expect(resolved.items).toHaveLength(resolvedCount);
      expect(convs.items.length).toBeGreaterThan(0);
      // Shoppers' and agents' messages, with a past: the oldest conversation is days old.
      const oldest = demoConversations.reduce((a, b) => (a.daysAgo > b.daysAgo ? a : b));
      expect(oldest.daysAgo).toBeGreaterThan(3);
      expect(total).toBeGreaterThanOrEqual(12);

      const tickets = (await admin.get('/api/tickets?limit=100')).json().items;
      // Ticket types in both languages for every demo ticket, and the custom fields with their values.
      const types = (await admin.get('/api/ticket-types')).json().items as {
        key: string;
        names: Record<string, string>;
      }[];
      for (const tk of demoTickets) {
        const type = types.find((x) => x.key === tk.type);
        expect(type?.names, tk.subject).toMatchObject({ 'zh-CN': expect.any(String), en: expect.any(String) });
      }
      const fields = (await admin.get('/api/ticket-fields')).json().items as {
        key: string;
        type: string;
        options: string[];
      }[];
      expect(fields.map((f) => [f.key, f.type])).toEqual([
        ['carrier', 'select'],
        ['refund_amount', 'number'],
      ]);
      expect(fields[0].options).toContain('顺丰');
      for (const tk of demoTickets.filter((x) => x.fields)) {
        const got = tickets.find((x: { subject: string }) => x.subject === tk.subject);
        expect(got.fields, tk.subject).toMatchObject(tk.fields!);
      }
      expect(tickets).toHaveLength(demoTickets.length);
      const statuses = new Set(tickets.map((x: { status: string }) => x.status));
      expect([...statuses].sort()).toEqual(['closed', 'new', 'on_hold', 'open', 'pending', 'solved']);
      // Every demo ticket names its customer (defect 1 would leave the name empty).
      for (const tk of tickets) if (tk.customerId) expect(tk.customerName, tk.subject).toBeTruthy();
      expect(tickets.filter((x: { customerId: string | null }) => x.customerId)).toHaveLength(
        demoTickets.filter((x) => x.customer || x.fromConversation !== undefined).length,
      );
      // The administrator's default queue (my open tickets) holds one: a newcomer's tickets page is not empty.
      const me = (await admin.get('/api/auth/me')).json().user.id;
      const mine = tickets.filter(
        (x: { assigneeId: string | null; status: string }) =>
          x.assigneeId === me && !['solved', 'closed'].includes(x.status),
      );
      expect(mine.length).toBeGreaterThanOrEqual(1);
      const created = tickets.map((x: { createdAt: string }) => Date.parse(x.createdAt));
      expect(Date.now() - Math.min(...created)).toBeGreaterThan(5 * 86400_000);

      // Customers were last seen when they last wrote: the week's latest within a day, none in the future.
      const listed = (await admin.get('/api/customers?limit=100')).json().items as {
        name: string | null;
        lastSeenAt: string;
      }[];
      // Seeing a verified shopper again never makes an anonymous customer of them (it made seven).
      expect(listed.filter((c) => !c.name)).toEqual([]);
      const seen = listed.map((c) => ago(c.lastSeenAt));
      expect(Math.min(...seen)).toBeLessThan(24 * hour);
      expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
      expect(seen.filter((ms: number) => ms < 3 * 24 * hour).length).toBeGreaterThanOrEqual(3);

      // A customer of the list, with the tier set by the seed.
      const wang = tickets.find((x: { subject: string }) => x.subject.includes('TB20261203001'));
      const customer = (await admin.get(`/api/customers/${wang.customerId}`)).json();
      expect(customer).toMatchObject({ name: demoCustomers[0].name, tier: 'VIP' });

      // Every resolved conversation and solved ticket was rated, with Chinese comments, over the week.
      const ratings = (await admin.get('/api/csat/ratings?limit=200')).json().items as {
        score: number;
        comment: string | null;
        agentId: string | null;
        requestedAt: string;
        ratedAt: string;
      }[];
      expect(ratings).toHaveLength(
        Object.keys(demoConversationRatings).length +
          Object.keys(demoTicketRatings).length +
          history.filter((h) => h.rating !== null).length,
      );
      expect(ratings.every((r) => r.agentId && r.score >= 1 && r.score <= 5)).toBe(true);
      // Asked when resolved (minutes before the answer), not when the seed ran.
      for (const r of ratings) {
        expect(Date.parse(r.ratedAt) - Date.parse(r.requestedAt)).toBeGreaterThan(0);
        expect(Date.parse(r.ratedAt) - Date.parse(r.requestedAt)).toBeLessThan(3600_000);
      }
      expect(ratings.filter((r) => /[\u4e00-\u9fff]/.test(r.comment ?? '')).length).toBeGreaterThanOrEqual(5);
      expect(Date.now() - Math.min(...ratings.map((r) => Date.parse(r.ratedAt)))).toBeGreaterThan(4 * 86400_000);

      // The on-call roster with people: a day layer and a night layer, and an override tomorrow; its
      // calendar draws both layers, the override, and a result in which all four take a turn.
      type Bar = { name: string | null; start: string; end: string; override?: boolean };
      const oncall = (await admin.get('/api/ops/oncall')).json().rotations as {
        name: string;
        kind: string;
        layers: { name: string }[];
        warnings: unknown[];
        calendar: { layers: { bars: Bar[] }[]; overrides: Bar[]; final: Bar[] };
      }[];
      const roster = oncall.find((r) => r.kind === 'normal')!;
      expect(roster.layers.map((l) => l.name)).toEqual(['夜班']);
      expect(roster.warnings).toEqual([]);
      expect(roster.calendar.layers).toHaveLength(2);
      // People by their display names (昵称), as everywhere colleagues see them.
      expect(new Set(roster.calendar.layers[1].bars.map((b) => b.name))).toEqual(new Set(['客服阿杰', '客服小雨']));
      expect(roster.calendar.overrides.map((b) => b.name)).toEqual(['售后组长陈慧']);
      expect(roster.calendar.final.some((b) => b.override && b.name === '售后组长陈慧')).toBe(true);
      const onDuty = new Set(roster.calendar.final.map((b) => b.name));
      for (const who of ['客服阿杰', '客服小雨', '售后组长陈慧']) expect(onDuty).toContain(who);

      // The demo's reports have real figures: last month's customer service, yesterday's health.
      const reports = (await admin.get('/api/reports')).json().items as {
        id: string;
        type: string;
        summary: Record<string, number | null>;
      }[];
      const cs = reports.find((r) => r.type === 'monthly-cs')!;
      expect(cs.summary.created).toBeGreaterThanOrEqual(history.length);
      // Its "by group" table has both teams, each with the month's conversations routing put in it.
      type Doc = { sections: { blocks: { kind: string; title?: { en: string }; rows?: string[][] }[] }[] };
      const doc = (await admin.get(`/api/reports/${cs.id}`)).json().document as Doc;
      const byGroup = doc.sections.flatMap((x) => x.blocks).find((b) => b.title?.en === 'By group')!;
      const replied = (g: string) => Number(byGroup.rows!.find((r) => r[0] === g)?.[1]);
      expect(byGroup.rows!.map((r) => r[0]).sort()).toEqual(['售前组', '售后组']);
      for (const g of ['售前组', '售后组'] as const)
        expect([g, replied(g)]).toEqual([g, history.filter((h) => h.group === g).length]);
      expect(cs.summary.frtP50).toBeGreaterThan(0);
      expect(cs.summary.csatCount).toBeGreaterThanOrEqual(history.filter((h) => h.rating !== null).length);
      const daily = reports.find((r) => r.type === 'daily')!;
      expect(daily.summary.cpuPeak).toBeGreaterThan(0);
      expect(daily.summary.p99Worst).toBeGreaterThan(0);

      // Notifications are dated when their event happened: the week's assignments and mentions
      // are spread over the week, not stamped with the moment the seed ran (they were, ~15 of them).
      const bells = await own(t.s.db).selectFrom('notifications').select(['created_at']).execute();
      const dates = bells.map((n) => Date.parse(n.created_at));
      expect(dates.length).toBeGreaterThan(3);
      expect(Math.max(...dates) - Math.min(...dates)).toBeGreaterThan(24 * hour);
      expect(dates.filter((d) => ago(new Date(d).toISOString()) < 5 * 60_000).length).toBeLessThan(dates.length / 4);

      // The demo routes by default (least-busy, 5 chats each). Its inbox's bot answers first, so a
      // new chat joins the queue when the bot hands it off (the event the bot's participant raises;
      // when it does is the bot's own tests): 林小雨 has opened her console, so it is hers at once;
      // with her seats taken, the next one waits for capacity.
      // Its widget opens the chat with the bot's greeting in the shop's words, saying how to reach a person.
      const widget = (await t.app.inject({ method: 'GET', url: `/api/widget/${inboxes[0].publicId}/config` })).json();
      expect(widget.bot).toBe(true);
      expect(widget.botGreeting['zh-CN']).toMatch(/云帆优选.*转人工/);
      expect(widget.botGreeting.en).toMatch(/Yunfan Select.*agent/);
      const rules = (await admin.get('/api/routing/rules')).json();
      expect(rules.base).toMatchObject({ enabled: true, strategy: 'least_busy', defaultCapacityChat: 5 });
      const ws = (await admin.get('/api/auth/me')).json().workspace.id as string;
      const lin = users.find((x: { name: string }) => x.name === '林小雨').id as string;
      await touchPresence(t.s, [lin], new Date());
      await agentConnected(t.s, ws, lin);
      const shopperWrites = async (visitorId: string) => {
        const session = await t.app.inject({
          method: 'POST',
          url: `/api/widget/${inboxes[0].publicId}/session`,
          payload: { visitorId, origin: 'http://localhost:3999' },
        });
        expect(session.statusCode, session.body).toBe(200);
        const id = (await conversationForCustomer(t.s, ws, inboxes[0].id, session.json().customerId, true))!.id;
        // The bot has it: nobody is given it yet.
        expect((await admin.get(`/api/conversations/${id}`)).json().assigneeId).toBeNull();
        await publish(t.s, 'bot.handed_off', ws, 'conversation', id, { reason: 'asked_for_human', intent: null });
        return id;
      };
      const routed = await shopperWrites('visitor-demo-routing-00001');
      expect((await admin.get(`/api/conversations/${routed}`)).json().assigneeId).toBe(lin);
      const seat = await admin.request({
        method: 'PUT',
        url: `/api/routing/agents/${lin}`,
        payload: { capacityChat: 1, capacityTicket: 20, skills: ['中文'] },
      });
      expect(seat.statusCode, seat.body).toBe(200);
      const waits = await shopperWrites('visitor-demo-routing-00002');
      expect((await admin.get(`/api/conversations/${waits}`)).json().assigneeId).toBeNull();
      const queue = (await admin.get('/api/routing/war-room')).json();
      expect(queue.waiting.map((w: { id: string; reason: string }) => [w.id, w.reason])).toEqual([[waits, 'capacity']]);
    },
  );
});

describe('the demo shop page', () => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('serves /demo with the demo inbox widget while the demo is on, and nothing when it is off', async () => {
    t = await testApp('sqlite', { config: { demo: true, adminPassword: password, port: 3999 } });
    const app = await buildApp(t.s, { serveConsole: true, realtime: false });
    try {
      const admin = await t.signIn('admin@kefu.local', password);
      const inbox = (await admin.get('/api/inboxes')).json().items[0];
      const zh = await app.inject({ method: 'GET', url: '/demo', headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
      expect(zh.statusCode).toBe(200);
      expect(zh.body).toContain(`<script src="/widget.js" data-inbox="${inbox.publicId}" async></script>`);
      expect(zh.body).toContain('演示商店');
      const en = await app.inject({ method: 'GET', url: '/demo?lang=en' });
      expect(en.body).toContain('Kefu&#39;s built-in demo shop page');
      expect(en.body).not.toContain('演示商店页面');
    } finally {
      await app.close();
    }
    const off = await buildApp(
      { ...t.s, config: { ...t.s.config, demo: false } },
      { serveConsole: true, realtime: false },
    );
    try {
      expect((await off.inject({ method: 'GET', url: '/demo' })).statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });
});
