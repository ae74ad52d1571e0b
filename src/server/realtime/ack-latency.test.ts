/**
 * The gateway's ack latency on a real server process: a shopper's WebSocket sends messages (one at
 * a time, then a burst), and /metrics carries `kefu_realtime_ack_latency_seconds` with as many
 * observations as acks the client received, a sum no larger than what the client itself waited
 * (the server's span lies inside the client's), cumulative buckets ending at the count; the
 * sampler stores its `_count` and interval `_p99` like any histogram. Both engines (the acks wait
 * for the commit).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../shared/realtime/protocol.ts';
import { engines } from '../testing/harness.ts';
import { api, processPlace, signInHttp, startKefuProcess } from '../testing/spawn.ts';
import { until } from '../testing/until.ts';
import { connect } from '../testing/ws-client.ts';
import { ackLatencyBuckets } from './ack-latency.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
}, 120_000);

const name = 'kefu_realtime_ack_latency_seconds';

/** The histogram's lines on /metrics: buckets by `le`, sum and count (labels other than `le` ignored). */
function histogram(text: string) {
  const value = (suffix: string) =>
    Number(new RegExp(`^${name}_${suffix}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);
  const buckets = [...text.matchAll(new RegExp(`^${name}_bucket\\{[^}]*le="([^"]+)"[^}]*\\} (\\S+)$`, 'gm'))].map(
    (m) => [m[1], Number(m[2])] as const,
  );
  return { count: value('count'), sum: value('sum'), buckets };
}

describe.concurrent.each(engines)('ack latency of a server process on %s', (engine) => {
  it('counts every ack the client received, within the time the client waited', { timeout: 240_000 }, async () => {
    const where = await processPlace(engine, cleanups);
    const server = await startKefuProcess({
      ...where,
      env: {
        ...where.env,
        KEFU_NODE_NAME: `ack-${engine}`,
        KEFU_MONITORING_INTERVAL_SECONDS: '1',
        KEFU_CHAT_FRAMES_PER_SECOND: '1000000',
        KEFU_CHAT_MESSAGES_PER_SECOND: '1000000',
      },
    });
    cleanups.push(() => server.stop());
    const scrape = () => fetch(`${server.url}/metrics`).then((r) => r.text());
    // Nothing acknowledged yet: the histogram is there, empty.
    expect(histogram(await scrape())).toMatchObject({ count: 0, sum: 0 });

    const auth = await signInHttp(server.url);
    const inbox = await api(server.url, auth, 'POST', '/api/inboxes', {
      name: 'Web',
      settings: { allowedOrigins: ['https://shop.example.com'] },
    });
    const res = await fetch(`${server.url}/api/widget/${inbox.publicId}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ visitorId: 'ack-visitor-00000000001', origin: 'https://shop.example.com' }),
    });
    const { token } = (await res.json()) as { token: string };
    const shop = await connect(`${server.url.replace('http', 'ws')}/ws?widget=${token}`);
    cleanups.push(async () => shop.close());
    shop.send({ t: 'hello', subs: {} });

    // What the client waits per message, send to ack, measured on its side.
    const sentAt = new Map<string, number>();
    let clientWaited = 0;
    let acks = 0;
    const send = (cid: string, conv?: string) => {
      sentAt.set(cid, performance.now());
      shop.send({ t: 'send', cid, ...(conv ? { conv } : {}), body: `message ${cid}` });
    };
    shop.ws.on('message', (d) => {
      const f = JSON.parse(d.toString()) as ServerFrame;
      if (f.t !== 'ack') return;
      clientWaited += (performance.now() - sentAt.get(f.cid)!) / 1000;
      acks++;
    });
    send('m0');
    const first = await shop.next<Extract<ServerFrame, { t: 'ack' }>>((f) => f.t === 'ack', 60_000);
    for (let i = 1; i < 20; i++) {
      send(`m${i}`, first.conv);
      await shop.next((f) => f.t === 'ack' && f.cid === `m${i}`, 60_000);
    }
    // A burst: later messages wait behind earlier ones, and that wait counts.
    for (let i = 20; i < 70; i++) send(`m${i}`, first.conv);
    await until('the burst acknowledged', async () => acks === 70);
    expect(shop.frames.filter((f) => f.t === 'error')).toEqual([]);

    const h = histogram(await scrape());
    expect(h.count).toBe(acks);
    expect(h.sum).toBeGreaterThan(0);
    expect(h.sum).toBeLessThanOrEqual(clientWaited);
    expect(h.buckets.map(([le]) => le)).toEqual([...ackLatencyBuckets.map(String), '+Inf']);
    const counts = h.buckets.map(([, c]) => c);
    expect(counts.every((c, i) => i === 0 || c >= counts[i - 1])).toBe(true);
    expect(counts.at(-1)).toBe(acks);

    // The sampler stores it like any histogram: its count and the interval's p99.
    const query = async (expr: string) =>
      (await api<{ result: { value: number }[] }>(server.url, auth, 'POST', '/api/ops/query', { expr })).result;
    const stored = await until('the stored count', async () => {
      const r = await query(`${name}_count{node="ack-${engine}"}`);
      return r[0]?.value === acks && r;
    });
    expect(stored).toHaveLength(1);
    const p99 = await until('the stored p99', async () => (await query(`${name}_p99{node="ack-${engine}"}`))[0]);
    expect(p99.value).toBeGreaterThan(0);
    expect(p99.value).toBeLessThanOrEqual(10);
  });
});
