/**
 * The offline retrieval engine: BM25 over three term streams (words, Han unigrams, Han bigrams),
 * each entry scored by its best question and as one document of all its questions; a re-ranker
 * over the top candidates (score, longest common substring, question form, negation, the entity
 * gate, rank); and a confidence for the top answer that decides the bands. Both models start from
 * fixed weights and learn from labelled examples (a shop's own similar questions, corrections and
 * ratings; the eval's dev file). Pure: no I/O, no clock.
 */
import { Bm25 } from './bm25.ts';
import {
  chooseThreshold,
  fitLogistic,
  logit,
  longestCommonSubstring,
  negated,
  questionForm,
  sigmoid,
  type Model,
} from './learn.ts';
import { emptyLexicon, normalize, termsOf, type Lexicon, type Terms } from './text.ts';

export type MatcherEntry = { id: string; question: string; similar: readonly string[]; products?: readonly string[] };
export type Band = 'answer' | 'suggest' | 'handoff';
export type Candidate = { id: string; score: number; question: string; features: number[] };
export type Ranked = {
  candidates: Candidate[];
  confidence: number;
  band: Band;
  /** Share of the query's words the knowledge base never uses (a hand-off signal). */
  unknownShare: number;
  /** The query names a product or dictionary word that the top entry does not cover. */
  gated: boolean;
  /** What the confidence was computed from (for training). */
  confidenceFeatures: number[];
};
export type Example = { query: string; label: string | null; accept?: readonly string[] };
export type Calibration = { rerank: Model; confidence: Model; answerAt: number; suggestAt: number };

const streams = ['words', 'uni', 'bi'] as const;
const streamWeight = { words: 0.45, uni: 0.2, bi: 0.35 };
const bestQuestionShare = 0.6;

const fixed = (w: number[], b: number): Model => ({ mean: w.map(() => 0), scale: w.map(() => 1), w, b });
/** Rerank features: combined, lcs ratio, form match, negation mismatch, gate, best-question share, 1/(rank+1). */
const defaultRerank = fixed([1, 0.3, 0.05, -0.1, -0.3, 0.1, 0.02], 0);
/** Confidence features: rerank logit, margin, combined, coverage, unknown share, gate, lcs ratio. */
const defaultConfidence = fixed([0, 2, 4, 2.5, -2.5, -1.5, 1.5], -3.6);
export const defaultCalibration = (): Calibration => ({
  rerank: defaultRerank,
  confidence: defaultConfidence,
  answerAt: 0.6,
  suggestAt: 0.25,
});

type Doc = { entry: number; text: string };

export class Matcher {
  readonly entries: readonly MatcherEntry[];
  readonly lexicon: Lexicon;
  private readonly qDocs: Doc[] = [];
  private readonly index: Record<(typeof streams)[number], { q: Bm25; e: Bm25 }>;
  private readonly entryText: string[];
  private readonly entities: string[];
  calibration: Calibration = defaultCalibration();
  /** Per-query buffers, reused (a search allocates nothing in proportion to the knowledge base). */
  private readonly scratch: {
    q: Float64Array;
    e: Float64Array;
    qMark: Int32Array;
    eMark: Int32Array;
    qList: Int32Array;
    eList: Int32Array;
    stamp: number;
  };

