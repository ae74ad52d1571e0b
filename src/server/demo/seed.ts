/**
 * The living demo: fills a freshly created demo workspace with a shop's first week (agents, a
 * web-chat inbox that Kefu's own `/demo` page may embed, an SLA calendar and policies, ticket
 * fields, canned replies, customers, conversations and tickets in every state).
 *
 * Written through the real doors, so it is exactly what the console and the widget would have
 * produced: the HTTP API (as the administrator, on a private app instance that is closed
 * afterwards) and the chat path shoppers use. The clock is moved back so the week has a past:
 * each item is written at the time it happened.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../app.ts';
import type { Services } from '../context.ts';
import type { Clock } from '../lib/clock.ts';
import { conversationForCustomer, postMessage } from '../modules/conversations/index.ts';
import { customerForVisitor } from '../modules/customers/index.ts';
import { linkDemoOrders } from '../modules/store/index.ts';
import { demoConversationRatings, demoTicketRatings } from './csat-content.ts';
import { afterResolution } from './ratings.ts';
import {
  demoAgents,
  demoCanned,
  demoInboxViews,
  demoLabels,
  demoConversations,
  demoCustomers,
  demoGroups,
  demoTickets,
  type AgentKey,
  type DemoConversation,
} from './content.ts';
import { demoHistoryPlan, historyCustomers } from './history.ts';
import { demoBotSettings, demoInbox } from './inbox.ts';
import { seedOnCall } from './oncall.ts';
import { lastShift } from './shift.ts';
import { seedDemoReports } from '../modules/reports/index.ts';

/** The origins the demo inbox allows: Kefu's own `/demo` page, wherever it is reached locally. */
export function demoOrigins(s: Services): string[] {
  const port = s.config.port;
  const local = port ? [`http://localhost:${port}`, `http://127.0.0.1:${port}`] : [];
  const pub = s.config.publicUrl ? [new URL(s.config.publicUrl).origin] : [];
  const all = [...new Set([...pub, ...local])];
  // A server on a random port (tests) knows its address only later: the default one then.
  return all.length ? all : ['http://localhost:3000'];
}

/** A clock that can be set back: `at(ms)` makes "now" that many ms before the real now. */
function rewindableClock(): Clock & { back(ms: number): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() - offset), back: (ms) => void (offset = Math.max(0, ms)) };
}

export type Api = {
  call<T = any>(method: InjectOptions['method'], url: string, payload?: unknown): Promise<T>;
};

async function signIn(app: FastifyInstance, email: string, password: string): Promise<Api> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`demo seed: sign-in failed (${res.statusCode})`);
  const cookie = res.cookies.find((c) => c.name.endsWith('kefu_session'))!;
  const headers = { cookie: `${cookie.name}=${cookie.value}`, 'x-csrf-token': res.json().csrfToken as string };
  return {
    async call(method, url, payload) {
      const r = await app.inject({ method, url, headers, payload: payload as InjectOptions['payload'] });
      if (r.statusCode >= 300) throw new Error(`demo seed: ${method} ${url} → ${r.statusCode} ${r.body}`);
      return r.json();
    },
  };
}

const minute = 60_000;
const day = 86400_000;

export type DemoSeedInput = { workspaceId: string; ownerId: string; email: string; password: string };

