/**
 * Read back-pressure (read-flow.ts) through a real socket: a burst of frames larger than the
 * pending-frame limit pauses reading the connection, and every frame is still handled, in order,
 * once reading resumes.
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../shared/realtime/protocol.ts';
import { engines, testApp, type TestApp } from '../testing/harness.ts';
import { connect, type TestSocket } from '../testing/ws-client.ts';
import { defaultReadLimits } from './read-flow.ts';

type Ack = Extract<ServerFrame, { t: 'ack' }>;

describe.each(engines)('read back-pressure on %s', (engine) => {
  let t: TestApp;
  const sockets: TestSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await t?.close();
  });

  it('pauses reading a connection with too many frames waiting, then handles them all in order', async () => {
    t = await testApp(engine, { config: { chatFramesPerSecond: 100_000, chatMessagesPerSecond: 100_000 } });
    const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    const { owner } = await t.workspace('flow');
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    const session = (
      await t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/session`,
        payload: { visitorId: 'flow-visitor-0000000001', origin: 'https://shop.example.com' },
      })
    ).json() as { token: string };
    const shop = await connect(`${base}/ws?widget=${session.token}`);
    sockets.push(shop);
    await shop.next((f) => f.t === 'welcome');
    shop.send({ t: 'hello', subs: {} });
    shop.send({ t: 'send', cid: 'first', body: '你好' });
    const first = await shop.next<Ack>((f) => f.t === 'ack' && f.cid === 'first');

    // Three times the limit in one TCP write: the server reads them in one go, faster than it handles
    // them. Sends without `conv` wait for a read of the shopper's conversation each (a send to a
    // conversation the connection knows is handled as it is read, and nothing would wait).
    const n = 3 * defaultReadLimits.maxPendingFrames; // below the writer's 200 per connection
    const socket = (shop.ws as unknown as { _socket: Socket })._socket;
    socket.cork();
    for (let i = 0; i < n; i++) shop.send({ t: 'send', cid: `m${i}`, body: `第 ${i} 条` });
    socket.uncork();

    const acks: Ack[] = [];
    for (let i = 0; i < n; i++) acks.push(await shop.next<Ack>((f) => f.t === 'ack' && f.cid === `m${i}`, 20_000));
    // Every frame handled once, in the order sent: seqs follow the first message's without a gap.
    expect(acks.map((a) => a.seq)).toEqual(Array.from({ length: n }, (_, i) => first.seq + 1 + i));
    expect(shop.frames.filter((f) => f.t === 'error')).toEqual([]);
    expect(await t.s.metrics.getSingleMetricAsString('kefu_realtime_read_pauses_total')).toMatch(
      /kefu_realtime_read_pauses_total\{why="frames"\} [1-9]/,
    );
    // Reading resumed: the connection still answers.
    shop.send({ t: 'ping' });
    await shop.next((f) => f.t === 'pong');
  }, 60_000);
});
