/**
 * Generates a shop's season straight into the tables: N conversations of 10 messages over the last
 * 180 days (plus two threads of 1,000 messages), one customer per conversation for most (PII
 * encrypted by Kefu's own `encryptPii`), one ticket per conversation with its timeline and SLA
 * state, tags, search text, audit entries and SLA notifications. Old conversations are resolved and
 * old tickets mostly closed, as in a real shop; what is open follows the team's recent work.
 */
import type { Cipher } from '../../src/server/lib/crypto.ts';
import { newId } from '../../src/server/lib/ids.ts';
import { isoDateOfDay, localDayOf } from '../../src/server/lib/time/index.ts';
import { encryptPii } from '../../src/server/modules/customers/index.ts';
import type { Row, Sink } from './sink.ts';
import {
  agentLines,
  customerLines,
  emailOf,
  orderNoOf,
  personName,
  phoneOf,
  pick,
  rng,
  tagPool,
  ticketSubjects,
} from './text.ts';

export type GenContext = {
  workspaceId: string;
  inboxId: string;
  timezone: string;
  agents: { id: string; name: string }[];
  cipher: Cipher;
  /** A real ticket's SLA snapshot (policy + calendar), copied onto every generated ticket. */
  slaSnapshot: string;
  policyId: string;
  policyName: string;
  firstTicketNumber: number;
  now: number;
};

/** Values the benchmark searches for: they exist in the generated data. */
export type Probes = {
  phone: string;
  email: string;
  name: string;
  orderNo: string;
  ticketNumber: number;
  ticketId: string;
  customerId: string;
  longThreads: string[];
};

/** A sortable id at a (possibly fractional) instant. */
const idAt = (prefix: string, t: number) => newId(prefix, Math.floor(t));
const MIN = 60_000;
const DAY = 1440 * MIN;
const span = 180 * DAY;

export async function generate(sink: Sink, ctx: GenContext, n: number): Promise<Probes> {
  const r = rng(42);
  const ws = ctx.workspaceId;
  const iso = (t: number) => new Date(t).toISOString();
  const customers = Math.round(n * 0.8);
  const probeAt = Math.floor(customers / 2);
  const probes: Partial<Probes> = { longThreads: [] };
  const longAt = ctx.now - 3 * DAY;
  let longDone = false;

  const customer = async (c: number, t: number) => {
    const id = idAt('cus', t);
    await sink.add('customers', {
      id,
      workspace_id: ws,
      ...(encryptPii(ctx.cipher, { name: personName(c), phone: phoneOf(c), email: emailOf(c) }) as Row),
      external_id: null,
      notes: '',
      tier: c % 20 === 0 ? 'vip' : null,
      created_at: iso(t),
      updated_at: iso(t),
      last_seen_at: iso(t),
    });
    await sink.add('customer_identities', {
      id: idAt('cid', t),
      workspace_id: ws,
      customer_id: id,
      channel: 'web',
      identifier: `v_${c}_${Math.floor(r() * 1e9)}`,
      created_at: iso(t),
    });
    return id;
  };
  const customerIds: string[] = [];

  const conversation = async (i: number, t: number, customerId: string, messages: number, c: number) => {
    const age = ctx.now - t;
    const recent = age < 2 * DAY;
    const status = recent
      ? pick(r, ['open', 'open', 'open', 'pending', 'snoozed', 'resolved'])
      : r() < 0.01
        ? 'pending'
        : 'resolved';
    const assignee = status === 'resolved' || r() < 0.7 ? pick(r, ctx.agents) : null;
    const id = idAt('cnv', t);
    const withOrder = c % 5 === 0 || c === probeAt;
    let last = t;
    let preview = '';
    const rows: Row[] = [];
    for (let k = 1; k <= messages; k++) {
      const fromCustomer = k % 2 === 1;
      last = t + k * (messages > 10 ? 1 : 3) * MIN + Math.floor(r() * 30_000);
      let body: string = fromCustomer ? pick(r, customerLines) : pick(r, agentLines);
      if (k === 1 && withOrder) body = `订单号 ${orderNoOf(c)}，${body}`;
      preview = body.slice(0, 140);
      const agent = assignee ?? ctx.agents[0];
      rows.push({
        id: idAt('msg', last),
        workspace_id: ws,
        conversation_id: id,
        seq: k,
        client_id: `g${i}-${k}`,
        sender_type: fromCustomer ? 'customer' : 'agent',
        sender_id: fromCustomer ? customerId : agent.id,
        sender_name: fromCustomer ? null : agent.name,
        kind: 'text',
        body,
        attachments: '[]',
        created_at: iso(last),
      });
    }
    await sink.add('conversations', {
      id,
      workspace_id: ws,
      inbox_id: ctx.inboxId,
      customer_id: customerId,
      status,
      assignee_id: assignee?.id ?? null,
      last_seq: messages,
      last_message_at: iso(last),
      last_message_preview: preview,
      agent_last_read_seq: status === 'open' ? messages - 1 : messages,
      customer_last_read_seq: messages,
      snoozed_until: status === 'snoozed' ? iso(ctx.now + DAY) : null,
      ticket_id: null,
      created_at: iso(t),
      updated_at: iso(last),
    });
    for (const row of rows) await sink.add('messages', row);
    await audit('conversation.created', 'conversation', id, t, null);
    return { id, assignee, withOrder };
  };

  const audit = (action: string, type: string, id: string, t: number, actor: { id: string; name: string } | null) =>
    sink.add('audit_log', {
      id: idAt('aud', t),
      workspace_id: ws,
      actor_type: actor ? 'user' : 'system',
      actor_id: actor?.id ?? null,
      actor_name: actor?.name ?? null,
      action,
      object_type: type,
      object_id: id,
      ip: actor ? '10.0.0.8' : null,
      data: '{}',
      created_at: iso(t),
    });

  for (let i = 0; i < n; i++) {
    const t = ctx.now - span + Math.floor(((i + r()) * span) / n);
    if (!longDone && t >= longAt) {
      longDone = true;
      for (let k = 0; k < 2; k++)
        probes.longThreads!.push((await conversation(-1 - k, t, customerIds[k], 1000, -1)).id);
    }
    const c = i < customers ? i : Math.floor(r() * customers);
    if (i < customers) customerIds.push(await customer(c, t));
    const conv = await conversation(i, t, customerIds[c], 10, c);
    const ticket = await generateTicket(sink, ctx, r, {
      i,
      t: t + 20 * MIN,
      conversationId: conv.id,
      customerId: customerIds[c],
      assignee: conv.assignee,
      orderNo: conv.withOrder ? orderNoOf(c) : null,
      audit,
    });
    if (c === probeAt && i < customers)
      Object.assign(probes, {
        phone: phoneOf(c),
        email: emailOf(c),
        name: personName(c),
        orderNo: orderNoOf(c),
        ticketNumber: ticket.number,
        ticketId: ticket.id,
        customerId: customerIds[c],
      });
  }
  await sink.finish();
  return probes as Probes;
}