export async function seedDemoContent(s: Services, input: DemoSeedInput): Promise<{ inboxPublicId: string }> {
  const clock = rewindableClock();
  const ss: Services = { ...s, clock };
  const app = await buildApp(ss, { serveConsole: false, realtime: false });
  let inboxPublicId: string;
  try {
    await app.ready();
    // Signed in at the real now, so the session stays valid while the clock is set back.
    const api = await signIn(app, input.email, input.password);
    // The previous month's history (for the monthly report) comes first: the setup is older still.
    const history = demoHistoryPlan(Date.now(), 'Asia/Shanghai');
    clock.back(Math.max(7 * day, Date.now() - (history[0]?.at ?? Date.now()) + day));
    await api.call('PATCH', `/api/users/${input.ownerId}`, { displayName: '店长小云' });
    const agents = new Map<AgentKey, { id: string; name: string }>([['admin', { id: input.ownerId, name: '店长' }]]);
    const passwords = new Map<string, string>();
    for (const a of demoAgents) {
      const password = randomBytes(12).toString('base64url');
      const r = await api.call('POST', '/api/users', {
        email: a.email,
        name: a.name,
        displayName: a.displayName,
        role: a.role,
        password,
      });
      agents.set(a.key, { id: r.user.id, name: a.name });
      passwords.set(a.email, password);
    }
    const groups = new Map<string, string>(); // name → id: the history puts its conversations in them
    for (const g of demoGroups) {
      const made = await api.call('POST', '/api/groups', {
        name: g.name,
        supervisorId: agents.get(g.supervisor)!.id,
        memberIds: g.members.map((k) => agents.get(k)!.id),
      });
      groups.set(made.name, made.id);
    }
    const inbox = await api.call('POST', '/api/inboxes', demoInbox(demoOrigins(s)));
    // The bot answers in the demo inbox from the seeded knowledge base and demo store (its history
    // below is older than the bot looks, so it does not answer that).
    await api.call('PUT', `/api/bot/inboxes/${inbox.id}`, demoBotSettings());
    const calendar = await api.call('POST', '/api/calendars', {
      name: '客服排班（含中国法定节假日）',
      definition: {
        timezone: 'Asia/Shanghai',
        hours: {
          mon: [['09:00', '21:00']],
          tue: [['09:00', '21:00']],
          wed: [['09:00', '21:00']],
          thu: [['09:00', '21:00']],
          fri: [['09:00', '21:00']],
          sat: [['10:00', '18:00']],
          sun: [['10:00', '18:00']],
        },
        holidays: 'CN',
        overrides: [],
      },
    });
    await api.call('POST', '/api/sla-policies', {
      name: '紧急工单',
      conditions: { priorities: ['urgent'] },
      targets: { firstResponse: 15, resolution: 240 },
      calendarId: calendar.id,
    });
    await api.call('POST', '/api/sla-policies', {
      name: '标准服务',
      targets: { firstResponse: 60, nextResponse: 240, resolution: 1440 },
      calendarId: calendar.id,
    });
    await api.call('POST', '/api/ticket-fields', {
      key: 'carrier',
      label: '快递公司',
      type: 'select',
      options: ['顺丰', '中通', '圆通', '京东物流', '邮政'],
    });
    await api.call('POST', '/api/ticket-fields', { key: 'refund_amount', label: '退款金额（元）', type: 'number' });
    for (const c of demoCanned) await api.call('POST', '/api/canned-replies', c);
    const labelIds = new Map<string, string>();
    for (const l of demoLabels) labelIds.set(l.name, (await api.call('POST', '/api/conversation-labels', l)).id);
    await writeHistory(ss, api, clock, input.workspaceId, inbox.id, history, agents, groups);

    clock.back(6.5 * day);
    const customers = new Map<string, string>();
    // Each shopper's widget (visitor id): seen again whenever they write, so "last seen" follows the week.
    const visitors = new Map<string, { visitorId: string; externalId?: string }>();
    for (const c of demoCustomers) {
      const visitorId = `demo_${c.key}_${randomBytes(8).toString('hex')}`;
      const row = await customerForVisitor(ss, {
        workspaceId: input.workspaceId,
        visitorId,
        ...(c.externalId ? { externalId: c.externalId } : {}),
        pii: { name: c.name, phone: c.phone, email: c.email },
      });
      customers.set(c.key, row.id);
      visitors.set(row.id, { visitorId, ...(c.externalId ? { externalId: c.externalId } : {}) });
      if (c.tier || c.notes || c.tags)
        await api.call('PATCH', `/api/customers/${row.id}`, {
          ...(c.tier ? { tier: c.tier } : {}),
          ...(c.notes ? { notes: c.notes } : {}),
          ...(c.tags ? { tags: c.tags } : {}),
        });
    }

    await linkDemoOrders(ss, input.workspaceId, customers);

    const conversationIds: string[] = [];
    for (const conv of demoConversations) {
      const id = await writeConversation(
        ss,
        api,
        clock,
        input.workspaceId,
        inbox.id,
        conv,
        customers,
        agents,
        visitors,
      );
      conversationIds.push(id);
      if (conv.labels)
        await api.call('PUT', `/api/conversations/${id}/labels`, {
          labelIds: conv.labels.map((name) => labelIds.get(name)!),
        });
    }

    for (const { name, query } of demoInboxViews) {
      const { labels, ...rest } = query as { labels?: readonly string[] };
      const labelled = labels ? { labelIds: labels.map((l) => labelIds.get(l)!) } : {};
      await api.call('POST', '/api/inbox-views', { name, shared: true, query: { ...rest, ...labelled } });
    }

    for (const t of [...demoTickets].sort((a, b) => b.daysAgo - a.daysAgo)) {
      clock.back(t.daysAgo * day - 5 * minute);
      const conversationId = t.fromConversation !== undefined ? conversationIds[t.fromConversation] : undefined;
      let ticket = await api.call('POST', '/api/tickets', {
        subject: t.subject,
        description: t.description,
        type: t.type,
        priority: t.priority,
        status: t.status === 'new' ? 'new' : 'open',
        ...(conversationId ? { conversationId } : {}),
        ...(t.customer ? { customerId: customers.get(t.customer) } : {}),
        ...(t.assignee ? { assigneeId: agents.get(t.assignee)!.id } : {}),
        ...(t.orderNo ? { orderNo: t.orderNo } : {}),
        ...(t.fields ? { fields: t.fields } : {}),
        tags: t.tags ?? [],
      });
      clock.back(t.daysAgo * day - 30 * minute);
      if (t.note) ticket = await reply(api, ticket, { body: t.note, public: false });
      if (t.reply) ticket = await reply(api, ticket, { body: t.reply, public: true });
      clock.back(Math.max(0, t.daysAgo * day - 60 * minute));
      for (const status of flowTo(t.status)) {
        const fresh = await api.call('GET', `/api/tickets/${ticket.id}`);
        ticket = await api.call('PATCH', `/api/tickets/${ticket.id}`, { version: fresh.version, status });
        if (status === 'solved')
          await afterResolution(
            ss,
            api,
            (ms) => clock.back(ms),
            `/api/tickets/${ticket.id}`,
            Math.max(0, t.daysAgo * day - 60 * minute),
            demoTicketRatings[t.subject],
          );
      }
    }
    await lastShift(
      ss,
      api,
      (ms) => clock.back(ms),
      (email, password) => signIn(app, email, password),
      agents,
      passwords,
    );
    clock.back(0);
    await seedOnCall(api, agents, s.clock.now().getTime());
    await api.call('POST', '/api/auth/logout');
    inboxPublicId = inbox.publicId;
  } finally {
    await app.close();
  }
  // The reports of the last month and day, from all of the above (the schedule would within 15 minutes).
  await seedDemoReports(s, input.workspaceId);
  return { inboxPublicId };
}

