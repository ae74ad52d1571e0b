/** Small helpers shared by the chat benchmark's processes: percentiles and /proc readers (Linux). */
import { readdirSync, readFileSync } from 'node:fs';

export function percentiles(values: ArrayLike<number>): {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
} {
  const n = values.length;
  if (!n) return { n: 0, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(n - 1, Math.floor((p / 100) * n))];
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  return { n, p50: at(50), p90: at(90), p99: at(99), max: sorted[n - 1], mean: sum / n };
}

/** Resident set size of a process, bytes (VmRSS of /proc/<pid>/status). */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

const ticksPerSecond = 100; // USER_HZ on Linux

/** CPU seconds (user + system) used so far by a process, all its threads included. */
export function cpuSeconds(pid: number): number {
  return statTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) / ticksPerSecond;
}

/** cpuSeconds, or 0 for a process that is gone. */
export function safeCpuSeconds(pid: number): number {
  try {
    return cpuSeconds(pid);
  } catch {
    return 0;
  }
}

function statTicks(stat: string): number {
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
}

/** CPU seconds per thread group of a process: `main` (the event loop) and the others by thread name. */
export function threadCpuSeconds(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const key = Number(tid) === pid ? 'main' : comm.trim();
      out[key] = (out[key] ?? 0) + statTicks(stat) / ticksPerSecond;
    } catch {
      /* the thread ended */
    }
  }
  return out;
}

/** The per-process open-file limit (soft/hard) of a process. */
export function openFileLimit(pid: number | 'self' = 'self'): { soft: number; hard: number } {
  const m = /Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  const n = (s: string | undefined) => (s === undefined || s === 'unlimited' ? Infinity : Number(s));
  return { soft: n(m?.[1]), hard: n(m?.[2]) };
}

export function openFiles(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return NaN;
  }
}

/** Reads the numbers of a Prometheus text exposition, keyed by `name{labels}`. */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(withoutNodeLabel(line.slice(0, i)), Number(line.slice(i + 1)));
  }
  return out;
}

/**
 * Every series of a node carries its `node` label (monitoring's default label); the benchmark reads
 * one node at a time and looks series up without it (`name{kind="agent"}`, `name`).
 */
const withoutNodeLabel = (key: string) =>
  key
    .replace(/\{node="[^"]*",?/, '{')
    .replace(/,node="[^"]*"/, '')
    .replace('{}', '');

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The parent's report lines (one place, so every file of the report writes them the same way). */
export const log = (s: string) => console.log(s);

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '–';

/**
 * CPU used by processes outside the benchmark (other work on a shared machine), per second of
 * wall time, in % of one core. Kernel threads are left out; processes that start and end between
 * two samples are missed, so this is a lower bound.
 */
export class ForeignCpu {
  private last = new Map<number, number>();
  private at = performance.now();
  private readonly ours: () => number[];

  constructor(ours: () => number[]) {
    this.ours = ours;
    this.sample();
  }

  /** % of one core used by other processes since the previous call. */
  sample(): number {
    const mine = new Set(this.ours());
    const now = performance.now();
    const seen = new Map<number, number>();
    let delta = 0;
    let pids: string[];
    try {
      pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
    } catch {
      return NaN;
    }
    for (const d of pids) {
      const pid = Number(d);
      if (mine.has(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue;
      }
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (pid === 2 || f[1] === '2') continue; // kernel threads
      const ticks = Number(f[11]) + Number(f[12]);
      seen.set(pid, ticks);
      const before = this.last.get(pid);
      if (before !== undefined) delta += ticks - before;
    }
    const dt = (now - this.at) / 1000;
    this.last = seen;
    this.at = now;
    return dt > 0 ? (100 * delta) / ticksPerSecond / dt : NaN;
  }
}
