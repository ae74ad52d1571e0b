/**
 * The CS loader (inputs.ts) on a conversation whose messages' times disagree with their order, two
 * agents, a bot, and shopper messages that reopen it after each resolution: a guard for any loader
 * that reads fewer rows (docs/PERFORMANCE.md, helper match2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { agentsOf, firstResponse } from './cs-figures.ts';
import { loadCsData } from './inputs.ts';
import { across } from './schema.ts';
import { seedMonth } from './testing.ts';

const at = (local: string) => new Date(`${local}+08:00`).toISOString();
const ms = (local: string) => Date.parse(at(local));

describe.each(engines)('the CS loader on %s', (engine) => {
  let t: TestApp;
  let ws: string;
  let a1: string;
  const a2 = 'usr_other_agent';
  beforeAll(async () => {
    t = await testApp(engine, { clock: manualClock('2026-11-02T03:00:00Z') });
    const w = await t.workspace(`inp-${engine}`);
    ws = w.id;
    a1 = w.owner.actor.userId;
    await seedMonth(t.s, ws, a1);
    const db = across(t.s.db);
    // [time, sender, agent, body], in seq order.
    const msgs: [string, 'customer' | 'agent' | 'bot', string | null, string][] = [
      ['2026-10-20T10:05:00', 'customer', null, '第一条消息'],
      ['2026-10-20T10:00:00', 'customer', null, 'earlier by time, later by seq'],
      ['2026-10-20T09:59:00', 'agent', a2, 'before the question'],
      ['2026-10-20T10:20:00', 'agent', a1, 'second reply'],
      ['2026-10-20T10:10:00', 'agent', a1, 'the first response by time'],
      ['2026-10-20T10:30:00', 'customer', null, 'thanks'],
      ['2026-10-20T12:00:00', 'customer', null, 'reopens'],
      ['2026-10-20T12:30:00', 'customer', null, 'still open'],
      ['2026-10-20T13:00:00', 'customer', null, 'reopens at the same instant'],
      ['2026-10-20T13:10:00', 'bot', null, 'bot'],
    ];
    await db
      .insertInto('conversations')
      .values({
        id: 'cnv_z',
        workspace_id: ws,
        inbox_id: 'inb_r1',
        customer_id: 'cus_r1',
        status: 'open',
        assignee_id: null,
        last_seq: msgs.length,
        last_public_seq: msgs.length,
        last_message_at: at('2026-10-20T13:10:00'),
        last_message_preview: null,
        agent_last_read_seq: 0,
        customer_last_read_seq: 0,
        snoozed_until: null,
        ticket_id: null,
        created_at: at('2026-10-20T09:58:00'),
        updated_at: at('2026-10-20T13:10:00'),
      })
      .execute();
    for (const [k, [when, from, agent, body]] of msgs.entries())
      await db
        .insertInto('messages')
        .values({
          id: `msg_z${k}`,
          workspace_id: ws,
          conversation_id: 'cnv_z',
          seq: k + 1,
          prev_public_seq: k,
          client_id: null,
          sender_type: from,
          sender_id: agent,
          sender_name: null,
          kind: 'text',
          body,
          attachments: '[]',
          created_at: at(when),
        })
        .execute();
    for (const [k, [when, from, to]] of [
      ['2026-10-20T11:00:00', 'open', 'resolved'],
      ['2026-10-20T13:00:00', 'open', 'resolved'],
    ].entries())
      await db
        .insertInto('audit_log')
        .values({
          id: `aud_z${k}`,
          workspace_id: ws,
          actor_type: 'user',
          actor_id: a1,
          actor_name: null,
          action: 'conversation.updated',
          object_type: 'conversation',
          object_id: 'cnv_z',
          ip: null,
          data: JSON.stringify({ status: { from, to } }),
          created_at: at(when!),
        })
        .execute();
  }, 60_000);
  afterAll(() => t?.close());

  it('gives the first response, the agents, the resolutions and reopenings of all the messages', async () => {
    const data = await loadCsData(t.s.db, ws, ms('2026-10-01T00:00:00'), ms('2026-11-01T00:00:00'));
    const c = data.conversations.find((x) => x.id === 'cnv_z')!;
    // The question is the earliest shopper message by time; the reply the first agent message at or after it.
    expect(firstResponse(c)).toEqual({
      askedAt: ms('2026-10-20T10:00:00'),
      repliedAt: ms('2026-10-20T10:10:00'),
      agentId: a1,
    });
    expect(agentsOf(c)).toEqual(new Set([a2, a1]));
    // The drill's agent: the first agent message by seq; the hot question: the first shopper message by seq.
    expect(c.messages.find((m) => m.from === 'agent')?.agentId).toBe(a2);
    expect(c.firstCustomerText).toBe('第一条消息');
    expect(c.resolvedAt).toEqual([ms('2026-10-20T11:00:00'), ms('2026-10-20T13:00:00')]);
    expect(c.reopenedAt).toEqual([ms('2026-10-20T12:00:00'), ms('2026-10-20T13:00:00')]);
  });
});
