/**
 * Queue notices send only what changed: each waiting shopper is told their place once; a burst
 * that lengthens the queue tells only the newcomers; when the head leaves, the one who left is
 * told 0 and everyone behind their new place, and nothing is sent twice for the same place.
 * The queue is real (routing's items on each engine); the sockets are recorders of the frames the
 * gateway would write (the frame over a real socket: routing/queue-frame.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engines, testApp, type TestApp } from '../testing/harness.ts';
import { arrive, finish } from '../modules/routing/index.ts';
import type { Conn } from './connect.ts';
import { QueueNotices } from './queue-notices.ts';

type Frame = { conv: string; position: number; waitSeconds: number | null };

describe.each(engines)('queue notices on %s', (engine) => {
  let t: TestApp;
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    await t?.close();
  });

  it('tells each shopper their place once, and only what changed', async () => {
    t = await testApp(engine);
    const { id: ws, owner } = await t.workspace('shop');
    const put = await owner.request({ method: 'PUT', url: '/api/routing/rules/*', payload: { enabled: true } });
    expect(put.statusCode, put.body).toBe(200);
    const byConv = new Map<string, Set<Conn>>();
    const got = new Map<string, Frame[]>();
    const notices = new QueueNotices(t.s, {
      byConv,
      send: (c, f) => {
        const frame = JSON.parse(f) as Frame;
        got.set(frame.conv, [...(got.get(frame.conv) ?? []), frame]);
      },
    });
    stop = await notices.start();
    const ids: string[] = [];
    const join = async () => {
      const id = `cnv_qn_${ids.length}`;
      ids.push(id);
      byConv.set(id, new Set([{ kind: 'customer', workspaceId: ws } as Conn]));
      await arrive(t.s, { workspaceId: ws, id, kind: 'chat', inboxId: null, customerId: null });
    };
    const places = (id: string) => (got.get(id) ?? []).map((f) => f.position);

    for (let i = 0; i < 3; i++) await join(); // nobody online: all three wait
    await expect.poll(() => ids.map((id) => places(id)), { timeout: 30_000 }).toEqual([[1], [2], [3]]);

    await join();
    await expect.poll(() => places(ids[3]), { timeout: 30_000 }).toEqual([4]);
    // A shopper from another workspace on a conversation id is not told (tenancy of the frame).
    byConv.get(ids[0])!.add({ kind: 'customer', workspaceId: 'ws_other' } as Conn);
    await join();
    await expect.poll(() => places(ids[4]), { timeout: 30_000 }).toEqual([5]);
    expect(ids.slice(0, 4).map((id) => places(id))).toEqual([[1], [2], [3], [4]]);

    // The head leaves (resolved while waiting): it hears 0, everyone behind moves up once.
    await finish(t.s, ws, ids[0]);
    await expect
      .poll(() => ids.map((id) => places(id)), { timeout: 30_000 })
      .toEqual([
        [1, 0],
        [2, 1],
        [3, 2],
        [4, 3],
        [5, 4],
      ]);
    // Nothing changes: the periodic re-read sends nothing new.
    await new Promise((r) => setTimeout(r, 600));
    expect(ids.map((id) => places(id).length)).toEqual([2, 2, 2, 2, 2]);
    expect(notices.counts.frames).toBe(10);
  }, 180_000);
});
