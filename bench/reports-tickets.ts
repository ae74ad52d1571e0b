/**
 * The bench month's tickets (`npm run bench -- reports`): one conversation in ten becomes a ticket
 * (30,000 in the full month), with the timeline the tickets module writes (created; the agent's
 * public reply opening it; pending and the shopper's reply reopening it; solved; closed three days
 * later), under a real SLA policy (first response 60, next response 240, resolution 1,440 business
 * minutes on a 9–21 o'clock calendar, 7 days a week) that the sla module's `applicablePolicy` reads
 * back. Each clock is computed by the sla engine (`computeClock`) from the SLA events of the very
 * rows stored (`slaEventsOf`) and stored as the tickets module stores it (`toSlaState`,
 * `nextCheckAt`); the daily SLA rollup is rebuilt from the tickets (`rebuildTicketSlaRollup`).
 */
import { sql } from 'kysely';
import type { Services } from '../src/server/context.ts';
import { newId } from '../src/server/lib/ids.ts';
import { isoDateOfDay, localDayOf, validateCalendar } from '../src/server/lib/time/index.ts';
import {
  applicablePolicy,
  computeClock,
  nextCheckAt,
  ticketProfile,
  validatePolicy,
} from '../src/server/modules/sla/index.ts';
import { rebuildTicketSlaRollup, slaEventsOf, toSlaState } from '../src/server/modules/tickets/index.ts';
import { AGENTS, teams } from './reports-seed.ts';

const MIN = 60_000;
const DAY = 1440 * MIN;
const subjects = ['退货退款', '换货', '物流异常', '发票', '商品质量', '价保补差', '赠品漏发', '安装预约'];

async function insertRows(s: Services, table: string, rows: Record<string, string | number | null>[]): Promise<void> {
  if (!rows.length) return;
  const cols = Object.keys(rows[0]!);
  const per = Math.floor(30_000 / cols.length);
  for (let i = 0; i < rows.length; i += per)
    await sql`insert into ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))}) values ${sql.join(
      rows.slice(i, i + per).map((r) => sql`(${sql.join(cols.map((c) => r[c] ?? null))})`),
    )}`.execute(s.db);
}