/** The previous month, one conversation a day (history.ts): asked, answered, resolved, mostly rated. */
async function writeHistory(
  ss: Services,
  api: Api,
  clock: ReturnType<typeof rewindableClock>,
  workspaceId: string,
  inboxId: string,
  plan: ReturnType<typeof demoHistoryPlan>,
  agents: Map<AgentKey, { id: string; name: string }>,
  groups: Map<string, string>,
): Promise<void> {
  const customers: string[] = [];
  for (const c of plan) {
    clock.back(Date.now() - c.at);
    const customerId = (customers[c.customer] ??= (
      await customerForVisitor(ss, {
        workspaceId,
        visitorId: `demo_history_${c.customer}_${randomBytes(8).toString('hex')}`,
        pii: { name: historyCustomers[c.customer]! },
      })
    ).id);
    const row = (await conversationForCustomer(ss, workspaceId, inboxId, customerId, true))!;
    const agent = agents.get(c.agent)!;
    const shopper = { type: 'customer', id: customerId, name: null, workspaceId } as const;
    const staff = { type: 'agent', id: agent.id, name: agent.name, workspaceId } as const;
    let n = 0;
    const say = (who: typeof shopper | typeof staff, body: string, at: number) => {
      clock.back(Date.now() - at);
      return postMessage(ss, who, row.id, { clientId: `demo_${row.id}_${++n}`, kind: 'text', body });
    };
    await say(shopper, c.ask, c.at);
    // Into its team (the console's transfer to a group), then taken by a member of it.
    await api.call('POST', `/api/routing/conversations/${row.id}/transfer`, { groupId: groups.get(c.group)! });
    clock.back(Date.now() - c.at - 30_000);
    await api.call('PATCH', `/api/conversations/${row.id}`, { assigneeId: agent.id });
    await say(staff, c.answer, c.at + c.firstReplyAfter);
    if (c.followUp) {
      await say(shopper, '好的，还有一个问题：能顺便帮我改一下收货地址吗？', c.at + c.firstReplyAfter + 3 * minute);
      await say(staff, '已经帮您改好了，请放心。', c.at + c.firstReplyAfter + 6 * minute);
    }
    const resolvedAt = c.at + c.resolvedAfter;
    clock.back(Date.now() - resolvedAt);
    await api.call('PATCH', `/api/conversations/${row.id}`, { status: 'resolved' });
    const rating = c.rating;
    await afterResolution(
      ss,
      api,
      (ms) => clock.back(ms),
      `/api/conversations/${row.id}`,
      Date.now() - resolvedAt,
      rating === null
        ? null
        : { score: rating, comment: rating >= 4 ? '回复很快，谢谢！' : '解决了，但等得有点久。', afterMinutes: 5 },
    );
  }
}

