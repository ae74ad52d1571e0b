/**
 * kill -9 with real server processes on both engines, at the two moments that matter: after an
 * event is committed but before it is delivered, and after a listener committed but before the
 * event was marked delivered. After a restart every event is delivered, and no listener's work
 * is applied twice (one ticket from one offline message, one audit entry per event).
 *
 * The four cases run at once (each with its own processes and database). Nothing waits on the
 * clock: the checks run once the restarted node has delivered every event (the outbox, read
 * straight from the database, has nothing left), which takes the crashed node's lease (10 s).
 */
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, it } from 'vitest';
import { openDb } from '../../db/index.ts';
import { engines } from '../../testing/harness.ts';
import { api, processPlace, signInHttp, startKefuProcess } from '../../testing/spawn.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

type AuditPage = { items: { action: string; objectId: string | null }[] };

describe.concurrent.each(engines)('outbox through kill -9 on %s', (engine) => {
  // it.for gives each case its own `expect`: concurrent tests must not share the global one.
  it.for([
    ['after the commit, before delivery', 'crash-before-delivery:conversation.offline_message'],
    [
      'after a listener committed, before the event was marked delivered',
      'crash-after-listener:tickets.offline_message',
    ],
  ] as const)('%s: delivered after the restart, applied once', { timeout: 120_000 }, async ([, fault], { expect }) => {
    const where = await processPlace(engine, cleanups);
    const first = await startKefuProcess({ ...where, env: { ...where.env, KEFU_FAULT: fault } });
    cleanups.push(() => first.stop());
    const auth = await signInHttp(first.url);
    const inbox = await api(first.url, auth, 'POST', '/api/inboxes', {
      name: 'Web',
      settings: { allowedOrigins: ['https://shop.example.com'] },
    });
    // The offline message is committed with its event; the process dies on the way to delivering it.
    const sent = await fetch(`${first.url}/api/widget/${inbox.publicId}/offline-message`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contact: 'shopper@example.com', body: '我的订单还没发货 order 2026-001' }),
    }).catch((err: unknown) => err);
    expect(sent).toBeInstanceOf(Error); // the connection died with the process
    await first.kill9();

    const db = openDb(
      where.env.DATABASE_URL
        ? { databaseUrl: where.env.DATABASE_URL, poolSize: 1 }
        : { sqliteFile: join(where.dataDir, 'kefu.db') },
    );
    cleanups.push(() => db.close());
    const undelivered = async () =>
      Number(
        (await sql<{ n: number }>`select count(*) as n from outbox where delivered_at is null`.execute(db.db)).rows[0]
          .n,
      );
    expect(await undelivered()).toBeGreaterThan(0); // what the crash left

    const second = await startKefuProcess(where);
    cleanups.push(() => second.stop());
    const auth2 = await signInHttp(second.url);
    // The restarted node's poller delivers what was left, once the crashed node's lease is over:
    // for the first case the listener makes the ticket now; for the second it finds its receipt.
    await expect.poll(undelivered, { timeout: 60_000, interval: 250 }).toBe(0);
    const tickets = await api(second.url, auth2, 'GET', '/api/tickets?view=all');
    expect(tickets.items).toHaveLength(1);
    expect(tickets.items[0]).toMatchObject({ tags: ['offline'], channel: 'web' });
    const audit = await api<AuditPage>(second.url, auth2, 'GET', '/api/audit?limit=200');
    const count = (action: string) => audit.items.filter((e) => e.action === action).length;
    expect(count('conversation.offline_message')).toBe(1);
    expect(count('ticket.created')).toBe(1);
    expect(count('conversation.created')).toBe(1);
  });
});
