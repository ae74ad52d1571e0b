/**
 * One rule cycle's reads of the series store. Evaluating each rule's selectors on its own read the
 * store once per selector (200 rules over 50 metrics: 200 reads of the same rows, about 1 s of CPU
 * per cycle on SQLite, whose reads block the event loop). A cycle first collects the windows every
 * due rule will read (`windowsOf`), then reads each metric once per resolution over the union of
 * its windows, on first use, and answers every selector from that read: the series that pass its
 * matchers, with the points in its window — exactly what `SeriesStore.read` would have returned
 * for it. A selector outside the plan (none, unless `windowsOf` and `evaluate` disagree) reads the
 * store itself.
 */
import type { SeriesSource, Window } from './promql/eval.ts';
import { matches, type Resolution, type Series, type SeriesStore } from './store.ts';

/** A series source that also plans a rule cycle's reads (the store's; an in-memory source has no need). */
export type PlanningSource = SeriesSource & { forCycle(windows: readonly Window[]): SeriesSource };

export const plansReads = (x: SeriesSource): x is PlanningSource => 'forCycle' in x;

/**
 * `resolutionOf(from, to)`: the resolution a read of that window uses (the same function the
 * direct reads use, so each selector is answered at the resolution it would have been read at).
 */
export function sharedReads(
  store: Pick<SeriesStore, 'read'>,
  resolutionOf: (from: number, to: number) => Resolution,
  windows: readonly Window[],
): SeriesSource {
  const plan = new Map<string, { name: string; res: Resolution; from: number; to: number }>();
  for (const w of windows) {
    const res = resolutionOf(w.from, w.to);
    const key = `${w.name}\u0000${res}`;
    const p = plan.get(key);
    if (!p) plan.set(key, { name: w.name, res, from: w.from, to: w.to });
    else {
      p.from = Math.min(p.from, w.from);
      p.to = Math.max(p.to, w.to);
    }
  }
  const reads = new Map<string, Promise<Series[]>>();
  return {
    async select(name, matchers, from, to) {
      const res = resolutionOf(from, to);
      const key = `${name}\u0000${res}`;
      const p = plan.get(key);
      if (!p || from < p.from || to > p.to) return store.read(name, matchers, from, to, res);
      let read = reads.get(key);
      if (!read) reads.set(key, (read = store.read(name, [], p.from, p.to, res)));
      // A rollup's point is stamped at its bucket's end: a read of (from, to] at `res` holds the
      // buckets that start in (from - res, to], i.e. the stamps in (from, to + res].
      const until = to + res * 1000;
      return (await read)
        .filter((x) => matches(x.labels, matchers))
        .map((x) => ({ labels: x.labels, points: x.points.filter(([t]) => t > from && t <= until) }));
    },
  };
}
