/**
 * What the re-ranker and the confidence see. A candidate entry is described by how well its
 * questions cover the query and the query covers them (idf-weighted, per stream, by the best
 * question and by the entry as a whole), by the longest common substring with its closest
 * question, by question form, negation, the entity gate, script and rank. Every feature is a
 * share or a small score, so the same model fits Chinese and English, short and long bases.
 */
import { longestCommonSubstring, negated, questionForm } from './learn.ts';
import type { Terms } from './text.ts';

/** Candidates the re-ranker sees. */
export const poolSize = 20;

export const rerankFeatureNames = [
  'combined',
  'bestQuestion',
  'entryDoc',
  'wordsByBest',
  'wordsByEntry',
  'bigramsByBest',
  'bigramsByEntry',
  'bestCoveredByQuery',
  'lcsShorter',
  'lcsQuery',
  'formMatch',
  'negationMismatch',
  'gate',
  'scriptMismatch',
  'invRank',
  'gapToFirst',
  'learned',
  'learnedLcs',
] as const;
export const gateFeature = rerankFeatureNames.indexOf('gate');

export const confidenceFeatureNames = [
  'rerankLogit',
  'rerankMargin',
  'softmaxTop',
  'combined',
  'wordsByEntry',
  'bigramsByBest',
  'bestCoveredByQuery',
  'lcsShorter',
  'unknownShare',
  'gate',
  'queryTerms',
  'learned',
  'invRank',
  'entryDoc',
  'bigramsByEntry',
] as const;

/** The query side, computed once per search. */
export type QueryView = {
  text: string;
  terms: Terms;
  /** idf of each distinct query word and bigram (question-level document frequency). */
  wordIdf: Map<string, number>;
  biIdf: Map<string, number>;
  /** The sums of `wordIdf` and `biIdf` (in their order). */
  wordIdfSum: number;
  biIdfSum: number;
  form: string | null;
  negated: boolean;
  han: boolean;
  entities: string[];
};

/** One question of a candidate, as indexed (everything here is fixed once the index is built). */
export type QuestionView = {
  text: string;
  words: ReadonlySet<string>;
  bi: ReadonlySet<string>;
  /** Its words and bigrams (set order) with their reverse-coverage weights (idf; bigrams × 0.5), and their sum. */
  revWords: readonly string[];
  revWordW: readonly number[];
  revBi: readonly string[];
  revBiW: readonly number[];
  revAll: number;
  form: string | null;
  negated: boolean;
  /** Where each character (UTF-16 code) occurs in `text` (1-based, ascending): for `lcsWith`. */
  positions: ReadonlyMap<number, readonly number[]>;
};

/** A candidate entry as the features read it: its questions, the union of their terms, its text. */
export type EntryView = {
  questions: readonly QuestionView[];
  words: ReadonlySet<string>;
  bi: ReadonlySet<string>;
  text: string;
};

/** The view of one indexed question; `idfOf` is the index's question-level idf. */
export function questionView(
  text: string,
  terms: { words: readonly string[]; bi: readonly string[] },
  idfOf: (t: string, bi: boolean) => number,
): QuestionView {
  const words = new Set(terms.words);
  const bi = new Set(terms.bi);
  const revWords = [...words];
  const revBi = [...bi];
  const revWordW = revWords.map((w) => idfOf(w, false));
  const revBiW = revBi.map((b) => idfOf(b, true) * 0.5);
  const positions = new Map<number, number[]>();
  for (let j = 1; j <= text.length; j++) {
    const c = text.charCodeAt(j - 1);
    const p = positions.get(c);
    if (p) p.push(j);
    else positions.set(c, [j]);
  }
  let revAll = 0;
  for (const x of revWordW) revAll += x;
  for (const x of revBiW) revAll += x;
  return {
    text,
    words,
    bi,
    revWords,
    revWordW,
    revBi,
    revBiW,
    revAll,
    form: questionForm(text),
    negated: negated(text),
    positions,
  };
}

/** Rows of `lcsWith`, reused; all zero between calls. */
let lcsRows = [new Uint16Array(64), new Uint16Array(64)];
let lcsTouched = [new Int32Array(64), new Int32Array(64)];

/**
 * `longestCommonSubstring(a, q.text)`, the same dynamic programme, touching only the cells where
 * the characters match (through `q.positions`): O(|a| + matches) instead of O(|a| × |q.text|).
 */
export function lcsWith(a: string, q: QuestionView): number {
  const m = q.text.length;
  if (!a || !m) return 0;
  if (lcsRows[0]!.length <= m) {
    const size = Math.max(m + 1, lcsRows[0]!.length * 2);
    lcsRows = [new Uint16Array(size), new Uint16Array(size)];
    lcsTouched = [new Int32Array(size), new Int32Array(size)];
  }
  let [prev, cur] = lcsRows as [Uint16Array, Uint16Array];
  let [prevT, curT] = lcsTouched as [Int32Array, Int32Array];
  let prevN = 0;
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    const ps = q.positions.get(a.charCodeAt(i));
    let curN = 0;
    if (ps)
      for (const j of ps) {
        const v = prev[j - 1]! + 1;
        cur[j] = v;
        curT[curN++] = j;
        if (v > best) best = v;
      }
    for (let k = 0; k < prevN; k++) prev[prevT[k]!] = 0;
    [prev, cur] = [cur, prev];
    [prevT, curT] = [curT, prevT];
    prevN = curN;
  }
  for (let k = 0; k < prevN; k++) prev[prevT[k]!] = 0;
  return best;
}

