/** What the parent reads from a server during a phase: Kefu's /metrics, settled RSS, the SQLite WAL's checkpoints. */
import { closeSync, openSync, readSync } from 'node:fs';
import type { Server } from './servers.ts';
import { parseMetrics, rssBytes, sleep } from './stats.ts';

export async function metricsOf(s: Server): Promise<Map<string, number>> {
  if (s.target !== 'kefu') return new Map();
  try {
    return parseMetrics(await (await fetch(`${s.httpUrl}/metrics`)).text());
  } catch {
    return new Map();
  }
}

export const metric = (m: Map<string, number>, prefix: string) => {
  let sum = 0;
  let found = false;
  for (const [k, v] of m) {
    if (k === prefix || k.startsWith(`${prefix}{`)) {
      sum += v;
      found = true;
    }
  }
  return found ? sum : NaN;
};

/** RSS once it has settled: the last of a few samples 500 ms apart. */
export async function settledRss(pid: number): Promise<number> {
  let last = rssBytes(pid);
  for (let i = 0; i < 6; i++) {
    await sleep(500);
    const r = rssBytes(pid);
    if (Math.abs(r - last) < 256 * 1024) return r;
    last = r;
  }
  return last;
}

/** The checkpoint sequence number in the WAL header: it changes each time a checkpoint lets SQLite restart the WAL. */
export function walCheckpointSeq(file: string): number | null {
  try {
    const fd = openSync(file, 'r');
    try {
      const b = Buffer.alloc(16);
      return readSync(fd, b, 0, 16, 0) === 16 ? b.readUInt32BE(12) : null;
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** Commit durations of a phase from the writer's histogram (bucket bounds: the quantiles are upper bounds). */
export function commitHistogram(
  m0: Map<string, number>,
  m1: Map<string, number>,
): { commitP50Ms: number; commitP99Ms: number; commitsOver10Ms: number } {
  const buckets: { le: number; n: number }[] = [];
  for (const [k, v] of m1) {
    const m = /^kefu_chat_commit_duration_seconds_bucket\{le="([^"]+)"\}$/.exec(k);
    if (m) buckets.push({ le: m[1] === '+Inf' ? Infinity : Number(m[1]), n: v - (m0.get(k) ?? 0) });
  }
  buckets.sort((a, b) => a.le - b.le);
  const total = buckets.at(-1)?.n ?? 0;
  const q = (p: number) => (buckets.find((b) => b.n >= p * total)?.le ?? NaN) * 1000;
  const at10 = buckets.find((b) => b.le >= 0.01)?.n ?? total;
  return { commitP50Ms: q(0.5), commitP99Ms: q(0.99), commitsOver10Ms: total - at10 };
}
