/** Uptime of a probe over 24 h / 7 d / 30 d / 90 d: the share of successful checks, from the series store. */
import type { SeriesStore } from './store.ts';

export type Uptime = { h24: number | null; d7: number | null; d30: number | null; d90: number | null };

const windows = { h24: 86400_000, d7: 7 * 86400_000, d30: 30 * 86400_000, d90: 90 * 86400_000 } as const;

/** Means of probe_success, from minute rollups for a day and hourly ones beyond (null without checks). */
export async function uptimeOf(store: SeriesStore, probe: string, now: number): Promise<Uptime> {
  const out: Partial<Uptime> = {};
  for (const [key, span] of Object.entries(windows) as [keyof Uptime, number][]) {
    const series = await store.read(
      'probe_success',
      [{ name: 'probe', op: '=', value: probe }],
      now - span,
      now,
      span <= 86400_000 ? 60 : 3600,
    );
    const points = series.flatMap((x) => x.points);
    out[key] = points.length ? points.reduce((a, p) => a + p[1], 0) / points.length : null;
  }
  return out as Uptime;
}