  constructor(entries: readonly MatcherEntry[], lexicon: Lexicon = emptyLexicon()) {
    this.entries = entries;
    const products = entries.flatMap((e) => (e.products ?? []).map(normalize)).filter((p) => p.length > 1);
    this.lexicon = { words: [...new Set([...lexicon.words, ...products])], synonyms: lexicon.synonyms };
    const qTerms: Terms[] = [];
    const eTerms: Terms[] = entries.map(() => ({ words: [], uni: [], bi: [] }));
    this.entryText = entries.map((e) => normalize([e.question, ...e.similar, ...(e.products ?? [])].join(' ')));
    entries.forEach((e, i) => {
      for (const q of [e.question, ...e.similar]) {
        const text = normalize(q);
        const t = termsOf(text, this.lexicon);
        this.qDocs.push({ entry: i, text });
        qTerms.push(t);
        for (const s of streams) eTerms[i]![s].push(...t[s]);
      }
    });
    this.index = Object.fromEntries(
      streams.map((s) => [s, { q: new Bm25(qTerms.map((t) => t[s])), e: new Bm25(eTerms.map((t) => t[s])) }]),
    ) as Matcher['index'];
    this.entities = this.lexicon.words;
    const nQ = this.qDocs.length;
    const nE = entries.length;
    this.scratch = {
      q: new Float64Array(nQ),
      e: new Float64Array(nE),
      qMark: new Int32Array(nQ),
      eMark: new Int32Array(nE),
      qList: new Int32Array(nQ),
      eList: new Int32Array(nE),
      stamp: 0,
    };
  }

  /** Ranks entries for a message; `allow` filters entries (validity, channel, enabled). */
  search(text: string, opts: { k?: number; allow?: (entry: MatcherEntry) => boolean } = {}): Ranked {
    const k = opts.k ?? 10;
    const q = normalize(text);
    const terms = termsOf(q, this.lexicon);
    const sc = this.scratch;
    const stamp = ++sc.stamp;
    let nq = 0;
    let ne = 0;
    for (const s of streams) {
      const qBound = this.index[s].q.bound(terms[s]) || 1;
      nq = this.index[s].q.score(terms[s], streamWeight[s] / qBound, sc.q, sc.qMark, stamp, sc.qList, nq);
      const eBound = this.index[s].e.bound(terms[s]) || 1;
      ne = this.index[s].e.score(terms[s], streamWeight[s] / eBound, sc.e, sc.eMark, stamp, sc.eList, ne);
    }
    // The best question of each entry (entries are always touched when one of their questions is).
    const best = new Map<number, { score: number; doc: number }>();
    for (let i = 0; i < nq; i++) {
      const d = sc.qList[i]!;
      const e = this.qDocs[d]!.entry;
      const cur = best.get(e);
      if (!cur || sc.q[d]! > cur.score) best.set(e, { score: sc.q[d]!, doc: d });
    }
    const combined = (e: number) => bestQuestionShare * (best.get(e)?.score ?? 0) + (1 - bestQuestionShare) * sc.e[e]!;
    const scored: { e: number; c: number }[] = [];
    for (let i = 0; i < ne; i++) {
      const e = sc.eList[i]!;
      if (!opts.allow || opts.allow(this.entries[e]!)) scored.push({ e, c: combined(e) });
    }
    const pool = topK(scored, Math.max(k, 10));
    const bestDoc = (e: number) => best.get(e)?.doc ?? -1;
    const bestScore = (e: number) => best.get(e)?.score ?? 0;
    const words = terms.words;
    const unknown = words.filter((w) => this.index.words.e.df(w) === 0).length;
    const unknownShare = words.length ? unknown / words.length : q ? 1 : 1;
    const queryEntities = this.entities.filter((x) => q.includes(x));
    const form = questionForm(q);
    const neg = negated(q);
    const cands = pool.map(({ e, c }, rank) => {
      const doc = bestDoc(e) >= 0 ? this.qDocs[bestDoc(e)]! : { text: normalize(this.entries[e]!.question) };
      const lcs = longestCommonSubstring(q, doc.text) / Math.max(1, Math.min(q.length, doc.text.length));
      const f = questionForm(doc.text);
      const gate = queryEntities.some((x) => !this.entryText[e]!.includes(x)) ? 1 : 0;
      const features = [
        c,
        lcs,
        form && f ? (form === f ? 1 : 0) : 0.5,
        neg === negated(doc.text) ? 0 : 1,
        gate,
        bestScore(e) / Math.max(1e-9, c),
        1 / (rank + 1),
      ];
      return { e, id: this.entries[e]!.id, question: this.entries[e]!.question, features, score: 0 };
    });
    for (const c of cands) c.score = logit(this.calibration.rerank, c.features);
    cands.sort((a, b) => b.score - a.score);
    const top = cands[0];
    let confidence = 0;
    let confidenceFeatures: number[] = [];
    if (top) {
      const coverage = words.length
        ? words.filter((w) => this.entryText[top.e]!.includes(w)).length / words.length
        : top.features[1]!;
      confidenceFeatures = this.confidenceFeatures(cands, coverage, unknownShare);
      confidence = sigmoid(logit(this.calibration.confidence, confidenceFeatures));
    }
    const { answerAt, suggestAt } = this.calibration;
    return {
      candidates: cands.slice(0, k).map(({ id, score, question, features }) => ({ id, score, question, features })),
      confidence,
      band: !top ? 'handoff' : confidence >= answerAt ? 'answer' : confidence >= suggestAt ? 'suggest' : 'handoff',
      unknownShare,
      gated: top ? top.features[4] === 1 : false,
      confidenceFeatures,
    };
  }

