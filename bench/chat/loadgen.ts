/**
 * A load generator of the chat benchmark: a child process (pinned by the parent with `taskset`)
 * that holds a share of the shopper and agent WebSocket connections and speaks Kefu's realtime
 * protocol (src/shared/realtime/protocol.ts). The raw-ws reference relay speaks the same subset, so one
 * generator drives both. It obeys the parent's commands over IPC and reports per-second figures.
 *
 * Latency: a shopper's message body starts with its send time (performance.now() of this
 * process); the agent connection serving the conversation is in the same process and subtracts.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import { newPhase, phaseResult, type Phase } from './loadgen-phase.ts';
import { open, pool } from './loadgen-sockets.ts';
import type { LoadgenInit, LoadgenMessage, ParentMessage, RunCommand } from './protocol.ts';
import { openFileLimit } from './stats.ts';

type Shopper = {
  index: number;
  ws: WebSocket | null;
  conv: string | null;
  agent: number;
  inflight: number;
  open: boolean;
  warm?: (f: { conv: string; seq: number } | Error) => void;
};
type Agent = { ws: WebSocket | null; open: boolean; lastSeq: Map<string, number>; synced: Map<string, () => void> };

const now = () => performance.now();
const report = (m: LoadgenMessage) => process.send!(m);
const filler =
  'Hello, I ordered a pair of running shoes last week and the tracking number has not changed since Monday. Could you check where it is? ';

let init: LoadgenInit;
const shoppers: Shopper[] = [];
const agents: Agent[] = [];
let probe: WebSocket | null = null;
let probeAt = 0; // send time of the outstanding ping, 0 when none
let probeMax = 0;
const pending = new Map<string, number>(); // cid → send time
let counter = 0;
let phase: Phase | null = null;
let closedLoop: { idle: number[]; head: number } | null = null;
let connected = false;
let closedSockets = 0;
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();

process.on('disconnect', () => process.exit(0));

process.on('message', (m: ParentMessage) => {
  handle(m).catch((err: unknown) => {
    report({ type: 'fatal', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    setTimeout(() => process.exit(1), 100);
  });
});

async function handle(m: ParentMessage): Promise<void> {
  switch (m.type) {
    case 'init':
      init = m;
      setTimeout(() => process.exit(3), m.lifetimeMs).unref();
      return void report({ type: 'ready', fdLimit: openFileLimit() });
    case 'connect':
      return void report(await connectAll());
    case 'warmup':
      return void report(await warmup(m.concurrency));
    case 'run':
      return void report(await run(m));
    case 'close':
      for (const c of [...shoppers.map((s) => s.ws), ...agents.map((a) => a.ws), probe]) c?.terminate();
      report({ type: 'closed' });
      setTimeout(() => process.exit(0), 200);
  }
}

async function connectAll(): Promise<LoadgenMessage> {
  const t0 = now();
  const errors: string[] = [];
  let failed = 0;
  const fail = (err: unknown) => {
    failed++;
    if (errors.length < 5) errors.push(String((err as Error).message ?? err));
  };
  for (let i = 0; i < init.agentHeaders.length; i++)
    agents.push({ ws: null, open: false, lastSeq: new Map(), synced: new Map() });
  init.shopperUrls.forEach((_, i) =>
    shoppers.push({ index: i, ws: null, conv: null, agent: init.agentOf[i], inflight: 0, open: false }),
  );
  await pool(init.shopperUrls, init.connectConcurrency, async (url, i) => {
    const s = shoppers[i];
    try {
      s.ws = await open(
        url,
        {},
        (d) => onShopperFrame(s, d),
        () => {
          s.open = false;
          if (connected) closedSockets++;
        },
      );
      s.open = true;
      s.ws.send('{"t":"hello","subs":{}}');
    } catch (err) {
      fail(err);
    }
  });
  await pool(init.agentHeaders, init.connectConcurrency, async (headers, i) => {
    const a = agents[i];
    try {
      a.ws = await open(
        init.agentUrls?.[i] ?? init.agentUrl,
        headers,
        (d) => onAgentFrame(a, d),
        () => {
          a.open = false;
          if (connected) closedSockets++;
        },
      );
      a.open = true;
      a.ws.send(JSON.stringify({ t: 'hello', subs: {}, ...(init.inboxUpdates ? { inboxUpdates: true } : {}) }));
    } catch (err) {
      fail(err);
    }
  });
  try {
    probe = await open(init.probeUrl, {}, onProbeFrame, () => (probe = null));
    probe.send('{"t":"hello","subs":{}}');
  } catch (err) {
    fail(err);
  }
  setInterval(pingProbe, 50).unref();
  connected = true;
  return {
    type: 'connected',
    shoppers: shoppers.filter((s) => s.open).length,
    agents: agents.filter((a) => a.open).length,
    failed,
    firstErrors: errors,
    ms: now() - t0,
  };
}

/** Each shopper's first message creates its conversation; the serving agent then subscribes to it. */
async function warmup(concurrency: number): Promise<LoadgenMessage> {
  const t0 = now();
  const errors: string[] = [];
  let failed = 0;
  let conversations = 0;
  await pool(shoppers, concurrency, async (s) => {
    const a = agents[s.agent];
    if (!s.open || !a?.open) return void failed++;
    try {
      const ack = await new Promise<{ conv: string; seq: number }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('warm-up message not acknowledged within 30 s')), 30_000);
        s.warm = (f) => (clearTimeout(timer), (s.warm = undefined), f instanceof Error ? reject(f) : resolve(f));
        s.ws!.send(JSON.stringify({ t: 'send', cid: 'warm-up', body: 'Hello! I have a question about my order.' }));
      });
      s.conv = ack.conv;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('agent subscription not synced within 30 s')), 30_000);
        a.synced.set(ack.conv, () => (clearTimeout(timer), resolve()));
        a.lastSeq.set(ack.conv, ack.seq);
        a.ws!.send(JSON.stringify({ t: 'sub', conv: ack.conv, lastSeq: ack.seq }));
      });
      conversations++;
    } catch (err) {
      failed++;
      if (errors.length < 5) errors.push(String((err as Error).message));
    }
  });
  return { type: 'warmed', conversations, failed, firstErrors: errors, ms: now() - t0 };
}

