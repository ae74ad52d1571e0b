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
  candidateFeatures,
  gateFeature,
  isHan,
  poolSize,
  questionView,
  sumOf,
  topFeatures,
  type EntryView,
  type QueryView,
} from './features.ts';
import { LearnedQuestions } from './learned.ts';
import { logit, negated, questionForm, sigmoid, type Model } from './learn.ts';
import { trainMatcher } from './train.ts';
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
  /** Word and bigram terms of the query. */
  queryTerms: number;
};
export type Example = { query: string; label: string | null; accept?: readonly string[] };
export type Calibration = { rerank: Model; confidence: Model; answerAt: number; suggestAt: number };

const streams = ['words', 'uni', 'bi'] as const;
const streamWeight = { words: 0.45, uni: 0.2, bi: 0.35 };
const bestQuestionShare = 0.6;

const fixed = (w: number[], b: number): Model => ({ mean: w.map(() => 0), scale: w.map(() => 1), w, b });
/**
 * The re-ranker before a shop's own data: fitted once on the team's e-commerce dev questions
 * (bench/bot/dev.jsonl, `kefu bot eval` protocol: never the test file) as a general prior, over
 * `rerankFeatureNames`; learned-question features are 0 without feedback. A shop's ratings, or an
 * eval's `--dev`, refit it. The confidence's untrained weights are set by hand on raw features.
 */
