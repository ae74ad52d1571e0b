/**
 * Learned questions: what shoppers actually asked that the shop confirmed (a "useful" rating, an
 * agent's correction of a hand-off, the eval's dev labels), indexed apart from the knowledge
 * base's own questions. The re-ranker weighs a match against them as its own features, so a shop's
 * wording gaps ("a shopper's word for what the entry says otherwise") close as feedback comes in,
 * without editing the entries.
 */
import { Bm25 } from './bm25.ts';
import type { Terms } from './text.ts';

const streams = ['words', 'uni', 'bi'] as const;
const weight = { words: 0.45, uni: 0.2, bi: 0.35 };

export class LearnedQuestions {
  readonly texts: string[];
  readonly entryOf: Int32Array;
  readonly byEntry = new Map<number, number[]>();
  private readonly index: Record<(typeof streams)[number], Bm25>;
  private readonly out: Float64Array;
  private readonly mark: Int32Array;
  private readonly list: Int32Array;
  private stamp = 0;

  constructor(items: readonly { entry: number; text: string; terms: Terms }[]) {
    this.texts = items.map((x) => x.text);
    this.entryOf = Int32Array.from(items.map((x) => x.entry));
    items.forEach((x, d) => {
      const l = this.byEntry.get(x.entry);
      if (l) l.push(d);
      else this.byEntry.set(x.entry, [d]);
    });
    this.index = Object.fromEntries(streams.map((s) => [s, new Bm25(items.map((x) => x.terms[s]))])) as Record<
      (typeof streams)[number],
      Bm25
    >;
    this.out = new Float64Array(items.length);
    this.mark = new Int32Array(items.length);
    this.list = new Int32Array(items.length);
  }

  get size(): number {
    return this.texts.length;
  }

  /** Each entry's best learned-question score for the query (0–1, like the questions' scores). */
  best(terms: Terms): Map<number, number> {
    const stamp = ++this.stamp;
    let n = 0;
    for (const s of streams) {
      const bound = this.index[s].bound(terms[s]) || 1;
      n = this.index[s].score(terms[s], weight[s] / bound, this.out, this.mark, stamp, this.list, n);
    }
    const best = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const d = this.list[i]!;
      const e = this.entryOf[d]!;
      if ((best.get(e) ?? -1) < this.out[d]!) best.set(e, this.out[d]!);
    }
    return best;
  }
}