function sendMessage(s: Shopper): void {
  const t = now();
  const cid = `m${(counter++).toString(36)}`;
  const prefix = `${t.toFixed(3)} `;
  const body =
    prefix +
    filler.repeat(Math.ceil(init.bodyBytes / filler.length)).slice(0, Math.max(0, init.bodyBytes - prefix.length));
  pending.set(cid, t);
  s.inflight++;
  s.ws!.send(`{"t":"send","cid":"${cid}","conv":"${s.conv}","body":"${body}"}`);
  if (phase) {
    phase.sent++;
    phase.secSent++;
  }
}

function nextClosedLoop(): void {
  const q = closedLoop;
  if (!q) return;
  while (q.head < q.idle.length) {
    const s = shoppers[q.idle[q.head++]];
    if (q.head > 65_536) {
      q.idle = q.idle.slice(q.head);
      q.head = 0;
    }
    if (s.open && s.conv) return sendMessage(s);
  }
}

function settle(s: Shopper, cid: string | undefined, ok: boolean): void {
  const t = cid === undefined ? undefined : pending.get(cid);
  if (t === undefined) return;
  pending.delete(cid!);
  s.inflight--;
  if (phase) {
    if (ok) {
      phase.acked++;
      phase.secAcked++;
      phase.ack.push(now() - t);
    }
  }
  if (closedLoop) {
    closedLoop.idle.push(s.index);
    nextClosedLoop();
  }
}

function onShopperFrame(s: Shopper, d: Buffer): void {
  // Every frame starts with {"t":"<type>: byte 6 is the type's first letter. The echo of the shopper's own message is only counted.
  switch (d[6]) {
    case 0x6d: // m
      if (phase) phase.echoes++;
      return;
    case 0x61: {
      // a
      const f = JSON.parse(d.toString()) as { cid: string; conv: string; seq: number };
      if (s.warm && f.cid === 'warm-up') return s.warm(f);
      return settle(s, f.cid, true);
    }
    case 0x65: {
      // e
      const f = JSON.parse(d.toString()) as { code: string; cid?: string; message: string };
      countError(f.code);
      if (s.warm && f.cid === 'warm-up') return s.warm(new Error(`${f.code}: ${f.message}`));
      return settle(s, f.cid, false);
    }
  }
}

