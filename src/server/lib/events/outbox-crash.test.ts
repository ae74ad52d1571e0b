/**
 * kill -9 with real server processes on both engines, at the two moments that matter: after an
 * event is committed but before it is delivered, and after a listener committed but before the
 * event was marked delivered. After a restart every event is delivered, and no listener's work
 * is applied twice (one ticket from one offline message, one audit entry per event).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { engines } from '../../testing/harness.ts';
import { api, processPlace, signInHttp, startKefuProcess } from '../../testing/spawn.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

type AuditPage = { items: { action: string; objectId: string | null }[] };

describe.each(engines)('outbox through kill -9 on %s', (engine) => {
  it.each([
    ['after the commit, before delivery', 'crash-before-delivery:conversation.offline_message'],
    [
      'after a listener committed, before the event was marked delivered',
      'crash-after-listener:tickets.offline_message',
    ],
  ])(
    '%s: delivered after the restart, applied once',
    async (_when, fault) => {
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

      const second = await startKefuProcess(where);
      cleanups.push(() => second.stop());
      const auth2 = await signInHttp(second.url);
      // The restarted node's poller delivers what was left: the listener makes the ticket.
      await expect
        .poll(async () => (await api(second.url, auth2, 'GET', '/api/tickets?view=all')).items.length, {
          timeout: 15_000,
        })
        .toBe(1);
      // Give a duplicate every chance to appear before counting.
      await new Promise((r) => setTimeout(r, 1500));
      const tickets = await api(second.url, auth2, 'GET', '/api/tickets?view=all');
      expect(tickets.items).toHaveLength(1);
      expect(tickets.items[0]).toMatchObject({ tags: ['offline'], channel: 'web' });
      const audit = await api<AuditPage>(second.url, auth2, 'GET', '/api/audit?limit=200');
      const count = (action: string) => audit.items.filter((e) => e.action === action).length;
      expect(count('conversation.offline_message')).toBe(1);
      expect(count('ticket.created')).toBe(1);
      expect(count('conversation.created')).toBe(1);
    },
    90_000,
  );
});
