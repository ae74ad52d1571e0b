/**
 * The inbox at volume: keyset pages in activity order (ties broken by id) that add up to the whole
 * list without a row twice or missing, even when conversations change between pages; searches in
 * Chinese (two-character words, longer phrases), order numbers, and exact phone / e-mail / name
 * lookups that say which kind matched.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../lib/ids.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { encryptPii } from '../customers/index.ts';
import { indexPendingMessages } from './search.ts';

type Seeded = { id: string; status: string; assignee: string | null; updated: string; bodies: string[] };

describe.each(engines)('inbox lists and search on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  /** Conversations written straight into the tables (the search triggers index them as the writer's would). */
  async function seed(n: number, bodiesOf: (i: number) => string[]) {
    t = await testApp(engine);
    const { id: ws, owner } = await t.workspace('shop');
    const agent = await t.user(ws, 'agent');
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    const db = allTables(t.s);
    const seeded: Seeded[] = [];
    const base = Date.parse('2026-03-01T00:00:00Z');
    for (let i = 0; i < n; i++) {
      const at = new Date(base + i * 60_000).toISOString();
      // Every third conversation shares its update time with the previous one: the id breaks the tie.
      const updated = new Date(base + (i - (i % 3 === 2 ? 1 : 0)) * 3_600_000).toISOString();
      const customerId = newId('cus');
      await db
        .insertInto('customers')
        .values({
          id: customerId,
          workspace_id: ws,
          ...encryptPii(t.s.cipher, {
            name: `顾客${i}`,
            phone: `1380000${String(i).padStart(4, '0')}`,
            email: `c${i}@example.com`,
          }),
          notes: '',
          created_at: at,
          updated_at: at,
        })
        .execute();
      const c: Seeded = {
        id: newId('cnv'),
        status: ['open', 'pending', 'resolved', 'snoozed'][i % 4],
        assignee: i % 5 === 0 ? null : i % 2 ? agent.actor.userId : owner.actor.userId,
        updated,
        bodies: bodiesOf(i),
      };
      await db
        .insertInto('conversations')
        .values({
          id: c.id,
          workspace_id: ws,
          inbox_id: inbox.id,
          customer_id: customerId,
          status: c.status,
          assignee_id: c.assignee,
          last_seq: c.bodies.length,
          last_public_seq: c.bodies.length,
          agent_last_read_seq: 0,
          customer_last_read_seq: 0,
          created_at: at,
          updated_at: updated,
        })
        .execute();
      for (const [k, body] of c.bodies.entries())
        await db
          .insertInto('messages')
          .values({
            id: newId('msg'),
            workspace_id: ws,
            conversation_id: c.id,
            seq: k + 1,
            sender_type: 'customer',
            kind: 'text',
            body,
            attachments: '[]',
            created_at: at,
          })
          .execute();
      seeded.push(c);
    }
    // Written straight into the tables like a bulk load: on SQLite the search index catches up as at start-up.
    await indexPendingMessages(t.s);
    return { owner, agent, seeded };
  }

  /** Every page of a list, following the cursor. */
  async function all(client: Client, path: string, limit: number, from: string | null = null) {
    const ids: string[] = [];
    let cursor: string | null = from;
    let kind: string | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const sep = path.includes('?') ? '&' : '?';
      const res = await client.get(
        `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json();
      kind = page.search?.kind;
      ids.push(...page.items.map((c: { id: string }) => c.id));
      cursor = page.nextCursor;
      if (!cursor) return { ids, kind };
    }
    throw new Error('no last page');
  }

  const newest = (list: Seeded[]) =>
    [...list]
      .sort((a, b) => (a.updated === b.updated ? (a.id < b.id ? 1 : -1) : a.updated < b.updated ? 1 : -1))
      .map((c) => c.id);

  it('pages every view and status by keyset in activity order, each conversation once', async () => {
    const { owner, agent, seeded } = await seed(41, (i) => [`消息 ${i}`]);
    const mine = (c: Seeded) => c.assignee === owner.actor.userId;
    for (const [view, keep] of [
      ['all', () => true],
      ['mine', mine],
      ['unassigned', (c: Seeded) => c.assignee === null],
    ] as const) {
      expect((await all(owner, `/api/conversations?view=${view}`, 4)).ids).toEqual(newest(seeded.filter(keep)));
      expect((await all(owner, `/api/conversations?view=${view}&status=open`, 3)).ids).toEqual(
        newest(seeded.filter((c) => keep(c) && c.status === 'open')),
      );
    }
    expect((await all(agent, '/api/conversations?view=mine', 5)).ids).toEqual(
      newest(seeded.filter((c) => c.assignee === agent.actor.userId)),
    );
    // The tabs count what the list below them shows: every status for "any", else that status (defect 4).
    expect((await owner.get('/api/conversations')).json().counts.all).toBe(seeded.length);
    for (const status of ['open', 'resolved'] as const) {
      const counts = (await owner.get(`/api/conversations?status=${status}`)).json().counts;
      const inStatus = seeded.filter((c) => c.status === status);
      expect(counts).toEqual({
        all: inStatus.length,
        mine: inStatus.filter(mine).length,
        unassigned: inStatus.filter((c) => c.assignee === null).length,
      });
    }

    // A conversation that moves to the top between two pages is not listed twice, and none is skipped.
    const first = (await owner.get('/api/conversations?limit=10')).json();
    const moved = newest(seeded)[20];
    await allTables(t.s)
      .updateTable('conversations')
      .set({ updated_at: '2027-01-01T00:00:00.000Z' })
      .where('id', '=', moved)
      .execute();
    const rest = await all(owner, '/api/conversations', 10, first.nextCursor);
    const seen = [...first.items.map((c: { id: string }) => c.id), ...rest.ids];
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(
      seeded
        .map((c) => c.id)
        .filter((id) => id !== moved)
        .sort(),
    );

    const bad = await owner.get('/api/conversations?cursor=not-a-cursor');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_cursor');
  });

  it('finds two-character Chinese words, phrases and order numbers, newest match first, each conversation once', async () => {
    const bodies = (i: number) =>
      i % 3 === 0
        ? ['你好', `我要开发票，订单号 SO2026${String(i).padStart(4, '0')}`, '发票抬头是公司']
        : i % 3 === 1
          ? ['退货地址是哪里？', '谢谢']
          : ['退货的地址不对', 'Invoice please'];
    const { owner, seeded } = await seed(30, bodies);
    const having = (f: (b: string) => boolean) => seeded.filter((c) => c.bodies.some(f));
    // Newest match first: messages are written in conversation order here, so the last conversation is first.
    const newestMatch = (list: Seeded[]) => [...list].reverse().map((c) => c.id);

    const invoice = await all(owner, `/api/conversations?q=${encodeURIComponent('发票')}`, 4);
    expect(invoice.kind).toBe('text');
    expect(invoice.ids).toEqual(newestMatch(having((b) => b.includes('发票'))));
    // A phrase is its characters in a row: 退货的地址 has both words but not 退货地址.
    expect((await all(owner, `/api/conversations?q=${encodeURIComponent('退货地址')}`, 3)).ids).toEqual(
      newestMatch(having((b) => b.includes('退货地址'))),
    );
    expect((await all(owner, `/api/conversations?q=${encodeURIComponent('开发票')}`, 50)).ids).toEqual(
      newestMatch(having((b) => b.includes('开发票'))),
    );
    const order = await all(owner, '/api/conversations?q=so20260009', 50);
    expect(order).toEqual({ ids: [seeded[9].id], kind: 'order_no' });
    expect((await all(owner, '/api/conversations?q=invoice', 50)).ids).toHaveLength(10);
    // The inbox's filters apply to search too.
    expect((await all(owner, `/api/conversations?q=${encodeURIComponent('发票')}&status=open`, 2)).ids).toEqual(
      newestMatch(having((b) => b.includes('发票')).filter((c) => c.status === 'open')),
    );
    expect((await owner.get(`/api/conversations?q=${encodeURIComponent('票')}`)).statusCode).toBe(400);
  });

  it('answers phones, e-mails and names from the customers’ keyed hashes, saying which', async () => {
    const { owner, agent, seeded } = await seed(6, (i) => [`消息 ${i}`]);
    for (const [q, kind, i] of [
      ['13800000004', 'phone', 4],
      ['138 0000 0004', 'phone', 4],
      ['C2@example.com', 'email', 2],
      ['顾客5', 'name', 5],
    ] as const) {
      expect(await all(owner, `/api/conversations?view=all&q=${encodeURIComponent(q)}`, 10)).toEqual({
        ids: [seeded[i].id],
        kind,
      });
    }
    // Agents search by phone too (they only see it masked).
    expect((await all(agent, '/api/conversations?q=13800000003', 10)).ids).toEqual([seeded[3].id]);
    // A phone nobody has falls back to the text of the messages.
    expect(await all(owner, '/api/conversations?q=13999999999', 10)).toEqual({ ids: [], kind: 'text' });
  });
});