function onAgentFrame(a: Agent, d: Buffer): void {
  switch (d[6]) {
    case 0x6d: {
      // m
      const t = now();
      const f = JSON.parse(d.toString()) as {
        m: { conv: string; seq: number; body: string; sender: { type: string } };
      };
      if (f.m.sender.type !== 'customer') return;
      const last = a.lastSeq.get(f.m.conv) ?? 0;
      if (phase) {
        if (f.m.seq <= last) phase.seqDups++;
        else if (f.m.seq > last + 1) phase.seqGaps++;
      }
      if (f.m.seq > last) a.lastSeq.set(f.m.conv, f.m.seq);
      const sentAt = Number.parseFloat(f.m.body);
      if (phase && Number.isFinite(sentAt)) {
        phase.recv++;
        phase.secRecv++;
        phase.e2e.push(t - sentAt);
      }
      return;
    }
    case 0x73: {
      // s (synced)
      const f = JSON.parse(d.toString()) as { conv: string };
      a.synced.get(f.conv)?.();
      a.synced.delete(f.conv);
      return;
    }
    case 0x65: // e
      countError((JSON.parse(d.toString()) as { code: string }).code);
  }
}

function countError(code: string): void {
  if (!phase) return;
  phase.errorFrames[code] = (phase.errorFrames[code] ?? 0) + 1;
  phase.secErrors++;
}

function onProbeFrame(d: Buffer): void {
  if (d[6] !== 0x70 || !probeAt) return; // p(ong)
  probeMax = Math.max(probeMax, now() - probeAt);
  probeAt = 0;
}

function pingProbe(): void {
  if (!probe || probeAt || probe.readyState !== WebSocket.OPEN) return;
  probeAt = now();
  probe.send('{"t":"ping"}');
}

async function run(cmd: RunCommand): Promise<LoadgenMessage> {
  const p = newPhase(cmd);
  phase = p;
  const closedBefore = closedSockets;
  const t0 = now();
  let sec = 0;
  probeMax = 0;
  lag.reset();
  const tick = () => {
    sec++;
    if (probeAt) probeMax = Math.max(probeMax, now() - probeAt);
    report({
      type: 'tick',
      phase: cmd.phase,
      sec,
      sent: p.secSent,
      acked: p.secAcked,
      recv: p.secRecv,
      errors: p.secErrors,
      e2e: Float64Array.from(p.e2e),
      ack: Float64Array.from(p.ack),
      probeMaxMs: probeMax,
      lagP99Ms: lag.percentile(99) / 1e6,
    });
    p.secSent = p.secAcked = p.secRecv = p.secErrors = 0;
    p.e2e = [];
    p.ack = [];
    probeMax = 0;
    lag.reset();
  };
  const ticker = setInterval(tick, 1000);
  const ready = shoppers.filter((s) => s.open && s.conv);
  let sender: NodeJS.Timeout | undefined;
  if (cmd.mode === 'closed') {
    const window = Math.max(1, cmd.window ?? 1);
    const first = ready.slice(0, window).map((s) => s.index);
    closedLoop = { idle: ready.slice(window).map((s) => s.index), head: 0 };
    for (let k = 0; k < window; k++) sendMessage(shoppers[first[k % first.length]]);
  } else {
    const rate = cmd.rate ?? 0;
    const burst = cmd.burst;
    // Messages due by `ms` into the phase: the burst's rate for its seconds, then the phase's rate.
    const dueBy = (ms: number) =>
      !burst
        ? (rate * ms) / 1000
        : ms < burst.seconds * 1000
          ? (burst.rate * ms) / 1000
          : burst.rate * burst.seconds + (rate * (ms - burst.seconds * 1000)) / 1000;
    let issued = 0;
    let rr = 0;
    sender = setInterval(() => {
      const elapsed = now() - t0;
      const target = Math.floor(dueBy(elapsed));
      let due = target - issued;
      issued = target;
      const current = burst && elapsed < burst.seconds * 1000 ? burst.rate : rate;
      const cap = Math.ceil(current * 0.25); // after a long stall of this process, do not burst more than 250 ms of traffic
      if (due > cap) {
        p.skipped += due - cap;
        due = cap;
      }
      for (let k = 0; k < due && ready.length; k++) {
        const s = ready[rr++ % ready.length];
        if (!s.open || s.inflight >= cmd.maxInflightPerShopper) p.skipped++;
        else sendMessage(s);
      }
    }, 2);
  }
  await new Promise((r) => setTimeout(r, cmd.seconds * 1000));
  clearInterval(sender);
  closedLoop = null;
  // Grace: wait for what is in flight to be acknowledged and delivered.
  const graceEnd = now() + cmd.graceMs;
  while (now() < graceEnd && (pending.size > 0 || p.recv < p.acked)) await new Promise((r) => setTimeout(r, 20));
  clearInterval(ticker);
  tick(); // the last, partial second
  phase = null;
  const unacked = pending.size;
  pending.clear();
  for (const s of shoppers) s.inflight = 0;
  return phaseResult(p, unacked, closedSockets - closedBefore);
}