/** Seeds the tickets of conversations i ≡ 3 (mod 10); returns their count. */
export async function seedTickets(
  s: Services,
  ws: string,
  zone: string,
  n: number,
  start: number,
  span: number,
): Promise<{ tickets: number; events: number }> {
  const now = s.clock.now();
  const iso = (t: number) => new Date(t).toISOString();
  const cal = validateCalendar({
    timezone: zone,
    hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['09:00', '21:00']]])),
    holidays: [],
    overrides: [],
  });
  if (!cal.ok) throw new Error(`bench: calendar: ${cal.problems.join('; ')}`);
  const policy = validatePolicy({
    targets: { firstResponse: 60, nextResponse: 240, resolution: 1440 },
    warnAtShare: 0.75,
  });
  if (!policy.ok) throw new Error(`bench: policy: ${policy.problems.join('; ')}`);
  await sql`insert into calendars (id, workspace_id, name, definition, created_at, updated_at)
    values ('cal_bench', ${ws}, '每天 9-21', ${JSON.stringify(cal.value)}, ${iso(start)}, ${iso(start)})`.execute(s.db);
  await sql`insert into sla_policies (id, workspace_id, name, position, enabled, conditions, policy, calendar_id, escalation, created_at, updated_at)
    values ('slp_bench', ${ws}, '标准工单', 1, 1, '{}', ${JSON.stringify(policy.value)}, 'cal_bench',
      ${JSON.stringify({ raisePriority: true, reassignTo: null })}, ${iso(start)}, ${iso(start)})`.execute(s.db);
  const snapshot = await applicablePolicy(s, ws, {
    priority: 'normal',
    type: 'after_sales',
    channel: 'web',
    groupId: null,
    tags: [],
  });
  if (!snapshot) throw new Error('bench: the SLA policy does not apply');
  const slaJson = JSON.stringify(snapshot);

  const step = Math.floor(span / n);
  let x = 17;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const tickets: Record<string, string | number | null>[] = [];
  const events: Record<string, string | number | null>[] = [];
  const search: Record<string, string | number | null>[] = [];
  let number = 0;
  for (let i = 3; i < n; i += 10) {
    const t = start + i * step + 300_000; // opened by the agent 5 minutes into the chat
    if (t >= now.getTime()) break;
    const a = i % AGENTS;
    let team = 0;
    for (let k = 0, sum = 0; k < teams.length; k++) if (a >= (sum += teams[k]![1])) team = k + 1;
    const agent = `usr_b${a}`;
    const id = `tkt_b${String(i).padStart(8, '0')}`;
    const subject = `${subjects[i % subjects.length]}：订单 ${20261100000000 + i}`;
    const rows: [string, string, string | null, Record<string, unknown>, number][] = [];
    const ev = (type: string, actor: string, body: string | null, data: Record<string, unknown>, at: number) =>
      rows.push([type, actor, body, data, at]);
    ev('created', agent, '顾客在会话中反馈，转工单跟进。', { status: 'new', channel: 'web' }, t);
    // First reply: minutes of wall time, heavy-tailed (some wait past the next opening hours).
    let at = t + Math.round((3 + rnd() ** 4 * 900) * MIN);
    ev(
      'reply',
      agent,
      '您好，已收到，正在为您处理。',
      { public: true, delivery: 'web_chat', status: 'open', attachments: [] },
      at,
    );
    ev('status', agent, null, { from: 'new', to: 'open' }, at);
    const firstResponse = at;
    let solvedAt: number | null = null;
    const fate = rnd();
    if (fate < 0.45) {
      at += Math.round((10 + rnd() * 120) * MIN);
      ev(
        'reply',
        agent,
        '已联系仓库核实，请您稍候。',
        { public: true, delivery: 'web_chat', status: 'pending', attachments: [] },
        at,
      );
      ev('status', agent, null, { from: 'open', to: 'pending' }, at);
      at += Math.round((30 + rnd() * 2000) * MIN);
      ev('customer_reply', 'customer', '请问进度怎么样了？', { status: 'open' }, at);
      ev('status', 'system', null, { from: 'pending', to: 'open', reason: 'customer replied' }, at);
    }
    if (fate < 0.9) {
      at += Math.round((20 + rnd() ** 2 * 2400) * MIN);
      ev(
        'reply',
        agent,
        '已为您处理完毕，感谢耐心等待。',
        { public: true, delivery: 'web_chat', status: 'solved', attachments: [] },
        at,
      );
      ev('status', agent, null, { from: 'open', to: 'solved' }, at);
      solvedAt = at;
      ev('status', 'system', null, { from: 'solved', to: 'closed' }, at + 3 * DAY);
    }
    // What has happened by the bench's "now" (the 2nd of the next month).
    const kept = rows.filter((r) => r[4] <= now.getTime());
    const lastStatus = kept.filter((r) => r[0] === 'status').at(-1);
    const status = lastStatus ? String(lastStatus[3].to) : 'new';
    const stored = kept.map(([type, actor, body, data, when], k) => ({
      // Time-sortable as the module's ids are, in timeline order within the same millisecond.
      id: `${newId('tev', when).slice(0, 14)}${String(i).padStart(8, '0')}${k}`,
      workspace_id: ws,
      ticket_id: id,
      type,
      actor_type: actor === 'system' || actor === 'customer' ? 'system' : 'user',
      actor_id: actor === 'customer' ? 'cus_bench' : actor === 'system' ? null : actor,
      actor_name: null,
      body,
      data: JSON.stringify(data),
      created_at: iso(when),
    }));
    const clock = computeClock(slaEventsOf(stored), snapshot.policy, snapshot.calendar, now, ticketProfile);
    const state = toSlaState(snapshot, clock);
    const last = kept.at(-1)![4];
    tickets.push({
      id,
      workspace_id: ws,
      number: ++number,
      subject,
      status,
      priority: ['normal', 'normal', 'normal', 'high', 'low', 'urgent'][i % 6]!,
      type: ['after_sales', 'logistics', 'invoice', 'complaint'][i % 4]!,
      group_id: `grp_b${team}`,
      assignee_id: agent,
      customer_id: 'cus_bench',
      conversation_id: `cnv_b${String(i).padStart(8, '0')}`,
      channel: 'web',
      order_no: String(20261100000000 + i),
      tags: '[]',
      fields: '{}',
      version: stored.length,
      merged_into_id: null,
      sla: slaJson,
      sla_state: JSON.stringify(state),
      next_check_at: nextCheckAt(clock, now)?.toISOString() ?? null,
      next_deadline_at: state.nextDeadlineAt,
      first_response_at: firstResponse <= now.getTime() ? iso(firstResponse) : null,
      solved_at: status === 'solved' || status === 'closed' ? iso(solvedAt!) : null,
      closed_at: status === 'closed' ? iso(solvedAt! + 3 * DAY) : null,
      created_by: agent,
      report_day: isoDateOfDay(localDayOf(zone, t)),
      created_at: iso(t),
      updated_at: iso(last),
    });
    events.push(...stored);
    search.push({
      ticket_id: id,
      workspace_id: ws,
      body: [subject, ...stored.map((e) => e.body).filter(Boolean)].join('\n'),
    });
  }
  await s.db.transaction().execute(async (tx) => {
    const t = { ...s, db: tx } as Services;
    await insertRows(t, 'tickets', tickets);
    await insertRows(t, 'ticket_events', events);
    await insertRows(t, 'ticket_search', search);
    await sql`insert into ticket_counters (workspace_id, last_number) values (${ws}, ${number})
      on conflict (workspace_id) do update set last_number = excluded.last_number`.execute(tx);
    await sql`update conversations set ticket_id = 'tkt_b' || substr(id, 6)
      where workspace_id = ${ws} and id in (select conversation_id from tickets where workspace_id = ${ws})`.execute(
      tx,
    );
  });
  await rebuildTicketSlaRollup(s, ws);
  return { tickets: tickets.length, events: events.length };
}