/** The sum of a map's values, in its order. */
export function sumOf(m: ReadonlyMap<string, number>): number {
  let s = 0;
  for (const w of m.values()) s += w;
  return s;
}

const hanRe = /\p{Script=Han}/u;
export const isHan = (t: string) => hanRe.test(t);

/** Share of `all` (the idf sum of the query's terms) that `has` covers. */
function covered(idf: Map<string, number>, all: number, has: (t: string) => boolean): number {
  if (!all) return 0;
  let hit = 0;
  for (const [t, w] of idf) if (has(t)) hit += w;
  return hit / all;
}

/** Share (idf-weighted) of a question's own terms that the query contains. */
function reverseCovered(q: QuestionView, query: QueryView): number {
  if (!q.revAll) return 0;
  let hit = 0;
  for (let i = 0; i < q.revWords.length; i++) if (query.wordIdf.has(q.revWords[i]!)) hit += q.revWordW[i]!;
  for (let i = 0; i < q.revBi.length; i++) if (query.biIdf.has(q.revBi[i]!)) hit += q.revBiW[i]!;
  return hit / q.revAll;
}

export type CandidateScores = {
  combined: number;
  best: number;
  doc: number;
  rank: number;
  firstCombined: number;
  /** Best score among the entry's learned questions, and their texts. */
  learned: number;
  learnedTexts: readonly string[];
};

/** The re-ranker's features of one candidate entry (see `rerankFeatureNames`). */
export function candidateFeatures(query: QueryView, entry: EntryView, scores: CandidateScores): number[] {
  const { questions, text: entryText } = entry;
  let wordsBest = 0;
  let biBest = 0;
  let rev = 0;
  let lcsShort = 0;
  let lcsQuery = 0;
  let closest = questions[0];
  const { words, bi } = entry;
  for (const q of questions) {
    wordsBest = Math.max(
      wordsBest,
      covered(query.wordIdf, query.wordIdfSum, (t) => q.words.has(t)),
    );
    biBest = Math.max(
      biBest,
      covered(query.biIdf, query.biIdfSum, (t) => q.bi.has(t)),
    );
    rev = Math.max(rev, reverseCovered(q, query));
    const l = lcsWith(query.text, q);
    const s = l / Math.max(1, Math.min(query.text.length, q.text.length));
    if (s > lcsShort) {
      lcsShort = s;
      closest = q;
    }
    lcsQuery = Math.max(lcsQuery, l / Math.max(1, query.text.length));
  }
  const form = closest ? closest.form : null;
  const gate = query.entities.some((x) => !entryText.includes(x)) ? 1 : 0;
  return [
    scores.combined,
    scores.best,
    scores.doc,
    wordsBest,
    covered(query.wordIdf, query.wordIdfSum, (t) => words.has(t)),
    query.biIdf.size ? biBest : wordsBest,
    query.biIdf.size ? covered(query.biIdf, query.biIdfSum, (t) => bi.has(t)) : wordsBest,
    rev,
    lcsShort,
    lcsQuery,
    query.form && form ? (query.form === form ? 1 : 0) : 0.5,
    closest && query.negated !== closest.negated ? 1 : 0,
    gate,
    query.han === isHan(entryText) ? 0 : 1,
    1 / (scores.rank + 1),
    scores.firstCombined - scores.combined,
    scores.learned,
    scores.learnedTexts.reduce(
      (m, t) => Math.max(m, longestCommonSubstring(query.text, t) / Math.max(1, Math.min(query.text.length, t.length))),
      0,
    ),
  ];
}

/** The confidence's features of the re-ranked top answer (see `confidenceFeatureNames`). */
export function topFeatures(
  ranked: readonly { score: number; features: readonly number[] }[],
  unknownShare: number,
  queryTerms: number,
): number[] {
  const [a, b] = ranked;
  if (!a) return [];
  let z = 0;
  for (const c of ranked) z += Math.exp(c.score - a.score);
  const f = (name: (typeof rerankFeatureNames)[number]) => a.features[rerankFeatureNames.indexOf(name)]!;
  return [
    a.score,
    b ? Math.min(6, a.score - b.score) : 6,
    1 / z,
    f('combined'),
    f('wordsByEntry'),
    f('bigramsByBest'),
    f('bestCoveredByQuery'),
    f('lcsShorter'),
    unknownShare,
    f('gate'),
    Math.log1p(queryTerms),
    f('learned'),
    f('invRank'),
    f('entryDoc'),
    f('bigramsByEntry'),
  ];
}
