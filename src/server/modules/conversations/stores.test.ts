/**
 * The two message stores against a real database (each engine): events written in the same
 * transaction as the messages (the row `Events.write` would store) or not at all, `prev` kept
 * and read back, the workspace checked before a resend is looked up, and (PostgreSQL) a resend
 * committed by another node while the batch waited for the conversation's lock.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { commitMessage, messagesAfter, prepareMessage, type Sender } from './service.ts';
import { messageWriter } from './metrics.ts';
import { pgStore } from './stores.ts';
import { indexPendingMessages } from './search.ts';

describe.each(engines)('message stores on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  /** A workspace with a shopper's conversation (from an offline message, which also makes a ticket it feeds). */
  async function setup() {
    t = await testApp(engine);
    const { id: wsId, owner } = await t.workspace('shop');
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    const left = await t.app.inject({
      method: 'POST',
      url: `/api/widget/${inbox.publicId}/offline-message`,
      payload: { contact: 'a@example.com', body: '订单没到' },
    });
    expect(left.statusCode, left.body).toBe(200);
    const conv = await allTables(t.s).selectFrom('conversations').selectAll().executeTakeFirstOrThrow();
    const shopper: Sender = { type: 'customer', id: conv.customer_id, name: null, workspaceId: wsId };
    const agent: Sender = { type: 'agent', id: owner.actor.userId, name: 'Owner', workspaceId: wsId };
    return { wsId, owner, conv, shopper, agent };
  }
  const outbox = (type: string) =>
    allTables(t.s).selectFrom('outbox').selectAll().where('type', '=', type).orderBy('seq').execute();

  it('writes conversation.customer_replied in the messages’ transaction: the row Events.write stores', async () => {
    const { conv, shopper, agent } = await setup();
    expect(conv.ticket_id).not.toBeNull(); // the offline message made a ticket this conversation feeds
    const pm = await prepareMessage(t.s, shopper, conv.id, { clientId: 'c1', kind: 'text', body: '照片已上传' });
    await commitMessage(t.s, await prepareMessage(t.s, agent, conv.id, { clientId: 'a1', kind: 'text', body: '好的' }));
    const ack = await commitMessage(t.s, pm);
    const [row] = await outbox('conversation.customer_replied');
    expect(row).toBeDefined();
    const event = JSON.parse(row.payload);
    expect(event.data).toEqual({ ticketId: conv.ticket_id, messageId: ack.id, at: pm.createdAt });

    // What Events.write stores for the same event.
    const { id: _id, ...published } = event;
    const refId = await t.s.events.write(t.s.db, published);
    const ref = (await outbox('conversation.customer_replied')).find((r) => r.id === refId)!;
    const { id: _refId, ...refEvent } = JSON.parse(ref.payload);
    expect(published).toEqual(refEvent);
    expect(Object.keys(event)).toEqual([...Object.keys(refEvent), 'id']); // the same JSON, key order too
    // Delivery of the first may have begun already: its state columns are the dispatcher's.
    const pick = (r: typeof row) => ({ type: r.type, workspace_id: r.workspace_id, aggregate: r.aggregate });
    expect(pick(row)).toEqual(pick(ref));
    expect(row.created_at).toBe(pm.createdAt);

    // Delivered after the commit (not awaited by the ack): the reply lands on the ticket once.
    await expect
      .poll(async () => (await outbox('conversation.customer_replied')).find((r) => r.id === row.id)?.delivered_at)
      .not.toBeNull();
    const replies = await allTables(t.s)
      .selectFrom('ticket_events')
      .select('body')
      .where('ticket_id', '=', conv.ticket_id!)
      .where('type', '=', 'customer_reply')
      .execute();
    expect(replies.map((r) => r.body)).toContain('照片已上传');
  });

  it('writes the events with the messages or not at all', async () => {
    const { conv, shopper } = await setup();
    const ok = await prepareMessage(t.s, shopper, conv.id, { clientId: 'c1', kind: 'text', body: 'one' });
    const existing = await allTables(t.s).selectFrom('messages').select('id').executeTakeFirstOrThrow();
    // Same batch: a message whose row cannot be inserted (its id is taken) makes the whole batch fail.
    const broken = { ...(await prepareMessage(t.s, shopper, conv.id, { clientId: 'c2', kind: 'text', body: 'two' })) };
    broken.id = existing.id;
    const w = messageWriter(t.s);
    const r = await Promise.allSettled([w.submit(ok), w.submit(broken)]);
    expect(r.map((x) => x.status)).toEqual(['rejected', 'rejected']);
    expect(await outbox('conversation.customer_replied')).toEqual([]);
    const after = await allTables(t.s).selectFrom('conversations').selectAll().executeTakeFirstOrThrow();
    expect(after.last_seq).toBe(conv.last_seq);
    expect(await messagesAfter(t.s, conv.id, conv.last_seq, 10, false)).toEqual([]);
  });

  it('keeps `prev`: shoppers’ skips notes, agents’ is seq − 1; acks carry the sender’s', async () => {
    const { conv, shopper, agent } = await setup();
    const send = async (who: Sender, kind: 'text' | 'note', body: string) =>
      commitMessage(t.s, await prepareMessage(t.s, who, conv.id, { clientId: body, kind, body }));
    const a = await send(agent, 'text', 'reply'); // seq 2
    const n1 = await send(agent, 'note', 'note 1'); // 3
    const n2 = await send(agent, 'note', 'note 2'); // 4
    const c = await send(shopper, 'text', 'thanks'); // 5
    expect([a, n1, n2, c].map((x) => [x.seq, x.prev])).toEqual([
      [2, 1],
      [3, 2],
      [4, 3],
      [5, 2],
    ]);
    const forShopper = await messagesAfter(t.s, conv.id, 0, 10, true);
    expect(forShopper.map((x) => [x.m.seq, x.prev])).toEqual([
      [1, 0],
      [2, 1],
      [5, 2],
    ]);
    const forAgent = await messagesAfter(t.s, conv.id, 0, 10, false);
    expect(forAgent.map((x) => [x.m.seq, x.prev])).toEqual([1, 2, 3, 4, 5].map((s) => [s, s - 1]));
    // A resend is answered with the stored `prev`.
    expect(await send(shopper, 'text', 'thanks')).toMatchObject({ seq: 5, prev: 2, duplicate: true });
    const row = await allTables(t.s).selectFrom('conversations').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ last_seq: 5, last_public_seq: 5 });
  });

  it('checks the workspace before looking a resend up: a known client id from elsewhere reveals nothing', async () => {
    const { conv, agent } = await setup();
    const first = await commitMessage(
      t.s,
      await prepareMessage(t.s, agent, conv.id, { clientId: 'known', kind: 'text', body: 'hi' }),
    );
    expect(first.duplicate).toBe(false);
    // The same user and client id, claiming another workspace (the installation owner after a switch).
    const { id: otherWs } = await t.workspace('other');
    const elsewhere = await prepareMessage(t.s, { ...agent, workspaceId: otherWs }, conv.id, {
      clientId: 'known',
      kind: 'text',
      body: 'hi',
    });
    await expect(commitMessage(t.s, elsewhere)).rejects.toMatchObject({ code: 'unknown_conversation' });
  });

  it('indexes each message for search exactly once, stored by the chat writer or by another connection', async () => {
    const { conv, agent, owner } = await setup(); // the offline message went in through the main connection
    for (let i = 0; i < 3; i++)
      await commitMessage(
        t.s,
        await prepareMessage(t.s, agent, conv.id, {
          clientId: `fts${i}`,
          kind: 'text',
          body: `顺丰单号 SF10${i} 已发出`,
        }),
      );
    const found = async (q: string) =>
      (await owner.get(`/api/conversations?q=${encodeURIComponent(q)}`)).json().items.map((c: { id: string }) => c.id);
    expect(await found('订单没到')).toEqual([conv.id]);
    expect(await found('SF101')).toEqual([conv.id]);
    if (engine === 'sqlite') {
      // The trigger only queues rowids; the writer indexes its batch before COMMIT (migration 0089).
      const hits = async (match: string) =>
        (
          await sql<{ n: number }>`select count(*) as n from messages_fts where messages_fts match ${match}`.execute(
            t.s.db,
          )
        ).rows[0].n;
      expect(await hits('"顺丰"')).toBe(3);
      expect(await hits('"订单"')).toBe(1);
      const pending = async () =>
        (await sql<{ n: number }>`select count(*) as n from messages_fts_pending`.execute(t.s.db)).rows[0].n;
      expect(await pending()).toBe(0);
      // A row another writer stored (a bulk load) is queued, and indexed at the next start-up.
      await sql`insert into messages (id, workspace_id, conversation_id, seq, prev_public_seq, client_id, sender_type,
          sender_id, sender_name, kind, body, attachments, created_at)
        select 'bulk1', workspace_id, conversation_id, 99, 0, 'bulk1', 'agent', sender_id, null, 'text', '中通快递 ZT555 已揽收',
          '[]', created_at from messages where conversation_id = ${conv.id} limit 1`.execute(t.s.db);
      expect(await pending()).toBe(1);
      expect(await hits('"中通"')).toBe(0);
      await indexPendingMessages(t.s);
      expect([await pending(), await hits('"中通"')]).toEqual([0, 1]);
    }
  });

  if (engine === 'postgres')
    it('finds a resend that another node committed while this batch waited for the lock', async () => {
      const { conv, shopper } = await setup();
      const pm = await prepareMessage(t.s, shopper, conv.id, { clientId: 'raced', kind: 'text', body: 'once' });
      const db = allTables(t.s);
      let commitOther!: () => void;
      const otherMayCommit = new Promise<void>((r) => (commitOther = r));
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      // "Another node": holds the conversation, stores the same message, commits only when told.
      const other = db.transaction().execute(async (tx) => {
        const c = await tx
          .selectFrom('conversations')
          .selectAll()
          .where('id', '=', conv.id)
          .forUpdate()
          .executeTakeFirstOrThrow();
        await tx
          .insertInto('messages')
          .values({
            id: 'msg_other_node',
            workspace_id: pm.workspaceId,
            conversation_id: conv.id,
            seq: c.last_seq + 1,
            prev_public_seq: c.last_public_seq,
            client_id: 'raced',
            sender_type: 'customer',
            sender_id: pm.senderId,
            sender_name: null,
            kind: 'text',
            body: 'once',
            attachments: '[]',
            created_at: pm.createdAt,
          })
          .execute();
        await tx
          .updateTable('conversations')
          .set({ last_seq: c.last_seq + 1, last_public_seq: c.last_seq + 1 })
          .where('id', '=', conv.id)
          .execute();
        locked();
        await otherMayCommit;
      });
      await isLocked;
      const mine = pgStore(t.s.db).commit([pm]); // its first statement starts now and waits for the lock
      await new Promise((r) => setTimeout(r, 200));
      commitOther();
      await other;
      const [r] = await mine;
      expect(r).toMatchObject({ ok: true, id: 'msg_other_node', seq: conv.last_seq + 1, duplicate: true });
      const rows = await db.selectFrom('messages').select('id').where('client_id', '=', 'raced').execute();
      expect(rows).toEqual([{ id: 'msg_other_node' }]);
      const after = await db.selectFrom('conversations').select('last_seq').executeTakeFirstOrThrow();
      expect(after.last_seq).toBe(conv.last_seq + 1);
    });
});
