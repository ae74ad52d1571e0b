/**
 * The live hot questions (war room, reports page) on both engines: the last 15 minutes and today
 * in the workspace's zone, from shoppers' first messages as stored; they move with the clock and
 * with new conversations (no cache), and yesterday never counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { allTables, engines, testApp, type TestApp, type Client } from '../../testing/harness.ts';
import { seedMonth } from './testing.ts';

describe.each(engines)('live hot questions on %s', (engine) => {
  let t: TestApp;
  let ws: string;
  let owner: Client;
  // 2026-12-01 15:00 in Shanghai.
  const clock = manualClock('2026-12-01T07:00:00Z');
  let n = 0;
  const ask = async (minutesAgo: number, text: string) => {
    const at = new Date(clock.now().getTime() - minutesAgo * 60_000).toISOString();
    const id = `cnv_live${++n}`;
    const db = allTables(t.s);
    await db
      .insertInto('conversations')
      .values({
        id,
        workspace_id: ws,
        inbox_id: 'inb_r1',
        customer_id: 'cus_r1',
        status: 'open',
        assignee_id: null,
        last_seq: 1,
        last_public_seq: 1,
        last_message_at: at,
        last_message_preview: null,
        agent_last_read_seq: 0,
        customer_last_read_seq: 0,
        snoozed_until: null,
        ticket_id: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await db
      .insertInto('messages')
      .values({
        id: `msg_live${n}`,
        workspace_id: ws,
        conversation_id: id,
        seq: 1,
        prev_public_seq: 0,
        client_id: null,
        sender_type: 'customer',
        sender_id: null,
        sender_name: null,
        kind: 'text',
        body: text,
        attachments: '[]',
        created_at: at,
      })
      .execute();
  };
  type Live = { last15m: { label: string; count: number }[]; today: { label: string; count: number }[]; asOf: string };
  const live = async (): Promise<Live> => {
    const res = await owner.get('/api/reports/live/hot-questions');
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const counts = (xs: { label: string; count: number }[]) => Object.fromEntries(xs.map((x) => [x.label, x.count]));

  beforeAll(async () => {
    t = await testApp(engine, { clock });
    const w = await t.workspace(`live-${engine}`);
    ws = w.id;
    owner = w.owner;
    await seedMonth(t.s, ws, w.owner.actor.userId); // the inbox and customer (its conversations are October's)
    await ask(16 * 60, '发货太慢了'); // yesterday 23:00 in Shanghai: not today
    await ask(120, '什么时候发货');
    await ask(10, '多久发货');
    await ask(5, '退货怎么弄');
    await ask(4, '退货地址在哪');
  }, 60_000);
  afterAll(() => t?.close());

  it('gives the last 15 minutes and today, yesterday left out', async () => {
    const r = await live();
    expect(r.asOf).toBe('2026-12-01T07:00:00.000Z');
    // Each labelled with its most representative real message (the shorter of equals), not a word.
    expect(counts(r.last15m)).toEqual({ 退货怎么弄: 2, 多久发货: 1 });
    expect(counts(r.today)).toEqual({ 多久发货: 2, 退货怎么弄: 2 });
  });

  it('moves with the clock and with new conversations', async () => {
    clock.advance(12 * 60_000); // 多久发货 is now 22 minutes old, the two 退货 ones 17 and 16
    await ask(1, '退货要付运费吗');
    const r = await live();
    expect(r.asOf).toBe('2026-12-01T07:12:00.000Z');
    expect(counts(r.last15m)).toEqual({ 退货要付运费吗: 1 });
    expect(counts(r.today)).toEqual({ 退货怎么弄: 3, 多久发货: 2 });
  });

  it('across midnight: the last 15 minutes keep 23:55, today starts at the zone’s midnight', async () => {
    clock.set('2026-12-01T16:05:00Z'); // 00:05 on 12-02 in Shanghai (16:05 in UTC: still 12-01 there)
    await ask(10, '优惠券怎么用'); // 23:55 on 12-01 in Shanghai
    await ask(20, '发票怎么开'); // 23:45: older than 15 minutes
    await ask(2, '优惠券过期了'); // 00:03 on 12-02
    const r = await live();
    expect(r.asOf).toBe('2026-12-01T16:05:00.000Z');
    expect(counts(r.last15m)).toEqual({ 优惠券怎么用: 2 });
    expect(counts(r.today)).toEqual({ 优惠券过期了: 1 });
  });
});
