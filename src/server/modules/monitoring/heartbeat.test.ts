/**
 * The dead man's switch (`heartbeatUrl`): a real local HTTP receiver gets a call every
 * `heartbeatIntervalSeconds`, from a real server process configured by its environment and from
 * the module in this process; once monitoring stops, no more calls come (the process lives on).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { engines, testApp } from '../../testing/harness.ts';
import { processPlace, startKefuProcess } from '../../testing/spawn.ts';
import { startMonitoring, stopMonitoring } from './runtime.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
}, 120_000);

/** An outside push monitor: records when each call came and what it asked for. */
async function receiver(): Promise<{ url: string; calls: { at: number; method: string; path: string }[] }> {
  const calls: { at: number; method: string; path: string }[] = [];
  const server: Server = createServer((req, res) => {
    calls.push({ at: performance.now(), method: req.method!, path: req.url! });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/push/kefu-token?status=up`, calls };
}

async function until(what: string, fn: () => boolean, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const gaps = (calls: { at: number }[]) => calls.slice(1).map((c, i) => c.at - calls[i].at);

describe.concurrent.each(engines)('heartbeat on %s', (engine) => {
  it('a server process calls the URL every interval until it stops', { timeout: 240_000 }, async () => {
    const r = await receiver();
    const where = await processPlace(engine, cleanups);
    const kefu = await startKefuProcess({
      ...where,
      env: { ...where.env, KEFU_HEARTBEAT_URL: r.url, KEFU_HEARTBEAT_INTERVAL_SECONDS: '1' },
    });
    cleanups.push(() => kefu.stop());
    await until('four heartbeats', () => r.calls.length >= 4);
    expect(r.calls.every((c) => c.method === 'GET' && c.path === '/api/push/kefu-token?status=up')).toBe(true);
    // One per interval: neither a burst nor the default minute.
    for (const gap of gaps(r.calls.slice(0, 4))) {
      expect(gap).toBeGreaterThan(500);
      expect(gap).toBeLessThan(30_000);
    }
    await kefu.stop();
    const n = r.calls.length;
    await new Promise((res) => setTimeout(res, 2500));
    expect(r.calls.length).toBe(n);
  });

  it('stops calling when monitoring stops, while the process goes on', { timeout: 120_000 }, async () => {
    const r = await receiver();
    const t = await testApp(engine, { config: { heartbeatUrl: r.url, heartbeatIntervalSeconds: 1 } });
    cleanups.push(() => t.close());
    await startMonitoring(t.s, ['web']);
    await until('three heartbeats', () => r.calls.length >= 3);
    for (const gap of gaps(r.calls.slice(0, 3))) expect(gap).toBeGreaterThan(500);
    await stopMonitoring(t.s);
    const n = r.calls.length;
    // Three intervals with no call: the timer is gone, not just late.
    await new Promise((res) => setTimeout(res, 3000));
    expect(r.calls.length).toBe(n);
  });
});
