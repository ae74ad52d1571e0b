/**
 * The ticket list at volume: every sort pages by keyset over its own columns (priority rank and
 * next deadline are columns now), pages add up to the whole list in ORDER BY's order; tags filter
 * through their table; search answers ticket numbers, order numbers and customers' phones from
 * their indexes, and anything else from the full-text index over subjects and timelines.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { encryptPii } from '../customers/index.ts';

describe.each(engines)('ticket lists and search on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  async function all(client: Client, path: string, limit: number) {
    const ids: string[] = [];
    let cursor: string | null = null;
    let kind: string | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const res = await client.get(`${path}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json();
      kind = page.search?.kind;
      ids.push(...page.items.map((x: { id: string }) => x.id));
      cursor = page.nextCursor;
      if (!cursor) return { ids, kind };
    }
    throw new Error('no last page');
  }

  it('pages every sort by keyset, each ticket once, in the database’s own order', async () => {
    const clock = manualClock(new Date('2026-03-02T01:00:00Z'));
    t = await testApp(engine, { clock });
    const { owner, id: ws } = await t.workspace('shop');
    const week = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    const cal = (
      await owner.post('/api/calendars', {
        name: '7×24',
        definition: {
          timezone: 'Asia/Shanghai',
          hours: Object.fromEntries(week.map((d) => [d, [['00:00', '24:00']]])),
        },
      })
    ).json();
    const policy = await owner.post('/api/sla-policies', {
      name: 'Fast',
      conditions: { priorities: ['urgent', 'high'] },
      targets: { firstResponse: 30 },
      calendarId: cal.id,
    });
    expect(policy.statusCode, policy.body).toBe(200);
    const priorities = ['low', 'normal', 'high', 'urgent'];
    for (let i = 0; i < 23; i++) {
      clock.advance(60_000 * (i % 4 === 0 ? 0 : 7)); // some tickets share their times: the id breaks ties
      const tk = (
        await owner.post('/api/tickets', {
          subject: `工单 ${i}`,
          priority: priorities[i % 4],
          status: i % 3 ? 'open' : 'new',
          tags: i % 2 ? ['发票'] : [],
          assigneeId: i % 5 ? owner.actor.userId : null,
        })
      ).json();
      if (i % 6 === 0) await owner.patch(`/api/tickets/${tk.id}`, { version: tk.version, status: 'solved' });
    }
    const rows = await allTables(t.s).selectFrom('tickets').selectAll().where('workspace_id', '=', ws).execute();
    const cmp =
      (keys: [(r: (typeof rows)[number]) => string | number, 1 | -1][]) =>
      (a: (typeof rows)[number], b: (typeof rows)[number]) => {
        for (const [get, dir] of keys) if (get(a) !== get(b)) return get(a) < get(b) ? -dir : dir;
        return 0;
      };
    const orders = {
      updated: cmp([
        [(r) => r.updated_at, -1],
        [(r) => r.id, -1],
      ]),
      created: cmp([
        [(r) => r.created_at, -1],
        [(r) => r.id, -1],
      ]),
      priority: cmp([
        [(r) => r.priority_rank, -1],
        [(r) => r.updated_at, -1],
        [(r) => r.id, -1],
      ]),
      deadline: cmp([
        [(r) => r.next_deadline_at ?? '9999', 1],
        [(r) => r.number, 1],
      ]),
    };
    expect(rows.some((r) => r.next_deadline_at)).toBe(true);
    const unsolved = (r: (typeof rows)[number]) => !['solved', 'closed'].includes(r.status);
    for (const [sort, order] of Object.entries(orders)) {
      expect((await all(owner, `/api/tickets?view=all&sort=${sort}`, 4)).ids).toEqual(
        [...rows].sort(order).map((r) => r.id),
      );
      expect((await all(owner, `/api/tickets?view=mine&sort=${sort}`, 3)).ids).toEqual(
        rows
          .filter((r) => unsolved(r) && r.assignee_id === owner.actor.userId)
          .sort(order)
          .map((r) => r.id),
      );
      expect(
        (await all(owner, `/api/tickets?view=all&status=unsolved&tag=${encodeURIComponent('发票')}&sort=${sort}`, 2))
          .ids,
      ).toEqual(
        rows
          .filter((r) => unsolved(r) && JSON.parse(r.tags).includes('发票'))
          .sort(order)
          .map((r) => r.id),
      );
    }
    expect((await owner.get('/api/tickets?view=all&offset=50')).statusCode).toBe(400);
  });

  it('answers numbers, order numbers and phones from their indexes, and words from subjects and timelines', async () => {
    t = await testApp(engine);
    const { owner, id: ws } = await t.workspace('shop');
    const customerId = newId('cus');
    const now = new Date().toISOString();
    await allTables(t.s)
      .insertInto('customers')
      .values({
        id: customerId,
        workspace_id: ws,
        ...encryptPii(t.s.cipher, { phone: '139 1234 5678' }),
        notes: '',
        created_at: now,
        updated_at: now,
      })
      .execute();
    const make = async (subject: string, extra: object = {}) =>
      (await owner.post('/api/tickets', { subject, ...extra })).json();
    const a = await make('申请开具发票', { orderNo: 'SO-2026-0001' });
    const b = await make('退货地址在哪里', { customerId });
    const c = await make('物流没有更新');
    await owner.post(`/api/tickets/${c.id}/replies`, { body: '内部：客户要求补开发票', public: false });
    const d = await make('退货的地址写错了', { status: 'open' });
    const search = (q: string, filters = 'view=all') =>
      all(owner, `/api/tickets?${filters}&q=${encodeURIComponent(q)}`, 1);

    expect(await search(`#${b.number}`)).toEqual({ ids: [b.id], kind: 'ticket_number' });
    expect(await search(String(c.number))).toEqual({ ids: [c.id], kind: 'ticket_number' });
    expect(await search('SO-2026-0001')).toEqual({ ids: [a.id], kind: 'order_no' });
    expect(await search('13912345678')).toEqual({ ids: [b.id], kind: 'phone' });
    // Full text, newest ticket first: a note counts as much as the subject.
    expect(await search('发票')).toEqual({ ids: [c.id, a.id], kind: 'text' });
    expect(await search('退货地址')).toEqual({ ids: [b.id], kind: 'text' });
    expect((await search('退货 地址')).ids).toEqual([d.id, b.id]);
    expect((await search('发票', 'view=all&status=new')).ids).toEqual([c.id, a.id]);
    expect((await search('地址', 'view=all&status=open')).ids).toEqual([d.id]);
    expect((await owner.get(`/api/tickets?q=${encodeURIComponent('票')}`)).statusCode).toBe(400);
  });
});
