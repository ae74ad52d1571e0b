/**
 * Long tasks in a V8 CPU profile (`node --cpu-prof`): stretches where the thread ran JavaScript,
 * native code or the garbage collector without returning to the event loop (no `(idle)` sample),
 * with the functions that took most of each stretch. What `npm run bench -- backup --profile`
 * prints for the server's main thread: the event-loop stalls the chat gateway would feel.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number };

export type LongTask = { atMs: number; ms: number; top: { frame: string; ms: number }[] };

/** Only `(idle)` is the event loop waiting; `(program)` and `(garbage collector)` hold it too. */
const idleNames = new Set(['(idle)']);

/** Stretches of at least `minMs` of busy samples, longest first (at most `limit`). */
export function longTasks(profile: Profile, minMs = 100, limit = 10): LongTask[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frameOf = (id: number): string => {
    // The innermost frame of our own code (or a dependency), else the innermost frame.
    let cur: number | undefined = id;
    while (cur !== undefined) {
      const f = byId.get(cur)!.callFrame;
      if (f.url && !f.url.startsWith('node:'))
        return `${f.functionName || '(anonymous)'} ${short(f.url)}:${f.lineNumber + 1}`;
      cur = parent.get(cur);
    }
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anonymous)'} ${f.url || '(native)'}`;
  };
  const out: LongTask[] = [];
  let t = 0;
  let start = -1;
  let frames = new Map<string, number>();
  const close = (end: number) => {
    if (start >= 0 && end - start >= minMs * 1000)
      out.push({
        atMs: start / 1000,
        ms: (end - start) / 1000,
        top: [...frames.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 4)
          .map(([frame, us]) => ({ frame, ms: Math.round(us / 1000) })),
      });
    start = -1;
    frames = new Map();
  };
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    const node = byId.get(profile.samples[i])!;
    if (idleNames.has(node.callFrame.functionName)) {
      close(t);
      continue;
    }
    if (start < 0) start = t - dt;
    const key = frameOf(node.id);
    frames.set(key, (frames.get(key) ?? 0) + dt);
  }
  close(t);
  return out.sort((a, b) => b.ms - a.ms).slice(0, limit);
}

const short = (url: string) => url.replace(/^file:\/\/.*?\/(src|node_modules|bench)\//, '$1/');

/** The main thread's profile in a `--cpu-prof-dir` (the largest file whose thread id is 0). */
export function mainThreadProfile(dir: string): Profile | null {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile') && /\.\d+\.0\.\d+\.cpuprofile$/.test(f))
    .sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size);
  return files.length ? (JSON.parse(readFileSync(join(dir, files[0]), 'utf8')) as Profile) : null;
}
