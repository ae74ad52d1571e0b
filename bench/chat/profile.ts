/**
 * The benchmark's view into a server process through the inspector protocol (the servers are
 * started with `--inspect=127.0.0.1:<port>`): forced garbage collection and heap size for memory
 * per connection, and CPU profiles of the event loop during one phase with a summary of where
 * the samples fall (top functions by self time, self time by area: package or file).
 */
import { writeFileSync } from 'node:fs';
import WebSocket from 'ws';

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] };
export type CpuProfile = {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};

/** A Chrome DevTools Protocol session with a Node.js process started with `--inspect=127.0.0.1:<port>`. */
export class Inspector {
  private nextId = 1;
  private readonly waiting = new Map<number, (r: { result?: unknown; error?: { message: string } }) => void>();
  private readonly listeners = new Map<string, (params: unknown) => void>();
  private readonly ws: WebSocket;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (d: Buffer) => {
      const m = JSON.parse(d.toString()) as {
        id?: number;
        method?: string;
        params?: unknown;
        result?: unknown;
        error?: { message: string };
      };
      if (m.id) this.waiting.get(m.id)?.(m);
      else if (m.method) this.listeners.get(m.method)?.(m.params);
    });
  }

  on(event: string, handler: (params: unknown) => void): void {
    this.listeners.set(event, handler);
  }

  static async connect(port: number): Promise<Inspector> {
    const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
      webSocketDebuggerUrl: string;
    }[];
    const ws = new WebSocket(list[0].webSocketDebuggerUrl, { perMessageDeflate: false });
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    return new Inspector(ws);
  }

  call<T>(method: string, params: object = {}, timeoutMs = 60_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(
        () => (this.waiting.delete(id), reject(new Error(`inspector: ${method} timed out`))),
        timeoutMs,
      );
      this.waiting.set(id, (m) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        if (m.error) reject(new Error(`inspector: ${method}: ${m.error.message}`));
        else resolve(m.result as T);
      });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** Forces a full garbage collection in the process and returns its JS heap in use afterwards, bytes. */
export async function heapAfterGc(port: number): Promise<number> {
  const insp = await Inspector.connect(port);
  try {
    await insp.call('HeapProfiler.collectGarbage');
    await insp.call('HeapProfiler.collectGarbage');
    return (await insp.call<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize;
  } finally {
    insp.close();
  }
}

/**
 * Starts the CPU profiler on the main thread and on every worker thread (the SQLite writer)
 * through the NodeWorker domain; `stop` returns the profiles.
 */
export async function startProfiler(
  inspectPort: number,
  /** How long `stop` may take per thread (a long profile on a starved core serialises slowly). */
  stopTimeoutMs = 60_000,
): Promise<{ stop(): Promise<{ title: string; profile: CpuProfile }[]>; close(): void }> {
  const insp = await Inspector.connect(inspectPort);
  // Workers: commands and answers travel inside NodeWorker messages.
  const workers: { sessionId: string; title: string }[] = [];
  const workerWaiting = new Map<string, (m: { result?: unknown }) => void>();
  let nextId = 1_000_000;
  let started = false;
  const profileWorker = async (sessionId: string) => {
    await callWorker(sessionId, 'Profiler.enable');
    await callWorker(sessionId, 'Profiler.setSamplingInterval', { interval: 500 });
    await callWorker(sessionId, 'Profiler.start');
  };
  insp.on('NodeWorker.attachedToWorker', (p) => {
    const { sessionId, workerInfo } = p as { sessionId: string; workerInfo: { title: string; url: string } };
    workers.push({ sessionId, title: `${workerInfo.title} ${workerInfo.url}` });
    // A worker started while profiling (e.g. the SQLite writer at the first message) is profiled from then on.
    if (started) void profileWorker(sessionId).catch(() => {});
  });
  insp.on('NodeWorker.receivedMessageFromWorker', (p) => {
    const { sessionId, message } = p as { sessionId: string; message: string };
    const m = JSON.parse(message) as { id?: number; result?: unknown };
    if (m.id) workerWaiting.get(`${sessionId}:${m.id}`)?.(m);
  });
  const callWorker = <T>(sessionId: string, method: string, params: object = {}, timeoutMs = 60_000) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => reject(new Error(`inspector (worker): ${method} timed out`)), timeoutMs);
      workerWaiting.set(`${sessionId}:${id}`, (m) => (clearTimeout(timer), resolve(m.result as T)));
      void insp.call('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method, params }) });
    });
  await insp.call('NodeWorker.enable', { waitForDebuggerOnStart: false });
  await new Promise((r) => setTimeout(r, 200)); // attachedToWorker events for running workers
  await insp.call('Profiler.enable');
  await insp.call('Profiler.setSamplingInterval', { interval: 500 });
  await insp.call('Profiler.start');
  for (const w of workers) await profileWorker(w.sessionId);
  started = true;
  return {
    async stop() {
      try {
        const main = await insp.call<{ profile: CpuProfile }>('Profiler.stop', {}, stopTimeoutMs);
        const out = [{ title: 'main', profile: main.profile }];
        for (const w of workers) {
          // A worker that started after the profiler (or ended meanwhile) has no profile to give.
          const r = await callWorker<{ profile: CpuProfile } | undefined>(
            w.sessionId,
            'Profiler.stop',
            {},
            stopTimeoutMs,
          );
          if (r?.profile) out.push({ title: w.title, profile: r.profile });
        }
        return out;
      } finally {
        insp.close();
      }
    },
    /** Ends the session without a profile (a process with an inspector session attached does not exit). */
    close() {
      insp.close();
    },
  };
}

