/**
 * `node bench/profile-gaps.ts PROFILE.cpuprofile "<gap list>"`: what a thread's CPU profile
 * (`node --cpu-prof`, timestamps on the monotonic clock in µs) shows during the event-loop gaps a
 * bench printed ("27.1 ms ending at hrtime 905840315 µs; …", as bench/reports.ts prints them):
 * per gap, how much of it the thread spent running (busy samples: JavaScript, native code, GC),
 * how much idle, how much with no sample at all (off the CPU: a sample is only taken while the
 * thread runs or waits in the loop, so a stretch between samples far longer than the interval is
 * time the thread waited for a core), and the frames most present in its busy samples.
 */
import { readFileSync } from 'node:fs';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

const short = (url: string) => url.replace(/^file:\/\/.*?\/(src|node_modules|bench)\//, '$1/');

export function gapReport(p: Profile, gaps: { ms: number; endUs: number }[], slackMs = 5): string[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const times: number[] = [];
  let t = p.startTime;
  for (const d of p.timeDeltas) times.push((t += d));
  const interval = [...p.timeDeltas].sort((a, b) => a - b)[Math.floor(p.timeDeltas.length / 2)] ?? 100;
  const out: string[] = [
    `profile ${((p.endTime - p.startTime) / 1e6).toFixed(1)} s, median sample interval ${interval} µs`,
  ];
  for (const g of gaps) {
    const from = g.endUs - (g.ms + slackMs) * 1000;
    const to = g.endUs;
    let busy = 0;
    let idle = 0;
    let offCpu = 0;
    let longestHole = 0;
    const frames = new Map<string, number>();
    for (let i = 0; i < p.samples.length; i++) {
      if (times[i]! < from || times[i]! > to) continue;
      // The time up to this sample belongs to it; a hole far longer than the interval is off-CPU time.
      const dt = Math.min(p.timeDeltas[i]!, times[i]! - from);
      const hole = Math.max(0, dt - 4 * interval);
      offCpu += hole;
      longestHole = Math.max(longestHole, hole);
      const name = byId.get(p.samples[i]!)!.callFrame.functionName;
      if (name === '(idle)') idle += dt - hole;
      else {
        busy += dt - hole;
        const seen = new Set<string>();
        for (let id: number | undefined = p.samples[i]; id !== undefined; id = parent.get(id)) {
          const f = byId.get(id)!.callFrame;
          const key = f.url ? `${f.functionName || '(anonymous)'} ${short(f.url)}:${f.lineNumber + 1}` : f.functionName;
          if (!key || key === '(root)' || seen.has(key)) continue;
          seen.add(key);
          frames.set(key, (frames.get(key) ?? 0) + dt - hole);
        }
      }
    }
    const top = [...frames]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([k, us]) => `${k} ${(us / 1000).toFixed(1)}`)
      .join('; ');
    out.push(
      `gap ${g.ms} ms ending ${g.endUs}: busy ${(busy / 1000).toFixed(1)} ms, idle ${(idle / 1000).toFixed(1)} ms, ` +
        `no sample (off CPU) ${(offCpu / 1000).toFixed(1)} ms (longest ${(longestHole / 1000).toFixed(1)} ms)${top ? `; busy in: ${top}` : ''}`,
    );
  }
  return out;
}

export function parseGaps(text: string): { ms: number; endUs: number }[] {
  return [...text.matchAll(/([\d.]+) ms ending at hrtime (\d+) µs/g)].map((m) => ({
    ms: Number(m[1]),
    endUs: Number(m[2]),
  }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, gaps] = process.argv.slice(2);
  if (!file || !gaps) throw new Error('usage: node bench/profile-gaps.ts PROFILE.cpuprofile "<gap list>"');
  for (const line of gapReport(JSON.parse(readFileSync(file, 'utf8')) as Profile, parseGaps(gaps))) console.log(line);
}