async function reply(api: Api, ticket: { id: string }, body: { body: string; public: boolean }) {
  await api.call('POST', `/api/tickets/${ticket.id}/replies`, body);
  return api.call('GET', `/api/tickets/${ticket.id}`);
}

/** The transitions from open to a demo ticket's final status. */
function flowTo(status: string): string[] {
  switch (status) {
    case 'pending':
    case 'on_hold':
    case 'solved':
      return [status];
    case 'closed':
      return ['solved', 'closed'];
    default:
      return [];
  }
}

async function writeConversation(
  ss: Services,
  api: Api,
  clock: ReturnType<typeof rewindableClock>,
  workspaceId: string,
  inboxId: string,
  conv: DemoConversation,
  customers: Map<string, string>,
  agents: Map<AgentKey, { id: string; name: string }>,
  visitors: Map<string, { visitorId: string; externalId?: string }>,
): Promise<string> {
  const customerId = customers.get(conv.customer)!;
  let at = conv.daysAgo * day;
  clock.back(at);
  const row = (await conversationForCustomer(ss, workspaceId, inboxId, customerId, true))!;
  if (conv.assignee)
    await api.call('PATCH', `/api/conversations/${row.id}`, { assigneeId: agents.get(conv.assignee)!.id });
  let n = 0;
  for (const line of conv.lines) {
    at = Math.max(0, at - (line.after ?? 0) * minute);
    clock.back(at);
    // The shopper's widget comes back (signed in as the shop's user when verified): seen when they write.
    if (line.by === 'c') await customerForVisitor(ss, { workspaceId, ...visitors.get(customerId)! });
    const agent =
      line.by === 'c' ? null : (agents.get(line.by === 'note' ? (conv.assignee ?? 'admin') : line.by) ?? null);
    await postMessage(
      ss,
      agent
        ? { type: 'agent', id: agent.id, name: agent.name, workspaceId }
        : { type: 'customer', id: customerId, name: null, workspaceId },
      row.id,
      { clientId: `demo_${row.id}_${++n}`, kind: line.by === 'note' ? 'note' : 'text', body: line.text },
    );
  }
  if (conv.status !== 'open')
    await api.call('PATCH', `/api/conversations/${row.id}`, {
      status: conv.status,
      ...(conv.status === 'snoozed' ? { snoozedUntil: new Date(Date.now() + 0.5 * day).toISOString() } : {}),
    });
  if (conv.status === 'resolved')
    await afterResolution(
      ss,
      api,
      (ms) => clock.back(ms),
      `/api/conversations/${row.id}`,
      at,
      demoConversationRatings[conv.customer],
    );
  return row.id;
}