function area(cf: CallFrame): string {
  const { url, functionName } = cf;
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return url;
  const src = /\/((?:src|bench)\/.*)$/.exec(url);
  return src ? src[1] : url;
}

export function summarise(
  profile: CpuProfile,
  top = 25,
): {
  totalMs: number;
  busyMs: number;
  functions: { name: string; where: string; selfMs: number; pct: number }[];
  areas: { area: string; selfMs: number; pct: number }[];
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  let idle = 0;
  const fn = new Map<string, { name: string; where: string; selfMs: number }>();
  const areas = new Map<string, number>();
  for (const [id, ms] of self) {
    const cf = byId.get(id)!.callFrame;
    if (cf.functionName === '(idle)') {
      idle += ms;
      continue;
    }
    const where = cf.url ? `${area(cf)}:${cf.lineNumber + 1}` : '';
    const key = `${cf.functionName}@${where}`;
    const e = fn.get(key) ?? { name: cf.functionName || '(anonymous)', where, selfMs: 0 };
    e.selfMs += ms;
    fn.set(key, e);
    const a = area(cf);
    areas.set(a, (areas.get(a) ?? 0) + ms);
  }
  const busyMs = totalMs - idle;
  const pct = (ms: number) => (100 * ms) / totalMs;
  return {
    totalMs,
    busyMs,
    functions: [...fn.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((f) => ({ ...f, pct: pct(f.selfMs) })),
    areas: [...areas]
      .map(([a, ms]) => ({ area: a, selfMs: ms, pct: pct(ms) }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top),
  };
}

/**
 * Stretches in which the thread never went idle for `minMs` or more (long tasks: nothing else,
 * e.g. a ping, can be answered meanwhile), with their self time by area and the frames most often
 * on the stack (inclusive; a frame counts once per sample).
 */
export function longTasks(
  profile: CpuProfile,
  minMs: number,
): {
  count: number;
  totalMs: number;
  longestMs: number;
  areas: { area: string; pct: number }[];
  inclusive: { name: string; pct: number }[];
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const idle = (id: number) => byId.get(id)!.callFrame.functionName === '(idle)';
  const tasks: { from: number; to: number; ms: number }[] = [];
  let start = -1;
  let ms = 0;
  for (let i = 0; i <= profile.samples.length; i++) {
    const busy = i < profile.samples.length && !idle(profile.samples[i]);
    if (busy) {
      if (start < 0) {
        start = i;
        ms = 0;
      }
      ms += (profile.timeDeltas[i + 1] ?? 0) / 1000;
    } else if (start >= 0) {
      if (ms >= minMs) tasks.push({ from: start, to: i, ms });
      start = -1;
    }
  }
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (const t of tasks) {
    for (let i = t.from; i < t.to; i++) {
      const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      total += dt;
      const cf = byId.get(profile.samples[i])!.callFrame;
      areas.set(area(cf), (areas.get(area(cf)) ?? 0) + dt);
      const seen = new Set<string>();
      for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
        const f = byId.get(id)!.callFrame;
        if (!f.url) continue;
        const name = `${f.functionName || '(anonymous)'} ${area(f)}:${f.lineNumber + 1}`;
        if (seen.has(name)) continue;
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
      }
    }
  }
  const pct = (v: number) => (total ? (100 * v) / total : 0);
  return {
    count: tasks.length,
    totalMs: total,
    longestMs: Math.max(0, ...tasks.map((t) => t.ms)),
    areas: [...areas].map(([a, v]) => ({ area: a, pct: pct(v) })).sort((a, b) => b.pct - a.pct),
    inclusive: [...inclusive].map(([name, v]) => ({ name, pct: pct(v) })).sort((a, b) => b.pct - a.pct),
  };
}

export function saveProfile(file: string, profile: CpuProfile): void {
  writeFileSync(file, JSON.stringify(profile));
}
