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
  form: string | null;
  negated: boolean;
  han: boolean;
  entities: string[];
};

/** One question of a candidate, as indexed. */
export type QuestionView = { text: string; words: ReadonlySet<string>; bi: ReadonlySet<string> };

const hanRe = /\p{Script=Han}/u;
export const isHan = (t: string) => hanRe.test(t);

function covered(idf: Map<string, number>, has: (t: string) => boolean): number {
  let all = 0;
  let hit = 0;
  for (const [t, w] of idf) {
    all += w;
    if (has(t)) hit += w;
  }
  return all ? hit / all : 0;
}

/** Share (idf-weighted) of a question's own terms that the query contains. */
function reverseCovered(q: QuestionView, query: QueryView, idfOf: (t: string, bi: boolean) => number): number {
  let all = 0;
  let hit = 0;
  for (const w of q.words) {
    const x = idfOf(w, false);
    all += x;
    if (query.wordIdf.has(w)) hit += x;
  }
  for (const b of q.bi) {
    const x = idfOf(b, true) * 0.5;
    all += x;
    if (query.biIdf.has(b)) hit += x;
  }
  return all ? hit / all : 0;
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
export function candidateFeatures(
  query: QueryView,
  questions: readonly QuestionView[],
  entryText: string,
  scores: CandidateScores,
  idfOf: (t: string, bi: boolean) => number,
): number[] {
  let wordsBest = 0;
  let biBest = 0;
  let rev = 0;
  let lcsShort = 0;
  let lcsQuery = 0;
  let closest = questions[0];
  const words = new Set<string>();
  const bi = new Set<string>();
  for (const q of questions) {
    for (const w of q.words) words.add(w);
    for (const b of q.bi) bi.add(b);
    wordsBest = Math.max(
      wordsBest,
      covered(query.wordIdf, (t) => q.words.has(t)),
    );
    biBest = Math.max(
      biBest,
      covered(query.biIdf, (t) => q.bi.has(t)),
    );
    rev = Math.max(rev, reverseCovered(q, query, idfOf));
    const l = longestCommonSubstring(query.text, q.text);
    const s = l / Math.max(1, Math.min(query.text.length, q.text.length));
    if (s > lcsShort) {
      lcsShort = s;
      closest = q;
    }
    lcsQuery = Math.max(lcsQuery, l / Math.max(1, query.text.length));
  }
  const form = closest ? questionForm(closest.text) : null;
  const gate = query.entities.some((x) => !entryText.includes(x)) ? 1 : 0;
  return [
    scores.combined,
    scores.best,
    scores.doc,
    wordsBest,
    covered(query.wordIdf, (t) => words.has(t)),
    query.biIdf.size ? biBest : wordsBest,
    query.biIdf.size ? covered(query.biIdf, (t) => bi.has(t)) : wordsBest,
    rev,
    lcsShort,
    lcsQuery,
    query.form && form ? (query.form === form ? 1 : 0) : 0.5,
    closest && query.negated !== negated(closest.text) ? 1 : 0,
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
