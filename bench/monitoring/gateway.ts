/**
 * The monitoring bench's gateway phase (issue #11: "the event-loop delay p99 of the chat gateway
 * while monitoring runs must not move by more than 2 ms"). A real Kefu server process on SQLite
 * (bench/chat's start-up: set up over HTTP, then restarted) carries a steady chat load from
 * bench/chat's load generator (shoppers and agents on WebSockets, every message committed before
 * its ack), while the monitoring work of issue #11 — 500 HTTP probes at 15 s, 200 rules, the
 * node's sampler writing 5,000 series — runs in the same process in alternate windows
 * (server-hook.ts switches it). Per window: the server's event-loop delay (p99, max) and the chat
 * round trip (shopper send → agent receives, p99); then the median of each kind and the difference.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseOptions } from '../chat/options.ts';
import { runPhase } from '../chat/phase.ts';
import { lifetimeMs, Loadgen } from '../chat/processes.ts';
import { startTarget } from '../chat/servers.ts';
import { sleep } from '../chat/stats.ts';
import { profileWindow } from './profile-window.ts';

const hook = fileURLToPath(new URL('./server-hook.ts', import.meta.url));
const loopHook = fileURLToPath(new URL('../loop-hook.ts', import.meta.url));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = (s.length - 1) / 2;
  return (s[Math.floor(m)] + s[Math.ceil(m)]) / 2;
};
const r1 = (x: number) => Math.round(x * 100) / 100;

export type GatewayFigures = Record<string, number>;

export async function gatewayPhase(
  opts: {
    shoppers: number;
    agents: number;
    rate: number;
    windowSeconds: number;
    windows: number;
    /** 1-based: profile the server during this window (`--cpu-prof-window N`). */
    profileWindow?: number;
  },
  say: (line: string) => void,
): Promise<GatewayFigures> {
  const probeTarget = createServer((_q, r) => void r.writeHead(200).end('ok'));
  await new Promise<void>((r) => probeTarget.listen(0, '127.0.0.1', r));
  const o = parseOptions(['--shoppers', String(opts.shoppers), '--agents', String(opts.agents), '--quiet-wait', '0']);
  const cleanups: (() => Promise<void>)[] = [];
  const saved = { options: process.env.NODE_OPTIONS, probes: process.env.KEFU_BENCH_MONITORING_PROBES };
  try {
    // Only the server processes get the hook: the environment is put back before the generator starts.
    process.env.NODE_OPTIONS = `${saved.options ?? ''} --import=${loopHook} --import=${hook}`.trim();
    process.env.KEFU_BENCH_MONITORING_PROBES = `http://127.0.0.1:${(probeTarget.address() as AddressInfo).port}`;
    let started: Awaited<ReturnType<typeof startTarget>>;
    try {
      started = await startTarget('kefu', o, o.shoppers + 1);
    } finally {
      for (const [k, v] of [
        ['NODE_OPTIONS', saved.options],
        ['KEFU_BENCH_MONITORING_PROBES', saved.probes],
      ] as const)
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
    const { server, setup } = started;
    cleanups.push(() => server.stop());
    const g = new Loadgen(o.loadgenCpu);
    cleanups.push(() => g.close());
    const agentOf = (i: number) => Math.floor((i * o.agents) / o.shoppers);
    const shopperUrl = (i: number) => `${server.wsUrl}/ws?widget=${setup!.shopperTokens[i]}`;
    await g.request(
      {
        type: 'init',
        index: 0,
        shopperUrls: Array.from({ length: o.shoppers }, (_, i) => shopperUrl(i)),
        agentUrl: `${server.wsUrl}/ws`,
        agentHeaders: setup!.agentCookies.map((cookie) => ({ cookie })),
        agentOf: Array.from({ length: o.shoppers }, (_, i) => agentOf(i)),
        inboxUpdates: false,
        probeUrl: shopperUrl(o.shoppers),
        bodyBytes: o.bodyBytes,
        connectConcurrency: 100,
        lifetimeMs,
      },
      'ready',
      30_000,
    );
    await g.request({ type: 'connect' }, 'connected', 300_000);
    await g.request({ type: 'warmup', concurrency: 100 }, 'warmed', 600_000);
    const post = (on: boolean) => fetch(`${server.httpUrl}/bench/monitoring?on=${on ? 1 : 0}`, { method: 'POST' });
    const alerts = async () =>
      (await (await fetch(`${server.httpUrl}/bench/monitoring/alerts`)).json()) as {
        firing: number;
        announced: number;
      };
    const loop = async () =>
      (await (await fetch(`${server.httpUrl}/bench/loop`)).json()) as {
        p50: number;
        p99: number;
        max: number;
        mainCpuMs: number;
        gcCount: number;
        gcMs: number;
        gcMajorMs: number;
        gcMaxMs: number;
      };
    say(
      `7. chat gateway (a Kefu server process on SQLite, ${o.shoppers} shoppers + ${o.agents} agents on WebSockets, ${opts.rate} messages/s): ` +
        `${opts.windows} windows of ${opts.windowSeconds} s, monitoring (500 probes, 200 rules, the sampler writing 5,000 series) off and on in turn`,
    );
    const rows: {
      on: boolean;
      loopP99: number;
      loopMax: number;
      rttP99: number;
      rttP50: number;
      serverCpuPct: number;
    }[] = [];
    for (let w = 0; w < opts.windows; w++) {
      const on = w % 2 === 1;
      const sw = await post(on);
      if (!sw.ok) throw new Error(`switching monitoring ${on ? 'on' : 'off'}: ${sw.status} ${await sw.text()}`);
      await sleep(on ? 3000 : 5000); // the first sampler tick, probes and rule cycle start; or the last ones end
      await loop(); // resets the server's histogram: the window starts here
      const alertsBefore = await alerts();
      const prof = opts.profileWindow === w + 1 ? await profileWindow(server.inspectPort, `window${w + 1}`, say) : null;
      const p = await runPhase(
        server,
        [{ g, shoppers: o.shoppers }],
        o.shoppers,
        {
          phase: `gateway-${w}`,
          mode: 'open',
          rate: opts.rate,
          seconds: opts.windowSeconds,
          maxInflightPerShopper: 50,
          graceMs: 5000,
        },
        o,
      );
      const l = await loop();
      const alertsAfter = await alerts();
      await prof?.stop();
      rows.push({
        on,
        loopP99: l.p99,
        loopMax: l.max,
        rttP99: p.e2e.p99,
        rttP50: p.e2e.p50,
        serverCpuPct: p.serverCpuPct,
      });
      say(
        `   window ${w + 1} monitoring ${on ? 'ON ' : 'off'}: server event-loop delay p99 ${l.p99} ms (max ${l.max} ms); chat round trip p50 ${r1(p.e2e.p50)} ms, p99 ${r1(p.e2e.p99)} ms; ` +
          `${p.acked} messages acknowledged, server CPU ${Math.round(p.serverCpuPct)} % of one core, other processes ${Math.round(p.otherCpuPct)} %; ` +
          `server main thread CPU ${(l.mainCpuMs / 1000).toFixed(2)} s, GC pauses ${l.gcCount} (${l.gcMs} ms, mark-compact ${l.gcMajorMs} ms, longest ${l.gcMaxMs} ms); ` +
          `alerts firing ${alertsBefore.firing} → ${alertsAfter.firing}, announced ${alertsBefore.announced} → ${alertsAfter.announced}`,
      );
    }
    await post(false);
    const of = (on: boolean, k: 'loopP99' | 'rttP99' | 'loopMax' | 'serverCpuPct') =>
      median(rows.filter((r) => r.on === on).map((r) => r[k]));
    const f: GatewayFigures = {
      gatewayLoopP99OffMs: of(false, 'loopP99'),
      gatewayLoopP99OnMs: of(true, 'loopP99'),
      gatewayLoopMaxOffMs: of(false, 'loopMax'),
      gatewayLoopMaxOnMs: of(true, 'loopMax'),
      gatewayRttP99OffMs: r1(of(false, 'rttP99')),
      gatewayRttP99OnMs: r1(of(true, 'rttP99')),
      gatewayServerCpuOffPct: Math.round(of(false, 'serverCpuPct')),
      gatewayServerCpuOnPct: Math.round(of(true, 'serverCpuPct')),
    };
    f.gatewayLoopP99DeltaMs = r1(f.gatewayLoopP99OnMs - f.gatewayLoopP99OffMs);
    f.gatewayRttP99DeltaMs = r1(f.gatewayRttP99OnMs - f.gatewayRttP99OffMs);
    say(
      `   medians over the windows, off → on: server event-loop delay p99 ${f.gatewayLoopP99OffMs} → ${f.gatewayLoopP99OnMs} ms ` +
        `(${f.gatewayLoopP99DeltaMs >= 0 ? '+' : ''}${f.gatewayLoopP99DeltaMs} ms; goal ≤ +2 ms: ${f.gatewayLoopP99DeltaMs <= 2 ? 'MET' : 'NOT MET'}), ` +
        `max ${f.gatewayLoopMaxOffMs} → ${f.gatewayLoopMaxOnMs} ms; chat round trip p99 ${f.gatewayRttP99OffMs} → ${f.gatewayRttP99OnMs} ms ` +
        `(${f.gatewayRttP99DeltaMs >= 0 ? '+' : ''}${f.gatewayRttP99DeltaMs} ms); server CPU ${f.gatewayServerCpuOffPct} → ${f.gatewayServerCpuOnPct} % of one core`,
    );
    return f;
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    probeTarget.close();
  }
}
