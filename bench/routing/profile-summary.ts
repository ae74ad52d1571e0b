/**
 * `node bench/routing/profile-summary.ts FILE.cpuprofile [--per N] [--top 15]`: where a server
 * profile of the routing benchmark (`npm run bench -- routing --cpu-prof`) spent its CPU, by
 * arrival stage: the shopper's session request (HTTP), the `/ws` handshake and `hello`, the first
 * message (the writer, the fan-out of the message), the outbox delivering `conversation.created`
 * and routing's `arrive` (assigner, policy), the queue notices, and the rest (other listeners,
 * timers, the garbage collector). `--per N` divides by N arrivals (the run's `conversations`).
 *
 * A sample's stage is decided by the outermost frame of Kefu's own code on its stack that names
 * one (the outbox dispatcher, `db/`, `lib/` and `context.ts` decide nothing: the listener or
 * caller under them does). After an `await` V8 shows only the continuation's own stack, so work
 * resumed inside a library (kysely, the SQLite driver, ws) with no Kefu frame under it is listed
 * as "(library continuation)" by package. Prints the stages, then per stage its top frames by
 * self time and by inclusive time (a frame counts once per sample), then the top self frames overall.
 */
import { readFileSync } from 'node:fs';

type CallFrame = { functionName: string; url: string; lineNumber: number };
type Node = { id: number; callFrame: CallFrame; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

/** Stage rules, first match wins, tried on `path:function` of each Kefu frame from the root down. */
const stages: [RegExp, string][] = [
  [/realtime\/queue-notices\.ts/, 'queue notices'],
  [/modules\/routing\//, 'routing arrive (listener, assigner, policy, surge)'],
  [/realtime\/gateway\.ts:(upgrade|open|refuse)$/, 'socket handshake'],
  [/realtime\/connect\.ts/, 'socket handshake'],
  [
    /realtime\/send\.ts|conversations\/(writer|sqlite-commit|sqlite-writer-worker|stores|commit-rules)\.ts/,
    'first message (writer)',
  ],
  [
    /realtime\/gateway\.ts:(subscribe|subscribeOrRefuse|authorize)$|realtime\/fanout\.ts:(subscribe|replay)/,
    'hello (subscribe)',
  ],
  [/realtime\/fanout\.ts|realtime\/cork\.ts/, 'message fan-out'],
  [/realtime\/gateway\.ts:(flushSummaries)$/, 'inbox summaries (agents)'],
  [/realtime\/gateway\.ts:(heartbeat|touchAgents)$/, 'heartbeat, presence'],
  [/realtime\/gateway\.ts:(handle|onFrame)$/, 'frame parsing (gateway)'],
  [/conversations\/widget\.ts|modules\/customers\/|http\/|server\/app\.ts/, 'session request (HTTP)'],
  [/modules\/audit\//, 'audit listener'],
  [/modules\/(\w[\w-]*)\//, 'module: $1'],
  [/lib\/events\//, 'outbox (dispatch, bookkeeping)'],
  [/lib\/jobs\//, 'jobs'],
  [/lib\/logger|lib\/ops-records/, 'logging'],
];
const neutral = /src\/server\/(db|lib|context\.ts|services\.ts|main\.ts)/;

const short = (url: string) => url.replace(/^file:\/\/.*?\/(src|bench)\//, '$1/');
const pkg = (url: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? null;
const label = (f: CallFrame) =>
  `${f.functionName || '(anonymous)'} ${f.url ? `${pkg(f.url) ?? short(f.url)}:${f.lineNumber + 1}` : '(native)'}`;
const ours = (f: CallFrame) => f.url.includes('/src/') && !f.url.includes('node_modules');

export function summariseByStage(profile: Profile, per = 1, top = 12): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stageCache = new Map<number, string>();
  const stageOf = (id: number): string => {
    const hit = stageCache.get(id);
    if (hit) return hit;
    const stack: CallFrame[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur))
      stack.push(byId.get(cur)!.callFrame);
    stack.reverse(); // root first
    let out: string | null = null;
    let sawOurs = false;
    for (const f of stack) {
      if (!ours(f)) continue;
      sawOurs = true;
      const key = `${short(f.url)}:${f.functionName}`;
      if (neutral.test(key)) continue;
      const rule = stages.find(([re]) => re.test(key));
      if (rule) {
        out = rule[1].replace('$1', rule[0].exec(key)![1] ?? '');
        break;
      }
    }
    if (!out) {
      const leaf = stack[stack.length - 1];
      if (sawOurs) out = '(Kefu infrastructure: db, lib)';
      else if (leaf.url)
        out = `(library continuation) ${pkg(leaf.url) ?? (leaf.url.startsWith('node:') ? 'node' : short(leaf.url))}`;
      else out = leaf.functionName.startsWith('(') ? leaf.functionName : `(native) ${leaf.functionName}`;
    }
    stageCache.set(id, out);
    return out;
  };
  const ms = new Map<string, number>();
  const selfBy = new Map<string, Map<string, number>>();
  const inclBy = new Map<string, Map<string, number>>();
  const selfAll = new Map<string, number>();
  let busy = 0;
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000; // a sample's time is the gap to the next one
    const id = profile.samples[i];
    const leaf = byId.get(id)!.callFrame;
    if (leaf.functionName === '(idle)') continue;
    busy += dt;
    const st = stageOf(id);
    add(ms, st, dt);
    const self = selfBy.get(st) ?? new Map<string, number>();
    selfBy.set(st, self);
    add(self, label(leaf), dt);
    add(selfAll, label(leaf), dt);
    const incl = inclBy.get(st) ?? new Map<string, number>();
    inclBy.set(st, incl);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (!f.url) continue;
      const l = label(f);
      if (seen.has(l)) continue;
      seen.add(l);
      add(incl, l, dt);
    }
  }
  const fmt = (v: number) => (per > 1 ? `${(v / per).toFixed(3)} ms/arrival` : `${v.toFixed(0)} ms`);
  const pct = (v: number) => `${((100 * v) / busy).toFixed(1)} %`;
  const lines: string[] = [];
  const wall = (profile.endTime - profile.startTime) / 1000;
  lines.push(
    `profile: ${wall.toFixed(0)} ms, busy ${busy.toFixed(0)} ms${per > 1 ? ` (${(busy / per).toFixed(2)} ms per arrival over ${per})` : ''}`,
  );
  lines.push('', '## By stage (self time of every sample under the stage)');
  const order = [...ms].sort((a, b) => b[1] - a[1]);
  for (const [st, v] of order) lines.push(`  ${pct(v).padStart(7)}  ${fmt(v).padStart(18)}  ${st}`);
  for (const [st, v] of order) {
    if (v < busy * 0.02) continue;
    lines.push('', `## ${st}: ${pct(v)}`);
    lines.push('  top self:');
    for (const [l, x] of [...selfBy.get(st)!].sort((a, b) => b[1] - a[1]).slice(0, top))
      lines.push(`    ${pct(x).padStart(7)}  ${l}`);
    lines.push('  top inclusive:');
    for (const [l, x] of [...inclBy.get(st)!].sort((a, b) => b[1] - a[1]).slice(0, top))
      lines.push(`    ${pct(x).padStart(7)}  ${l}`);
  }
  lines.push('', '## Top self time overall');
  for (const [l, x] of [...selfAll].sort((a, b) => b[1] - a[1]).slice(0, top * 2))
    lines.push(`  ${pct(x).padStart(7)}  ${fmt(x).padStart(18)}  ${l}`);
  return lines.join('\n');
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const opt = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const files = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  if (!files.length) {
    console.error('usage: node bench/routing/profile-summary.ts FILE.cpuprofile… [--per N] [--top 12]');
    process.exit(2);
  }
  for (const f of files) {
    console.log(`# ${f}`);
    console.log(summariseByStage(JSON.parse(readFileSync(f, 'utf8')) as Profile, opt('per', 1), opt('top', 12)));
  }
}
