/**
 * Agents and shoppers online per workspace on /metrics, through real sockets: distinct people
 * (an agent's two tabs are one agent), labelled with the workspace's slug; when everyone leaves
 * the workspace reads 0 (for a while, so a query's lookback sees them leave) rather than vanishing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engines, testApp, type TestApp } from '../testing/harness.ts';
import { connect, type TestSocket } from '../testing/ws-client.ts';

describe.each(engines)('online gauges per workspace on %s', (engine) => {
  let t: TestApp;
  const sockets: TestSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await t?.close();
  });

  it('count agents and shoppers online in each workspace on /metrics', async () => {
    t = await testApp(engine);
    const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    const open = async (url: string, headers?: Record<string, string>) => {
      const s = await connect(url, headers);
      sockets.push(s);
      await s.next((f) => f.t === 'welcome');
      return s;
    };
    const shopper = async (publicId: string, visitorId: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/widget/${publicId}/session`,
        payload: { visitorId, origin: 'https://shop.example.com' },
      });
      expect(res.statusCode, res.body).toBe(200);
      return open(`${base}/ws?widget=${(res.json() as { token: string }).token}`);
    };
    const inboxOf = async (owner: Awaited<ReturnType<TestApp['workspace']>>['owner']) =>
      (
        await owner.post('/api/inboxes', {
          name: 'Web',
          settings: { allowedOrigins: ['https://shop.example.com'] },
        })
      ).json() as { publicId: string };
    const scrape = async () => {
      const body = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      const read = (name: string) =>
        Object.fromEntries(
          [...body.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\d+)$`, 'gm'))].map((m) => [
            /workspace="([^"]+)"/.exec(m[1])![1],
            Number(m[2]),
          ]),
        );
      return { agents: read('kefu_realtime_agents_online'), shoppers: read('kefu_realtime_shoppers_online') };
    };
    const until = async (want: object) => {
      for (let i = 0; i < 100; i++) {
        if (JSON.stringify(await scrape()) === JSON.stringify(want)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await scrape()).toEqual(want);
    };

    const a = await t.workspace('shop-a');
    const b = await t.workspace('shop-b');
    const inboxA = await inboxOf(a.owner);
    const inboxB = await inboxOf(b.owner);
    expect(await scrape()).toEqual({ agents: {}, shoppers: {} });

    const tab1 = await open(`${base}/ws`, { cookie: a.owner.cookie });
    await open(`${base}/ws`, { cookie: a.owner.cookie }); // the same agent's second tab
    const agentA2 = await t.user(a.id, 'agent');
    await open(`${base}/ws`, { cookie: agentA2.cookie });
    const shopperA = await shopper(inboxA.publicId, 'visitor-a-0123456789abcdef');
    await shopper(inboxB.publicId, 'visitor-b-0123456789abcdef');
    await shopper(inboxB.publicId, 'visitor-c-0123456789abcdef');
    // shop-b has shoppers and no agent: 0 agents online, a series an alert can watch.
    await until({ agents: { 'shop-a': 2, 'shop-b': 0 }, shoppers: { 'shop-a': 1, 'shop-b': 2 } });

    tab1.close(); // the owner still has a tab open
    shopperA.close();
    await until({ agents: { 'shop-a': 2, 'shop-b': 0 }, shoppers: { 'shop-a': 0, 'shop-b': 2 } });
    for (const s of sockets) s.close();
    await until({ agents: { 'shop-a': 0, 'shop-b': 0 }, shoppers: { 'shop-a': 0, 'shop-b': 0 } });
  });
});
