/**
 * `--cpu-prof-window N` of the monitoring bench's gateway phase: a CPU profile of the Kefu server
 * (its main thread and worker threads, through the inspector, as bench/chat's `--cpu-prof`) for
 * exactly window N, saved under the system's temporary folder (not committed), and a summary of
 * what held the main thread's event loop in it: the busy stretches (no `(idle)` sample between)
 * by length, and for those of 5 ms or more the functions on their stacks (inclusive) and the
 * self time by area. The loop delay p99 of a window is made of such stretches.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CpuProfile, longTasks, saveProfile, startProfiler, summarise } from '../chat/profile.ts';

export type WindowProfiler = { stop(): Promise<void> };

/** Busy stretches of the thread (ms), from a profile's samples. */
export function busyStretches(p: CpuProfile): number[] {
  const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  const out: number[] = [];
  let run = -1;
  for (let i = 0; i <= p.samples.length; i++) {
    const busy = i < p.samples.length && !idle.has(p.samples[i]);
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    if (busy) run = (run < 0 ? 0 : run) + dt;
    else if (run >= 0) {
      out.push(run);
      run = -1;
    }
  }
  return out;
}

export async function profileWindow(
  inspectPort: number,
  label: string,
  say: (line: string) => void,
): Promise<WindowProfiler> {
  const prof = await startProfiler(inspectPort);
  return {
    async stop() {
      const dir = join(tmpdir(), 'kefu-bench-monitoring-profiles');
      mkdirSync(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      for (const [i, { title, profile }] of (await prof.stop()).entries()) {
        const file = join(dir, `${label}-${i === 0 ? 'main' : `worker${i}`}-${stamp}.cpuprofile`);
        saveProfile(file, profile);
        const s = summarise(profile, 12);
        say(
          `   profile of ${label}, ${i === 0 ? 'main thread' : title}: ${Math.round(s.busyMs)} of ${Math.round(s.totalMs)} ms busy; saved to ${file}`,
        );
        if (i !== 0) continue;
        const stretches = busyStretches(profile);
        const over = (ms: number) => stretches.filter((x) => x >= ms);
        const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0));
        say(
          `     busy stretches: ${stretches.length}; ≥ 2 ms ${over(2).length} (${sum(over(2))} ms), ≥ 5 ms ${over(5).length} ` +
            `(${sum(over(5))} ms), ≥ 10 ms ${over(10).length}, ≥ 20 ms ${over(20).length}; longest ${Math.round(Math.max(0, ...stretches) * 10) / 10} ms`,
        );
        say(`     self time: ${s.areas.map((a) => `${a.area} ${a.pct.toFixed(1)} %`).join(', ')}`);
        say(
          `     top functions (self): ${s.functions.map((f) => `${f.name} ${f.where} ${f.selfMs.toFixed(0)} ms`).join('; ')}`,
        );
        const lt = longTasks(profile, 5);
        say(
          `     stretches ≥ 5 ms (${lt.count}, ${Math.round(lt.totalMs)} ms) by area: ${lt.areas
            .slice(0, 10)
            .map((a) => `${a.area} ${a.pct.toFixed(0)} %`)
            .join(', ')}`,
        );
        say(
          `     … on their stacks (inclusive): ${lt.inclusive
            .slice(0, 30)
            .map((a) => `${a.name} ${a.pct.toFixed(0)} %`)
            .join('; ')}`,
        );
      }
    },
  };
}
