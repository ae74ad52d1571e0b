/**
 * The bot on a small shop's base (the demo's: a few dozen entries with similar questions), as every
 * index build calibrates it (`selfCalibrate`). With a few dozen held-out questions to learn from,
 * the hand-set confidence is rescaled, not refitted weight by weight: a refit once put negative
 * weights on the re-rank score and its margin, so a shopper asking an entry's own question in
 * English got 0.53 and a suggestion instead of the answer.
 */
import { describe, expect, it } from 'vitest';
import { demoEntries, demoTerms } from '../knowledge/index.ts';
import { selfCalibrate } from './engine/evaluate.ts';
import { defaultCalibration, Matcher } from './engine/matcher.ts';
import { lexiconOf } from './engine/text.ts';

const entries = demoEntries.map((e, i) => ({
  id: `e${i}`,
  question: e.question,
  similar: e.similar ?? [],
  products: e.products,
}));

function demoMatcher(): Matcher {
  const lexicon = lexiconOf(demoTerms);
  const m = new Matcher(entries, lexicon);
  selfCalibrate(m, lexicon);
  return m;
}

describe('self-calibration of a small base', () => {
  it('learns from the base itself: the demo base is large enough to calibrate on', () => {
    const m = demoMatcher();
    expect(m.calibration).not.toEqual(defaultCalibration());
    expect(m.calibration.answerAt).toBeGreaterThan(0.5);
    expect(m.calibration.answerAt).toBeLessThan(0.95);
  });

  it('keeps the order of the hand-set confidence: every weight scaled by one positive factor', () => {
    const hand = defaultCalibration().confidence;
    const { confidence } = demoMatcher().calibration;
    const factor = confidence.w[0]! / hand.w[0]!;
    expect(factor).toBeGreaterThan(0);
    confidence.w.forEach((w, i) => expect(w).toBeCloseTo(hand.w[i]! * factor, 9));
  });

  it("answers every entry's own question with that entry, in Chinese and English", () => {
    const m = demoMatcher();
    const missed = entries.filter((e) => {
      const r = m.search(e.question, { k: 1 });
      return r.band !== 'answer' || r.candidates[0]?.id !== e.id;
    });
    expect(missed.map((e) => e.question)).toEqual([]);
  });

  it('answers paraphrases it is sure of and hands off what the shop does not cover', () => {
    const m = demoMatcher();
    const answered = (q: string) => {
      const r = m.search(q, { k: 1 });
      return r.band === 'answer' ? r.candidates[0]!.question : null;
    };
    expect(answered('衣服尺码怎么选')).toBe('尺码怎么选？');
    expect(answered('包邮吗')).toBe('满多少包邮？');
    expect(answered('can I pay with paypal')).toBe('What payment methods do you accept?');
    for (const q of ['what is the weather today', 'do you sell iphones', '今天天气怎么样'])
      expect(m.search(q, { k: 1 }).band, q).toBe('handoff');
  });
});
