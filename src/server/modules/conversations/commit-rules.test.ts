/**
 * The storage rules of a batch, directly (no database): seqs, `prev`, resends and cid conflicts,
 * the workspace check before the resend lookup, reopening, read positions, the preview, events.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conversationEvents } from './events.ts';
import { planCommit, resendKey, resendLookup, type ConversationState, type StoredMessage } from './commit-rules.ts';
import type { PendingMessage } from './writer.ts';

const at = '2026-03-02T03:00:00.000Z';
const conv = (over: Partial<ConversationState> = {}): ConversationState => ({
  id: 'cnv_1',
  workspace_id: 'ws_a',
  status: 'open',
  last_seq: 0,
  last_public_seq: 0,
  agent_last_read_seq: 0,
  customer_last_read_seq: 0,
  last_message_preview: null,
  ticket_id: null,
  ...over,
});
let n = 0;
const msg = (over: Partial<PendingMessage> = {}): PendingMessage => ({
  id: `msg_${++n}`,
  workspaceId: 'ws_a',
  conversationId: 'cnv_1',
  clientId: `c${n}`,
  senderType: 'customer',
  senderId: 'cus_1',
  senderName: null,
  kind: 'text',
  body: 'hello',
  attachments: [],
  createdAt: at,
  ...over,
});
const stored = (m: PendingMessage, seq: number, prev: number | null = seq - 1): StoredMessage => ({
  id: m.id,
  conversation_id: m.conversationId,
  seq,
  prev_public_seq: prev,
  client_id: m.clientId,
  sender_type: m.senderType,
  sender_id: m.senderId,
  kind: m.kind,
  body: m.body,
  attachments: JSON.stringify(m.attachments),
  created_at: '2026-03-01T00:00:00.000Z',
});
let e = 0;
const eventId = () => `evt_${++e}`;

describe('planCommit', () => {
  it('gives each new message the next seq, and `prev` the last public seq before it (notes skipped)', () => {
    const batch = [
      msg({ kind: 'note', senderType: 'agent', senderId: 'usr_1' }),
      msg({ senderType: 'agent', senderId: 'usr_1', body: 'reply' }),
      msg({ kind: 'note', senderType: 'agent', senderId: 'usr_1' }),
      msg({ body: 'thanks' }),
    ];
    const plan = planCommit(batch, [conv({ last_seq: 7, last_public_seq: 6 })], [], eventId);
    expect(plan.messages.map((m) => [m.seq, m.prev_public_seq])).toEqual([
      [8, 6],
      [9, 6],
      [10, 9],
      [11, 9],
    ]);
    expect(plan.results.map((r) => r.ok && [r.seq, r.prev, r.duplicate])).toEqual([
      [8, 6, false],
      [9, 6, false],
      [10, 9, false],
      [11, 9, false],
    ]);
    expect(plan.conversations).toEqual([
      {
        id: 'cnv_1',
        last_seq: 11,
        last_public_seq: 11,
        last_message_at: at,
        last_message_preview: 'thanks',
        agent_last_read_seq: 10,
        customer_last_read_seq: 11,
        status: 'open',
        clear_snooze: true,
      },
    ]);
  });

  it('keeps the preview and the public seq when only notes were written', () => {
    const plan = planCommit(
      [msg({ kind: 'note', senderType: 'agent', senderId: 'usr_1', body: 'internal' })],
      [conv({ last_seq: 3, last_public_seq: 3, last_message_preview: 'earlier' })],
      [],
      eventId,
    );
    expect(plan.conversations[0]).toMatchObject({
      last_seq: 4,
      last_public_seq: 3,
      last_message_preview: 'earlier',
      clear_snooze: false,
    });
  });

  it('reopens a resolved or snoozed conversation on a shopper’s message only, once', () => {
    for (const status of ['resolved', 'snoozed']) {
      const plan = planCommit(
        [msg({ senderType: 'agent', senderId: 'usr_1' }), msg(), msg()],
        [conv({ status })],
        [],
        eventId,
      );
      expect(plan.results.map((r) => r.ok && r.reopened)).toEqual([false, true, false]);
      expect(plan.conversations[0]).toMatchObject({ status: 'open', clear_snooze: true });
      // The reopening is a status change on the bus (routing queues the conversation again).
      expect(plan.outbox).toHaveLength(1);
      expect(plan.outbox[0]).toMatchObject({ type: 'conversation.updated' });
      expect(JSON.parse(plan.outbox[0].payload).data).toEqual({ status: { from: status, to: 'open' } });
    }
    const agentOnly = planCommit(
      [msg({ senderType: 'agent', senderId: 'usr_1' })],
      [conv({ status: 'resolved' })],
      [],
      eventId,
    );
    expect(agentOnly.conversations[0]).toMatchObject({ status: 'resolved', clear_snooze: false });
  });

  it('answers a resend with the stored message, and refuses a reused client id with other content', () => {
    const first = msg({ clientId: 'same', attachments: [{ id: 'att_1', name: 'a.png', mime: 'image/png', size: 1 }] });
    const old = stored(first, 5, 4);
    const c = conv({ last_seq: 5, last_public_seq: 5 });
    const again = { ...first, id: 'msg_new' };
    const plan = planCommit(
      [
        again,
        { ...again, id: 'msg_other_body', body: 'changed' },
        { ...again, id: 'msg_other_kind', kind: 'image' as const },
        { ...again, id: 'msg_other_att', attachments: [] },
      ],
      [c],
      [old],
      eventId,
    );
    expect(plan.results[0]).toEqual({
      ok: true,
      id: first.id,
      seq: 5,
      prev: 4,
      createdAt: old.created_at,
      duplicate: true,
      reopened: false,
      eventIds: [],
    });
    for (const r of plan.results.slice(1)) expect(r).toMatchObject({ ok: false, code: 'cid_conflict' });
    expect(plan.messages).toEqual([]);
    expect(plan.conversations).toEqual([]);
  });

  it('keys resends by the sender: two agents with one client id are two messages', () => {
    const a = msg({ clientId: 'x1', senderType: 'agent', senderId: 'usr_1' });
    const b = msg({ clientId: 'x1', senderType: 'agent', senderId: 'usr_2' });
    const c = msg({ clientId: 'x1', senderType: 'customer', senderId: 'cus_1' });
    const plan = planCommit([b, c], [conv({ last_seq: 1, last_public_seq: 1 })], [stored(a, 1)], eventId);
    expect(plan.results.map((r) => r.ok && [r.seq, r.duplicate])).toEqual([
      [2, false],
      [3, false],
    ]);
  });

  it('stores a resend inside one batch once, and refuses a different message with its client id', () => {
    const m = msg({ clientId: 'k' });
    const plan = planCommit([m, { ...m, id: 'msg_b' }, { ...m, id: 'msg_c', body: 'other' }], [conv()], [], eventId);
    expect(plan.messages.map((r) => r.id)).toEqual([m.id]);
    expect(plan.results[1]).toMatchObject({ ok: true, id: m.id, seq: 1, duplicate: true, reopened: false });
    expect(plan.results[2]).toMatchObject({ ok: false, code: 'cid_conflict' });
  });

  it('checks the workspace before anything else: another workspace’s client ids reveal nothing', () => {
    const mine = msg({ clientId: 'known' });
    const c = conv({ last_seq: 1 });
    // The same sender id and client id, but claiming another workspace (e.g. the installation owner after switching).
    const intruder = { ...mine, id: 'msg_x', workspaceId: 'ws_b' };
    const plan = planCommit([intruder, msg({ conversationId: 'cnv_missing' })], [c], [stored(mine, 1)], eventId);
    expect(plan.results).toEqual([
      { ok: false, code: 'unknown_conversation', message: 'no such conversation' },
      { ok: false, code: 'unknown_conversation', message: 'no such conversation' },
    ]);
    // …and the stores do not even look it up.
    expect(resendLookup([intruder], [c])).toEqual([]);
    expect(resendLookup([mine, { ...mine, senderId: 'cus_2' }], [c])).toEqual([['cnv_1', 'known']]);
  });

  it('raises conversation.customer_replied for a shopper’s message to a conversation that feeds a ticket', () => {
    const plan = planCommit(
      [msg({ senderType: 'agent', senderId: 'usr_1' }), msg({ body: 'photo uploaded' })],
      [conv({ ticket_id: 'tkt_1' })],
      [],
      () => 'evt_fixed',
    );
    expect(plan.results.map((r) => r.ok && r.eventIds)).toEqual([[], ['evt_fixed']]);
    expect(plan.outbox).toHaveLength(1);
    const row = plan.outbox[0];
    expect(row).toMatchObject({
      id: 'evt_fixed',
      type: 'conversation.customer_replied',
      workspace_id: 'ws_a',
      aggregate: 'conversation:cnv_1',
      attempts: 0,
      delivered_at: null,
      created_at: at,
    });
    const event = JSON.parse(row.payload);
    expect(event).toEqual({
      type: 'conversation.customer_replied',
      workspaceId: 'ws_a',
      actor: { type: 'system', id: null, name: null },
      ip: null,
      objectType: 'conversation',
      objectId: 'cnv_1',
      data: { ticketId: 'tkt_1', messageId: plan.messages[1].id, at },
      at,
      id: 'evt_fixed',
    });
    expect(conversationEvents['conversation.customer_replied'].safeParse(event.data).success).toBe(true);
    expect(planCommit([msg()], [conv()], [], eventId).outbox).toEqual([]);
  });

  const senders = [
    { senderType: 'customer', senderId: 'cus_1' },
    { senderType: 'agent', senderId: 'usr_1' },
    { senderType: 'agent', senderId: 'usr_2' },
  ] as const;
  const arbMessage = fc.record({
    conversationId: fc.constantFrom('cnv_1', 'cnv_2', 'cnv_3', 'cnv_gone'),
    workspaceId: fc.constantFrom('ws_a', 'ws_a', 'ws_a', 'ws_b'),
    clientId: fc.option(fc.constantFrom('k1', 'k2', 'k3', 'k4'), { nil: null }),
    sender: fc.constantFrom(...senders),
    kind: fc.constantFrom('text', 'note'),
    body: fc.constantFrom('a', 'b'),
  });
  const arbConv = (id: string) =>
    fc.record({
      id: fc.constant(id),
      workspace_id: fc.constantFrom('ws_a', 'ws_b'),
      status: fc.constantFrom('open', 'resolved', 'snoozed'),
      last_seq: fc.integer({ min: 0, max: 50 }),
      ticket_id: fc.option(fc.constant('tkt_1'), { nil: null }),
    });

  it('property: results in batch order; seqs contiguous and unique per conversation; a resend never stored twice', () => {
    fc.assert(
      fc.property(
        fc.array(arbMessage, { maxLength: 40 }),
        fc.tuple(arbConv('cnv_1'), arbConv('cnv_2'), arbConv('cnv_3')),
        fc.array(fc.tuple(arbMessage, fc.integer({ min: 1, max: 50 })), { maxLength: 8 }),
        (specs, convSpecs, storedSpecs) => {
          const convs = convSpecs.map((c) => conv({ ...c, last_public_seq: Math.max(0, c.last_seq - 1) }));
          const toPending = (s: (typeof specs)[number], i: number, prefix: string): PendingMessage =>
            msg({
              id: `${prefix}_${i}`,
              conversationId: s.conversationId,
              workspaceId: s.workspaceId,
              clientId: s.clientId,
              ...s.sender,
              kind: s.kind as PendingMessage['kind'],
              body: s.body,
            });
          // Stored messages: at most one per key (the unique index), in conversations that exist.
          const byKey = new Map<string, StoredMessage>();
          storedSpecs.forEach(([s, seq], i) => {
            const m = toPending({ ...s, clientId: s.clientId ?? 'k1' }, i, 'old');
            byKey.set(resendKey(m.conversationId, m.senderType, m.senderId, m.clientId!), stored(m, seq));
          });
          const batch = specs.map((s, i) => toPending(s, i, 'new'));
          const plan = planCommit(batch, convs, [...byKey.values()], eventId);

          expect(plan.results).toHaveLength(batch.length);
          const convOf = new Map(convs.map((c) => [c.id, c]));
          const idByKey = new Map([...byKey].map(([k, r]) => [k, r.id]));
          const keyOf = (m: PendingMessage) =>
            m.clientId === null ? null : resendKey(m.conversationId, m.senderType, m.senderId, m.clientId);
          const publicSeq = new Map(convs.map((c) => [c.id, c.last_public_seq]));
          const nextSeq = new Map(convs.map((c) => [c.id, c.last_seq + 1]));
          const statusOf = new Map(convs.map((c) => [c.id, c.status]));
          let inserted = 0;
          batch.forEach((m, i) => {
            const r = plan.results[i];
            const c = convOf.get(m.conversationId);
            if (!c || c.workspace_id !== m.workspaceId)
              return expect(r).toMatchObject({ code: 'unknown_conversation' });
            const key = keyOf(m);
            // A refusal or a duplicate only for a client id already used by this sender here.
            if (!r.ok || r.duplicate) expect(key !== null && idByKey.has(key)).toBe(true);
            if (!r.ok) return expect(r.code).toBe('cid_conflict');
            if (r.duplicate) return expect(r.id).toBe(idByKey.get(key!));
            // A new message: the next seq of its conversation, its row in batch order, its prev.
            const row = plan.messages[inserted++];
            expect(row.id).toBe(m.id);
            expect(r.id).toBe(m.id);
            expect(r.seq).toBe(nextSeq.get(c.id));
            nextSeq.set(c.id, r.seq + 1);
            expect(row.prev_public_seq).toBe(publicSeq.get(c.id));
            if (m.kind !== 'note') publicSeq.set(c.id, r.seq);
            if (key !== null) {
              expect(idByKey.has(key)).toBe(false); // never stored twice
              idByKey.set(key, m.id);
            }
            // A shopper's message that reopens the conversation raises its status change.
            const reopens = m.senderType === 'customer' && statusOf.get(c.id) !== 'open';
            if (m.senderType === 'customer') statusOf.set(c.id, 'open');
            expect(r.reopened).toBe(reopens);
            expect(r.eventIds.length).toBe((reopens ? 1 : 0) + (m.senderType === 'customer' && c.ticket_id ? 1 : 0));
          });
          expect(plan.messages).toHaveLength(inserted);
          for (const u of plan.conversations) {
            expect(u.last_seq).toBe(nextSeq.get(u.id)! - 1);
            expect(u.last_public_seq).toBe(publicSeq.get(u.id));
          }
          expect(plan.outbox.map((o) => o.id)).toEqual(plan.results.flatMap((r) => (r.ok ? r.eventIds : [])));
        },
      ),
      { numRuns: 500 },
    );
  });
});