type TicketInput = {
  i: number;
  t: number;
  conversationId: string;
  customerId: string;
  assignee: { id: string; name: string } | null;
  orderNo: string | null;
  audit: (
    action: string,
    type: string,
    id: string,
    t: number,
    actor: { id: string; name: string } | null,
  ) => Promise<void>;
};

async function generateTicket(sink: Sink, ctx: GenContext, r: () => number, x: TicketInput) {
  const ws = ctx.workspaceId;
  const iso = (t: number) => new Date(t).toISOString();
  const age = ctx.now - x.t;
  const status =
    age < 7 * DAY
      ? pick(r, ['new', 'open', 'open', 'pending', 'on_hold', 'solved', 'solved', 'closed'])
      : r() < 0.02
        ? pick(r, ['open', 'pending'])
        : r() < 0.7
          ? 'closed'
          : 'solved';
  const done = status === 'solved' || status === 'closed';
  const assignee = x.assignee ?? (r() < 0.75 ? pick(r, ctx.agents) : null);
  const id = idAt('tkt', x.t);
  const number = ctx.firstTicketNumber + x.i;
  const subject = pick(r, ticketSubjects);
  const tags = [...new Set(Array.from({ length: Math.floor(r() * 3) }, () => pick(r, tagPool)))];
  // SLA: first response 60 business minutes, resolution 24 hours (the generated policy).
  const firstMin = 2 + r() ** 3 * 200;
  const resolveMin = done ? 30 + r() ** 2 * 3000 : age / MIN;
  const target = (due: number, elapsed: number, fulfilled: boolean) => ({
    dueAt: iso(x.t + due * MIN),
    warnAt: iso(x.t + due * 0.75 * MIN),
    elapsedMinutes: Math.round(elapsed * 100) / 100,
    remainingMinutes: Math.round((due - elapsed) * 100) / 100,
    paused: false,
    fulfilledAt: fulfilled ? iso(x.t + elapsed * MIN) : null,
    breachedAt: elapsed > due ? iso(x.t + due * MIN) : null,
    breached: elapsed > due,
    warning: elapsed > due * 0.75,
  });
  const targets = { firstResponse: target(60, firstMin, true), resolution: target(1440, resolveMin, done) };
  const nextDeadline = done ? null : targets.resolution.dueAt;
  const slaState = {
    policyId: ctx.policyId,
    policyName: ctx.policyName,
    businessHours: true,
    computedAt: iso(Math.min(ctx.now, x.t + resolveMin * MIN)),
    targets,
    nextDeadlineAt: nextDeadline,
  };
  const events: [string, string | null, Record<string, unknown>, number][] = [
    ['created', pick(r, customerLines), { status: 'new', channel: 'web' }, x.t],
    ['reply', pick(r, agentLines), { public: true, delivery: 'web_chat' }, x.t + firstMin * MIN],
  ];
  if (r() < 0.3)
    events.push(['note', `内部备注：${pick(r, agentLines)}`, { public: false }, x.t + firstMin * MIN + MIN]);
  if (r() < 0.4) events.push(['customer_reply', pick(r, customerLines), {}, x.t + firstMin * MIN + 5 * MIN]);
  if (status !== 'new')
    events.push(['status', null, { from: 'new', to: done ? 'solved' : status }, x.t + firstMin * MIN]);
  if (status === 'closed')
    events.push(['status', null, { from: 'solved', to: 'closed' }, x.t + resolveMin * MIN + DAY]);
  const updated = Math.min(ctx.now, Math.max(...events.map((e) => e[3])));
  await sink.add('tickets', {
    id,
    workspace_id: ws,
    number,
    subject,
    status,
    priority: pick(r, ['low', 'normal', 'normal', 'normal', 'normal', 'normal', 'high', 'high', 'urgent']),
    type: pick(r, ['inquiry', 'after_sales', 'complaint', 'logistics', 'invoice', 'other']),
    group_id: null,
    assignee_id: assignee?.id ?? null,
    customer_id: x.customerId,
    conversation_id: x.conversationId,
    channel: 'web',
    order_no: x.orderNo,
    tags: JSON.stringify(tags),
    fields: '{}',
    version: events.length,
    merged_into_id: null,
    sla: ctx.slaSnapshot,
    sla_state: JSON.stringify(slaState),
    // Left empty so the SLA worker does not recompute thousands of generated clocks during the run.
    next_check_at: null,
    next_deadline_at: nextDeadline,
    first_response_at: iso(x.t + firstMin * MIN),
    solved_at: done ? iso(x.t + resolveMin * MIN) : null,
    closed_at: status === 'closed' ? iso(x.t + resolveMin * MIN + DAY) : null,
    created_by: null,
    report_day: isoDateOfDay(localDayOf(ctx.timezone, x.t)),
    created_at: iso(x.t),
    updated_at: iso(updated),
  });
  for (const tag of tags) await sink.add('ticket_tags', { ticket_id: id, workspace_id: ws, tag });
  const bodies: string[] = [subject];
  for (const [type, body, data, at] of events) {
    const agent = type === 'reply' || type === 'note' ? (assignee ?? ctx.agents[0]) : null;
    await sink.add('ticket_events', {
      id: idAt('tev', at),
      workspace_id: ws,
      ticket_id: id,
      type,
      actor_type: agent ? 'user' : 'system',
      actor_id: agent?.id ?? null,
      actor_name: agent?.name ?? null,
      body,
      data: JSON.stringify(data),
      created_at: iso(at),
    });
    if (body) bodies.push(body);
  }
  await sink.add('ticket_search', { ticket_id: id, workspace_id: ws, body: bodies.join('\n') });
  await x.audit('ticket.created', 'ticket', id, x.t, null);
  if (status !== 'new') await x.audit('ticket.updated', 'ticket', id, x.t + firstMin * MIN, assignee);
  if (targets.firstResponse.breached && assignee)
    await sink.add('notifications', {
      id: idAt('ntf', x.t + 60 * MIN),
      workspace_id: ws,
      user_id: assignee.id,
      type: 'sla.breached',
      data: JSON.stringify({
        subject: { type: 'ticket', id, number, title: subject },
        target: 'firstResponse',
        cycle: 1,
      }),
      link: `/tickets/${id}`,
      read_at: age > DAY ? iso(x.t + DAY) : null,
      created_at: iso(x.t + 60 * MIN),
    });
  return { id, number };
}
