/**
 * The overview's online chart counts people, not sockets, through real WebSockets, the real
 * sampler and the query route the console calls: an agent with two tabs open and a shopper with
 * two tabs are 1 agent and 1 shopper online (the socket gauge says 2 and 2); when they leave the
 * chart says 0 at once, not their last figure for the queries' 5-minute lookback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { onlinePeopleExpr } from '../../../shared/ops-overview.ts';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { connect, type TestSocket } from '../../testing/ws-client.ts';
import { samplerOf } from './runtime.ts';

describe.each(engines)('the overview online chart on %s', (engine) => {
  let t: TestApp;
  const sockets: TestSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await t?.close();
  });

  it('says 1 agent and 1 shopper for two tabs each, and 0 as soon as they leave', async () => {
    const clock = manualClock(new Date());
    t = await testApp(engine, { clock });
    const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    const home = await t.workspace('home', { installationOwner: true });
    const inbox = (
      await home.owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json() as { publicId: string };
    const open = async (url: string, headers?: Record<string, string>) => {
      const s = await connect(url, headers);
      sockets.push(s);
      await s.next((f) => f.t === 'welcome');
      return s;
    };
    const shopperTab = async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/session`,
        payload: { visitorId: 'visitor-0123456789abcdef', origin: 'https://shop.example.com' },
      });
      expect(res.statusCode, res.body).toBe(200);
      return open(`${base}/ws?widget=${(res.json() as { token: string }).token}`);
    };
    /** Samples once (a second later on the clock) and reads what the chart reads now, by kind. */
    const chartNow = async () => {
      clock.advance(1000);
      await samplerOf(t.s).tick();
      const res = await home.owner.post('/api/ops/query', { expr: onlinePeopleExpr });
      expect(res.statusCode, res.body).toBe(200);
      const sockets = await home.owner.post('/api/ops/query', { expr: 'sum by (kind) (kefu_realtime_connections)' });
      const byKind = (r: { result: { labels: Record<string, string>; value: number }[] }) =>
        Object.fromEntries(r.result.map((x) => [x.labels.kind, x.value]));
      return { people: byKind(res.json()), sockets: byKind(sockets.json()) };
    };
    // Polled in real time (the gateway registers and drops sockets asynchronously); the clock moves
    // a second a poll, far less than the 5-minute lookback.
    const until = async (want: object) => {
      for (let i = 0; i < 100; i++) {
        if (JSON.stringify(await chartNow()) === JSON.stringify(want)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await chartNow()).toEqual(want);
    };

    await until({ people: { agent: 0, customer: 0 }, sockets: { agent: 0, customer: 0 } });
    await open(`${base}/ws`, { cookie: home.owner.cookie });
    await open(`${base}/ws`, { cookie: home.owner.cookie }); // the same agent's second tab
    await shopperTab();
    await shopperTab(); // the same shopper's second tab
    await until({ people: { agent: 1, customer: 1 }, sockets: { agent: 2, customer: 2 } });
    for (const s of sockets) s.close();
    await until({ people: { agent: 0, customer: 0 }, sockets: { agent: 0, customer: 0 } });
  });
});