const defaultRerank: Model = {
  mean: [
    0.0524, 0.048, 0.0588, 0.146, 0.152, 0.0809, 0.0829, 0.199, 0.312, 0.19, 0.565, 0.211, 0.128, 0.00143, 0.205, 0.101,
    0, 0,
  ],
  scale: [
    0.0428, 0.0369, 0.0538, 0.131, 0.141, 0.113, 0.116, 0.188, 0.156, 0.0931, 0.228, 0.408, 0.334, 0.0378, 0.24, 0.0703,
    1, 1,
  ],
  w: [
    0.247, -0.404, 0.906, -0.186, -0.0511, -1.27, 0.971, 0.271, 0.174, 0.162, -0.0476, 0.0883, -0.064, -0.257, 0.487,
    -0.15, 0, 0,
  ],
  b: 0,
};
const defaultConfidence = fixed([0.3, 0.5, 2, 3, 2, 1.5, 1.5, 2, -2.5, -1.5, 0, 1, 0.5, 0, 0], -8.2);
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
  private readonly qTerms: Terms[] = [];
  private readonly views: (EntryView | undefined)[] = [];
  /** Entry i's questions are qDocs[entryStart[i]] … qDocs[entryStart[i + 1] - 1]. */
  private readonly entryStart: Int32Array;
  private readonly index: Record<(typeof streams)[number], { q: Bm25; e: Bm25 }>;
  private readonly entryText: string[];
  private readonly entities: string[];
  calibration: Calibration = defaultCalibration();
  private learnedQuestions: LearnedQuestions | null = null;
  private readonly byId: Map<string, number>;
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
    const qTerms = this.qTerms;
    this.entryStart = new Int32Array(entries.length + 1);
    const eTerms: Terms[] = entries.map(() => ({ words: [], uni: [], bi: [] }));
    this.entryText = entries.map((e) => normalize([e.question, ...e.similar, ...(e.products ?? [])].join(' ')));
    entries.forEach((e, i) => {
      this.entryStart[i] = this.qDocs.length;
      for (const q of [e.question, ...e.similar]) {
        const text = normalize(q);
        const t = termsOf(text, this.lexicon);
        this.qDocs.push({ entry: i, text });
        qTerms.push(t);
        for (const s of streams) eTerms[i]![s].push(...t[s]);
      }
    });
    this.entryStart[entries.length] = this.qDocs.length;
    this.index = Object.fromEntries(
      streams.map((s) => [s, { q: new Bm25(qTerms.map((t) => t[s])), e: new Bm25(eTerms.map((t) => t[s])) }]),
    ) as Matcher['index'];
    this.entities = this.lexicon.words;
    this.byId = new Map(entries.map((e, i) => [e.id, i]));
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
    const best = new Map<number, number>();
    for (let i = 0; i < nq; i++) {
      const d = sc.qList[i]!;
      const e = this.qDocs[d]!.entry;
      const cur = best.get(e);
      if (cur === undefined || sc.q[d]! > cur) best.set(e, sc.q[d]!);
    }
    const bestScore = (e: number) => best.get(e) ?? 0;
    const learned = this.learnedQuestions?.best(terms) ?? new Map<number, number>();
    const docScore = (e: number) => (sc.eMark[e] === stamp ? sc.e[e]! : 0);
    const scored: { e: number; c: number }[] = [];
    const allowed = (e: number) => !opts.allow || opts.allow(this.entries[e]!);
    const combined = (e: number) => bestQuestionShare * bestScore(e) + (1 - bestQuestionShare) * docScore(e);
    for (let i = 0; i < ne; i++) {
      const e = sc.eList[i]!;
      if (allowed(e)) scored.push({ e, c: combined(e) });
    }
    const pool = topK(scored, Math.max(k, poolSize));
    const words = terms.words;
    const unknown = words.filter((w) => this.index.words.e.df(w) === 0).length;
    const unknownShare = words.length ? unknown / words.length : 1;
    const wordIdf = new Map(words.map((w) => [w, this.index.words.q.idf(w)]));
    const biIdf = new Map(terms.bi.map((b) => [b, this.index.bi.q.idf(b)]));
    const view: QueryView = {
      text: q,
      terms,
      wordIdf,
      biIdf,
      wordIdfSum: sumOf(wordIdf),
      biIdfSum: sumOf(biIdf),
      form: questionForm(q),
      negated: negated(q),
      han: isHan(q),
      entities: this.entities.filter((x) => q.includes(x)),
    };
    const first = pool[0]?.c ?? 0;
    const cands = pool.map(({ e, c }, rank) => {
      const learnedDocs = this.learnedQuestions?.byEntry.get(e) ?? [];
      const features = candidateFeatures(view, this.entryView(e), {
        combined: c,
        best: bestScore(e),
        doc: docScore(e),
        rank,
        firstCombined: first,
        learned: learned.get(e) ?? 0,
        learnedTexts: learnedDocs.map((d) => this.learnedQuestions!.texts[d]!),
      });
      return { e, id: this.entries[e]!.id, question: this.entries[e]!.question, features, score: 0 };
    });
    for (const c of cands) c.score = logit(this.calibration.rerank, c.features);
    cands.sort((a, b) => b.score - a.score);
    const top = cands[0];
    const queryTerms = words.length + terms.bi.length;
    const confidenceFeatures = topFeatures(cands, unknownShare, queryTerms);
    const confidence = top ? sigmoid(logit(this.calibration.confidence, confidenceFeatures)) : 0;
    const { answerAt, suggestAt } = this.calibration;
    return {
      candidates: cands.slice(0, k).map(({ id, score, question, features }) => ({ id, score, question, features })),
      confidence,
      band: !top ? 'handoff' : confidence >= answerAt ? 'answer' : confidence >= suggestAt ? 'suggest' : 'handoff',
      unknownShare,
      gated: top ? top.features[gateFeature] === 1 : false,
      confidenceFeatures,
      queryTerms,
    };
  }

  /**
   * An entry as the features read it: its questions' term sets and reverse-coverage weights, the
   * union of their terms (built on first use, then kept: the index never changes).
   */
  private entryView(e: number): EntryView {
    let v = this.views[e];
    if (v) return v;
    const idfOf = (t: string, bi: boolean) => (bi ? this.index.bi.q : this.index.words.q).idf(t);
    const questions = [];
    const words = new Set<string>();
    const bi = new Set<string>();
    for (let d = this.entryStart[e]!; d < this.entryStart[e + 1]!; d++) {
      const q = questionView(this.qDocs[d]!.text, this.qTerms[d]!, idfOf);
      for (const w of q.words) words.add(w);
      for (const b of q.bi) bi.add(b);
      questions.push(q);
    }
    v = this.views[e] = { questions, words, bi, text: this.entryText[e]! };
    return v;
  }

  /**
   * Indexes shoppers' questions the shop confirmed as learned questions of their entries (examples
   * without a label, or with one the knowledge base lacks, are left out). Replaces the previous set.
   */
  setLearned(examples: readonly Example[]): void {
    const items: { entry: number; text: string; terms: Terms }[] = [];
    for (const ex of examples) {
      const entry = ex.label ? this.byId.get(ex.label) : undefined;
      if (entry === undefined) continue;
      const text = normalize(ex.query);
      if (text) items.push({ entry, text, terms: termsOf(text, this.lexicon) });
    }
    this.learnedQuestions = items.length ? new LearnedQuestions(items) : null;
  }

  get learnedCount(): number {
    return this.learnedQuestions?.size ?? 0;
  }

  /**
   * Learns the re-ranker and the confidence from labelled examples (label null: should be handed
   * off), picks the answer threshold for `precision`, and (unless `learn` is false) keeps the
   * labelled examples as learned questions. See `train.ts`.
   */
  train(
    examples: readonly Example[],
    precision = 0.9,
    opts: { learn?: boolean; folds?: number; rerank?: boolean; confidence?: boolean; rescale?: boolean } = {},
  ): Calibration {
    return trainMatcher(this, examples, precision, opts);
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
