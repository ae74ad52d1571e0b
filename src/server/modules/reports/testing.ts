/** Hand-built data for the reports' tests (not imported by the server). */
import type { Executor } from '../../db/index.ts';
import type { OpsInputs } from './ops-health.ts';
import { parsePeriod, kindOf, type ReportType } from './periods.ts';
import { across } from './schema.ts';

/** Operations report inputs with no data (Asia/Shanghai), for a test to fill in what it needs. */
export function emptyOpsInputs(
  type: Exclude<ReportType, 'monthly-cs'>,
  key: string,
  over: Partial<OpsInputs> = {},
): OpsInputs {
  return {
    workspaceId: 'wsp_1',
    type,
    period: parsePeriod(kindOf(type), key, 'Asia/Shanghai')!,
    probes: [],
    minute: {},
    hourly: {},
    backups: [],
    incidents: [],
    audit: null,
    previousAdvisories: null,
    sloPercent: 99.9,
    logs: null,
    perf: null,
    penalty: null,
    ...over,
  };
}

const at = (local: string) => new Date(`${local}+08:00`).toISOString();

/**
 * Inserts October 2026 of conversations (Asia/Shanghai) as the chat writer and the audit log store
 * them. The monthly CS figures, computed by hand: created 3 (a, b, c); first response [60, 240,
 * 7200] s (d's reply falls in October); resolution a 1800 s, b 3600 s; resolution rate 2/3; FCR 1/2.
 */
export async function seedMonth(s: { db: Executor }, ws: string, agentId: string): Promise<void> {
  const db = across(s.db);
  const now = at('2026-09-01T00:00:00');
  await db
    .insertInto('inboxes')
    .values({
      id: 'inb_r1',
      workspace_id: ws,
      public_id: 'pub_r1',
      name: '官网咨询',
      channel: 'web',
      settings: '{}',
      identity_secret: 'x',
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('customers')
    .values({
      id: 'cus_r1',
      workspace_id: ws,
      name_enc: null,
      phone_enc: null,
      email_enc: null,
      name_idx: null,
      phone_idx: null,
      email_idx: null,
      external_id: null,
      external_idx: null,
      external_enc: null,
      tier: null,
      notes: '',
      created_at: now,
      updated_at: now,
      last_seen_at: null,
    })
    .execute();
  let n = 0;
  const conv = async (
    id: string,
    created: string,
    msgs: [string, 'customer' | 'agent' | 'bot', string?][],
    status: [string, string][] = [],
  ) => {
    await db
      .insertInto('conversations')
      .values({
        id,
        workspace_id: ws,
        inbox_id: 'inb_r1',
        customer_id: 'cus_r1',
        status: 'open',
        assignee_id: agentId,
        last_seq: msgs.length,
        last_public_seq: msgs.length,
        last_message_at: at(msgs.at(-1)?.[0] ?? created),
        last_message_preview: null,
        agent_last_read_seq: 0,
        customer_last_read_seq: 0,
        snoozed_until: null,
        ticket_id: null,
        created_at: at(created),
        updated_at: at(status.at(-1)?.[0] ?? created),
      })
      .execute();
    for (const [k, [when, from, body]] of msgs.entries())
      await db
        .insertInto('messages')
        .values({
          id: `msg_${++n}`,
          workspace_id: ws,
          conversation_id: id,
          seq: k + 1,
          prev_public_seq: k,
          client_id: null,
          sender_type: from,
          sender_id: from === 'agent' ? agentId : null,
          sender_name: null,
          kind: 'text',
          body: body ?? '好的',
          attachments: '[]',
          created_at: at(when),
        })
        .execute();
    let prev = 'open';
    for (const [when, to] of status) {
      await db
        .insertInto('audit_log')
        .values({
          id: `aud_${++n}`,
          workspace_id: ws,
          actor_type: 'user',
          actor_id: agentId,
          actor_name: null,
          action: 'conversation.updated',
          object_type: 'conversation',
          object_id: id,
          ip: null,
          data: JSON.stringify({ status: { from: prev, to } }),
          created_at: at(when),
        })
        .execute();
      prev = to;
    }
  };
  // FRT 60, resolved after 1800 s, FCR.
  await conv(
    'cnv_a',
    '2026-10-08T10:00:00',
    [
      ['2026-10-08T10:00:00', 'customer', '退货地址在哪里？我的手机 13812345678'],
      ['2026-10-08T10:00:03', 'bot'],
      ['2026-10-08T10:01:00', 'agent'],
    ],
    [['2026-10-08T10:30:00', 'resolved']],
  );
  // FRT 240; resolved after 3600, then the shopper writes again (reopened by the message), resolved again.
  await conv(
    'cnv_b',
    '2026-10-09T09:00:00',
    [
      ['2026-10-09T09:00:00', 'customer', '退货地址是什么'],
      ['2026-10-09T09:04:00', 'agent'],
      ['2026-10-12T09:00:00', 'customer', '还是不行'],
    ],
    [
      ['2026-10-09T10:00:00', 'resolved'],
      ['2026-10-12T09:30:00', 'resolved'],
    ],
  );
  // Bot only, never resolved.
  await conv('cnv_c', '2026-10-20T20:00:00', [
    ['2026-10-20T20:00:00', 'customer', '发票怎么开'],
    ['2026-10-20T20:00:02', 'bot'],
  ]);
  // September: outside, but its reply falls in October → FRT 7200 s counts.
  await conv('cnv_d', '2026-09-30T23:00:00', [
    ['2026-09-30T23:00:00', 'customer', '发票抬头写错了'],
    ['2026-10-01T01:00:00', 'agent'],
  ]);
  // November: outside.
  await conv('cnv_e', '2026-11-01T00:00:00', [['2026-11-01T00:00:00', 'customer', '你好']]);
}
