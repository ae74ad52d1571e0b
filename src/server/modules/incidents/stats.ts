/**
 * MTTA (declared → first acknowledgement; an incident resolved unacknowledged answered with its
 * resolution) and MTTR (declared → resolution) per severity and month: count, mean, median and
 * p90 in minutes. Drills and cancelled incidents are left out (requirements: drills never count).
 */
import { monthOf } from './penalty/index.ts';

export type StatInput = {
  severity: string;
  mode: string;
  state: string;
  declaredAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
};

export type Summary = { count: number; mean: number | null; median: number | null; p90: number | null };

/** Nearest-rank percentile of sorted values (p in 0–100). */
function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function summarize(minutes: number[]): Summary {
  const sorted = [...minutes].sort((a, b) => a - b);
  const round = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);
  return {
    count: sorted.length,
    mean: round(sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null),
    median: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
  };
}

export function incidentStats(items: readonly StatInput[], timezone: string) {
  const groups = new Map<string, { month: string; severity: string; tta: number[]; ttr: number[] }>();
  for (const i of items) {
    if (i.mode === 'drill' || i.state === 'cancelled') continue;
    const month = monthOf(timezone, i.declaredAt);
    const key = `${month} ${i.severity}`;
    const g = groups.get(key) ?? { month, severity: i.severity, tta: [], ttr: [] };
    const answered = i.acknowledgedAt ?? i.resolvedAt;
    if (answered !== null) g.tta.push((answered - i.declaredAt) / 60_000);
    if (i.resolvedAt !== null) g.ttr.push((i.resolvedAt - i.declaredAt) / 60_000);
    groups.set(key, g);
  }
  return [...groups.values()]
    .sort((a, b) => a.month.localeCompare(b.month) || a.severity.localeCompare(b.severity))
    .map((g) => ({ month: g.month, severity: g.severity, mtta: summarize(g.tta), mttr: summarize(g.ttr) }));
}
