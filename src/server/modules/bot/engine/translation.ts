/**
 * A translation model between question wordings (the translation-based language model of FAQ
 * retrieval: Berger et al. 2000; Xue, Jeon & Croft 2008), learned from the shop's own data: every
 * ordered pair of questions of one entry (a similar question and the standard one, two similar
 * ones) and every confirmed shopper question (learned questions: dev labels, "useful" ratings,
 * agents' corrections) against each question of its entry is an aligned pair. Only the vocabulary
 * gap is counted: a query-side word `s` the other side lacks with an entry-side word `t` the query
 * side lacks. Their association is the Dice coefficient over pairs, 2·gap(s, t) / (n(s) + n(t)),
 * where n counts every pair a word is on its side of (a word the other side usually repeats needs
 * no translation, and its associations stay weak); associations seen in fewer than `minPairs`
 * pairs, weaker than `minDice` or beyond a word's `keep` strongest are dropped. The counts add up,
 * so the base's are counted once with the index and the learned questions' are replaced with them
 * (no re-counting of the base, no iterative fit: an IBM model 1 fitted by EM ranked no better on
 * dev cross-validation and took 9 s for 5,000 entries × 6 questions).
 *
 * The re-ranker reads it as soft coverage (`coverage`): the idf-weighted share of the query's
 * words that a candidate lacks but translates to — a shopper's word meets the entry's once the
 * base's own paraphrases or the shop's feedback have paired them.
 */

/** Pair counts: n(s) on the query side, n(t) on the entry side, gap(s, t) across the gap. */
type Counts = { src: Map<string, number>; tgt: Map<string, number>; gap: Map<string, Map<string, number>> };

const emptyCounts = (): Counts => ({ src: new Map(), tgt: new Map(), gap: new Map() });

function add(c: Counts, from: ReadonlySet<string>, to: ReadonlySet<string>): void {
  for (const s of from) c.src.set(s, (c.src.get(s) ?? 0) + 1);
  for (const t of to) c.tgt.set(t, (c.tgt.get(t) ?? 0) + 1);
  for (const s of from) {
    if (to.has(s)) continue;
    let row = c.gap.get(s);
    for (const t of to) {
      if (from.has(t)) continue;
      if (!row) c.gap.set(s, (row = new Map()));
      row.set(t, (row.get(t) ?? 0) + 1);
    }
  }
}

export const translationDefaults = { minPairs: 2, minDice: 0.05, keep: 5, maxQuestions: 8 };
export type TranslationOptions = typeof translationDefaults;

export class Translations {
  private readonly base = emptyCounts();
  private learned = emptyCounts();
  /** Each query word's pruned translations, computed on first use and forgotten when the learned pairs change. */
  private readonly memo = new Map<string, ReadonlyMap<string, number>>();
  private readonly opts: TranslationOptions;

  /** `questions`: each entry's questions as word lists (standard first; at most `maxQuestions` read). */
  constructor(questions: readonly (readonly (readonly string[])[])[], opts: Partial<TranslationOptions> = {}) {
    this.opts = { ...translationDefaults, ...opts };
    for (const qs of questions) {
      const sets = qs.slice(0, this.opts.maxQuestions).map((q) => new Set(q));
      for (let i = 0; i < sets.length; i++)
        for (let j = 0; j < sets.length; j++) if (i !== j) add(this.base, sets[i]!, sets[j]!);
    }
  }

  /** Replaces the learned pairs: each confirmed question's words against each question of its entry. */
  setLearned(pairs: readonly { query: readonly string[]; questions: readonly (readonly string[])[] }[]): void {
    this.learned = emptyCounts();
    for (const p of pairs) {
      const from = new Set(p.query);
      for (const q of p.questions.slice(0, this.opts.maxQuestions)) add(this.learned, from, new Set(q));
    }
    this.memo.clear();
  }

  /** The pruned translations of a query word: entry-side word → association (0–1), strongest first. */
  of(s: string): ReadonlyMap<string, number> {
    const hit = this.memo.get(s);
    if (hit) return hit;
    const { minPairs, minDice, keep } = this.opts;
    const nS = (this.base.src.get(s) ?? 0) + (this.learned.src.get(s) ?? 0);
    const a = this.base.gap.get(s);
    const b = this.learned.gap.get(s);
    const scored: [string, number][] = [];
    for (const t of new Set([...(a?.keys() ?? []), ...(b?.keys() ?? [])])) {
      const n = (a?.get(t) ?? 0) + (b?.get(t) ?? 0);
      if (n < minPairs) continue;
      const dice = (2 * n) / (nS + (this.base.tgt.get(t) ?? 0) + (this.learned.tgt.get(t) ?? 0));
      if (dice >= minDice) scored.push([t, dice]);
    }
    scored.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    const out = new Map(scored.slice(0, keep));
    if (this.memo.size >= 50_000) this.memo.clear(); // shoppers' words are unbounded
    this.memo.set(s, out);
    return out;
  }

  /**
   * The idf-weighted share of the query's words (`idf`: word → idf, `all`: their sum) that `has`
   * lacks but translates to, each counted by its strongest translation that `has` holds.
   */
  coverage(idf: ReadonlyMap<string, number>, all: number, has: (t: string) => boolean): number {
    if (!all) return 0;
    let hit = 0;
    for (const [s, w] of idf) {
      if (has(s)) continue;
      let best = 0;
      for (const [t, d] of this.of(s)) if (d > best && has(t)) best = d;
      hit += w * best;
    }
    return hit / all;
  }
}
