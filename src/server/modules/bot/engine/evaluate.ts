/**
 * Quality figures of the engine on labelled files (`kefu bot eval`, `npm run bench -- bot`, CI):
 * top-1, MRR@10 and recall@5 over in-scope queries; at the threshold chosen on the dev file (or on
 * the knowledge base's own similar questions without one) the share answered, the share of
 * answers right, and the share of out-of-scope queries handed off.
 */
import type { Model } from './learn.ts';
import { Matcher, type Example, type MatcherEntry } from './matcher.ts';
import { lexiconOf, type Lexicon } from './text.ts';

export type FaqLine = { id: string; question: string; similar?: string[]; answer?: string };
export type QueryLine = { id: string; query: string; label: string; accept?: string[] };
export type EvalReport = {
  top1: number;
  mrr10: number;
  recall5: number;
  coverage: number;
  precision: number;
  outOfScopeHandedOff: number;
  threshold: number;
  counts: {
    queries: number;
    inScope: number;
    outOfScope: number;
    answered: number;
    answeredRight: number;
    faq: number;
  };
};

const pct = (a: number, b: number) => (b ? Math.round((1000 * a) / b) / 10 : 0);

export const toExample = (q: QueryLine): Example => ({
  query: q.query,
  label: q.label === 'none' ? null : q.label,
  accept: q.accept,
});

/**
 * Learns from the knowledge base itself: one similar question of each entry (every third entry
 * that has two or more) is held out, the rest indexed, and the held-out ones are the examples;
 * every sixth entry is left out of the index altogether and one of its questions becomes an
 * example that should be handed off (a topic the base does not cover). `rerank`: the re-ranker to
 * calibrate for (default: the prior), e.g. one the shop's corrections refitted.
 */
export function selfCalibrate(m: Matcher, lexicon?: Lexicon, precision = 0.9, rerank?: Model): void {
  const held: Example[] = [];
  const rest: MatcherEntry[] = [];
  m.entries.forEach((e, i) => {
    if (i % 6 === 5) {
      held.push({ query: e.similar[i % Math.max(1, e.similar.length)] ?? e.question, label: null });
      return;
    }
    if (e.similar.length < 2 || i % 3 !== 0) return void rest.push(e);
    const k = i % e.similar.length;
    held.push({ query: e.similar[k]!, label: e.id });
    rest.push({ ...e, similar: e.similar.filter((_, j) => j !== k) });
  });
  if (held.filter((x) => x.label).length < 20) return;
  const sub = new Matcher(rest, lexicon);
  if (rerank) sub.calibration = { ...sub.calibration, rerank };
  // A base's own similar questions are too few and too alike to refit the re-ranker (it learns
  // how the base's writer phrases them): the prior stays, the confidence and threshold are fitted.
  // With the prior re-ranker the hand-set confidence is rescaled, not refitted (train.ts, `fullConfidenceMin`).
  m.calibration = sub.train(held, precision, { learn: false, rerank: false, rescale: !rerank });
}

export function buildMatcher(
  faq: readonly FaqLine[],
  dev?: readonly QueryLine[],
  lexicon?: Lexicon,
  precision = 0.9,
): Matcher {
  const m = new Matcher(
    faq.map((f) => ({ id: f.id, question: f.question, similar: f.similar ?? [] })),
    lexicon ?? lexiconOf([]),
  );
  if (dev?.length) m.train(dev.map(toExample), precision);
  else selfCalibrate(m, lexicon, precision);
  return m;
}

export function evaluate(m: Matcher, queries: readonly QueryLine[], faqCount = m.entries.length): EvalReport {
  let top1 = 0;
  let mrr = 0;
  let recall5 = 0;
  let inScope = 0;
  let outOfScope = 0;
  let oosHandedOff = 0;
  let answered = 0;
  let answeredRight = 0;
  for (const q of queries) {
    const r = m.search(q.query, { k: 10 });
    const ok = q.label === 'none' ? new Set<string>() : new Set([q.label, ...(q.accept ?? [])]);
    const rank = r.candidates.findIndex((c) => ok.has(c.id));
    const isAnswered = r.band === 'answer';
    if (q.label === 'none') {
      outOfScope++;
      if (!isAnswered) oosHandedOff++;
    } else {
      inScope++;
      if (rank === 0) top1++;
      if (rank >= 0 && rank < 10) mrr += 1 / (rank + 1);
      if (rank >= 0 && rank < 5) recall5++;
    }
    if (isAnswered) {
      answered++;
      if (rank === 0) answeredRight++;
    }
  }
  return {
    top1: pct(top1, inScope),
    mrr10: Math.round((1000 * mrr) / Math.max(1, inScope)) / 10,
    recall5: pct(recall5, inScope),
    coverage: pct(answered, queries.length),
    precision: pct(answeredRight, answered),
    outOfScopeHandedOff: pct(oosHandedOff, outOfScope),
    threshold: Math.round(m.calibration.answerAt * 1000) / 1000,
    counts: { queries: queries.length, inScope, outOfScope, answered, answeredRight, faq: faqCount },
  };
}
