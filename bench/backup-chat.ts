/**
 * Chat traffic for the backup benchmark, through the real gateway: widget sessions and agents made
 * over the public API (bench/chat/setup.ts), one load-generator process (bench/chat/loadgen.ts)
 * holding the shoppers' and agents' WebSockets, sending at a fixed rate (open loop) in 5-second
 * phases until told to stop; every message is committed before it is acknowledged and delivered
 * to the agent serving the conversation.
 */
import { Loadgen, lifetimeMs } from './chat/processes.ts';
import type { RunResult } from './chat/protocol.ts';
import { setupKefu } from './chat/setup.ts';

export type ChatTotals = {
  seconds: number;
  sent: number;
  acked: number;
  recv: number;
  errors: number;
  unacked: number;
};

export async function chatTraffic(
  url: string,
  o: { shoppers: number; agents: number; rate: number; cpu: number; log: (s: string) => void },
) {
  const setup = await setupKefu(url, { shoppers: o.shoppers + 1, agents: o.agents, log: o.log });
  const wsUrl = url.replace(/^http/, 'ws');
  const agentOf = (i: number) => Math.floor((i * o.agents) / o.shoppers);
  const g = new Loadgen(o.cpu);
  await g.request(
    {
      type: 'init',
      index: 0,
      shopperUrls: setup.shopperTokens.slice(0, o.shoppers).map((t) => `${wsUrl}/ws?widget=${t}`),
      agentUrl: `${wsUrl}/ws`,
      agentHeaders: setup.agentCookies.map((cookie) => ({ cookie })),
      agentOf: Array.from({ length: o.shoppers }, (_, i) => agentOf(i)),
      inboxUpdates: false,
      probeUrl: `${wsUrl}/ws?widget=${setup.shopperTokens[o.shoppers]}`,
      bodyBytes: 100,
      connectConcurrency: 50,
      lifetimeMs,
    },
    'ready',
    30_000,
  );
  const connected = await g.request({ type: 'connect' }, 'connected', 300_000);
  if (connected.failed)
    throw new Error(`chat: ${connected.failed} connections failed: ${connected.firstErrors.join('; ')}`);
  const warmed = await g.request({ type: 'warmup', concurrency: 50 }, 'warmed', 600_000);
  if (warmed.failed) throw new Error(`chat: ${warmed.failed} conversations failed: ${warmed.firstErrors.join('; ')}`);
  o.log(`chat: ${o.shoppers} shoppers and ${o.agents} agents connected, ${warmed.conversations} conversations open`);

  const phase = (seconds: number): Promise<RunResult> =>
    g.request(
      { type: 'run', phase: 'backup', mode: 'open', rate: o.rate, seconds, maxInflightPerShopper: 50, graceMs: 3000 },
      'ran',
      seconds * 1000 + 60_000,
    );
  return {
    /** Sends at the rate, in 5-second phases, until `done` settles (at least one phase); the totals. */
    async during(done: Promise<unknown>): Promise<ChatTotals> {
      let finished = false;
      void done.finally(() => (finished = true)).catch(() => undefined);
      const t: ChatTotals = { seconds: 0, sent: 0, acked: 0, recv: 0, errors: 0, unacked: 0 };
      do {
        const r = await phase(5);
        t.seconds += r.seconds;
        t.sent += r.sent;
        t.acked += r.acked;
        t.recv += r.recv;
        t.unacked += r.unacked;
        t.errors += Object.values(r.errorFrames).reduce((a, b) => a + b, 0);
      } while (!finished);
      return t;
    },
    close: () => g.close(),
  };
}

export const chatLine = (c: ChatTotals) =>
  `${(c.sent / c.seconds).toFixed(0)} messages/s sent over ${c.seconds.toFixed(0)} s, ${c.acked} acknowledged, ${c.recv} delivered to agents, ${c.unacked} unacknowledged, ${c.errors} error frames`;