  private confidenceFeatures(
    cands: { score: number; features: number[] }[],
    coverage: number,
    unknownShare: number,
  ): number[] {
    const [a, b] = cands;
    return [
      a!.score,
      a!.score - (b?.score ?? a!.score - 2),
      a!.features[0]!,
      coverage,
      unknownShare,
      a!.features[4]!,
      a!.features[1]!,
    ];
  }

  /**
   * Learns the re-ranker and the confidence from labelled examples (label null: should be handed
   * off) and picks the answer threshold for `precision`. Needs both right and wrong top answers;
   * otherwise keeps the current calibration.
   */
  train(examples: readonly Example[], precision = 0.9): Calibration {
    const rx: number[][] = [];
    const ry: number[] = [];
    for (const ex of examples) {
      if (!ex.label) continue;
      const ok = new Set([ex.label, ...(ex.accept ?? [])]);
      const r = this.search(ex.query, { k: 10 });
      if (!r.candidates.some((c) => ok.has(c.id))) continue;
      for (const c of r.candidates) {
        rx.push(c.features);
        ry.push(ok.has(c.id) ? 1 : 0);
      }
    }
    const before = this.calibration;
    if (ry.includes(1) && ry.includes(0))
      this.calibration = { ...before, rerank: fitLogistic(rx, ry, { balance: true, l2: 0.05 }) };
    const cx: number[][] = [];
    const cy: number[] = [];
    for (const ex of examples) {
      const r = this.search(ex.query, { k: 10 });
      const top = r.candidates[0];
      if (!top) continue;
      const ok = ex.label ? new Set([ex.label, ...(ex.accept ?? [])]) : new Set<string>();
      cx.push(r.confidenceFeatures);
      cy.push(ok.has(top.id) ? 1 : 0);
    }
    if (cy.includes(1) && cy.includes(0)) {
      this.calibration = { ...this.calibration, confidence: fitLogistic(cx, cy, { l2: 0.05 }) };
      const scored = examples.map((ex) => {
        const r = this.search(ex.query);
        const ok = ex.label ? new Set([ex.label, ...(ex.accept ?? [])]) : new Set<string>();
        return { conf: r.confidence, right: !!r.candidates[0] && ok.has(r.candidates[0].id) };
      });
      const answerAt = chooseThreshold(scored, precision);
      this.calibration = { ...this.calibration, answerAt, suggestAt: Math.min(answerAt * 0.5, 0.3) };
    }
    return this.calibration;
  }
}

/** The `k` highest by `c`, highest first (a partial selection: no full sort of every touched entry). */
function topK<T extends { c: number }>(xs: T[], k: number): T[] {
  if (xs.length <= k * 4) return xs.sort((a, b) => b.c - a.c).slice(0, k);
  const top: T[] = [];
  let floor = -Infinity;
  for (const x of xs) {
    if (top.length >= k && x.c <= floor) continue;
    top.push(x);
    if (top.length > k * 2) {
      top.sort((a, b) => b.c - a.c);
      top.length = k;
      floor = top[k - 1]!.c;
    }
  }
  return top.sort((a, b) => b.c - a.c).slice(0, k);
}
