/**
 * Training the re-ranker and the confidence from labelled examples (a shop's confirmed questions,
 * ratings and corrections; the eval's dev file). Everything the confidence and the threshold are
 * fitted on is out of fold: each example is searched with learned questions from the other folds
 * only, and re-ranked by a model fitted on the other folds, so they judge the bot as it behaves
 * on questions it has not seen.
 */
import { poolSize, topFeatures } from './features.ts';
import { chooseThreshold, expectedThreshold, fitLogistic, fitRanking, logit, sigmoid, type Model } from './learn.ts';
import type { Calibration, Example, Matcher } from './matcher.ts';

type Record = {
  fold: number;
  /** Right entries (empty: should be handed off). */
  ok: Set<string>;
  ids: string[];
  xs: number[][];
  unknownShare: number;
  queryTerms: number;
};

const rankGroups = (rs: readonly Record[]) =>
  rs
    .filter((r) => r.ids.some((id) => r.ok.has(id)) && !r.ids.every((id) => r.ok.has(id)))
    .map((r) => ({ xs: r.xs, ys: r.ids.map((id) => (r.ok.has(id) ? 1 : 0)) }));

function fitRerank(rs: readonly Record[], on = true): Model | null {
  const groups = on ? rankGroups(rs) : [];
  return groups.length >= 5 ? fitRanking(groups, { l2: 0.002, iterations: 600 }) : null;
}

/**
 * With `rescale` (the confidence was made for the re-ranker this training keeps) and fewer examples
 * than this, the confidence is not refitted weight by weight — fifteen weights fitted on a few dozen
 * examples fit noise: a small base's self-calibration once put negative weights on the re-rank
 * score and its margin, so a shopper asking an entry's own question got 0.53 — but rescaled: the
 * model it had is kept and only its slope and offset are fitted (Platt scaling).
 */
const fullConfidenceMin = 200;

/**
 * `m` with its logit scaled and shifted to fit `ys`, and where the threshold `answerAt` of `m` lies
 * on the new scale (kept as it was if the fit's slope is not positive).
 */
function rescaled(m: Model, answerAt: number, xs: readonly { x: number[] }[], ys: readonly number[]) {
  const fit = fitLogistic(
    xs.map((c) => [logit(m, c.x)]),
    ys,
    { l2: 0.002, iterations: 800 },
  );
  const a = fit.w[0]! / fit.scale[0]!;
  if (!(a > 0)) return { model: m, was: answerAt };
  const c = fit.b - a * fit.mean[0]!;
  const p = Math.min(1 - 1e-9, Math.max(1e-9, answerAt)); // a saturated threshold stays finite
  const was = sigmoid(a * Math.log(p / (1 - p)) + c);
  return { model: { ...m, w: m.w.map((w) => a * w), b: a * m.b + c }, was };
}

export function trainMatcher(
  m: Matcher,
  examples: readonly Example[],
  precision: number,
  opts: { learn?: boolean; folds?: number; rerank?: boolean; confidence?: boolean; rescale?: boolean } = {},
): Calibration {
  const before = m.calibration;
  const learn = opts.learn ?? true;
  const n = Math.max(2, Math.min(opts.folds ?? 5, examples.length));
  const records: Record[] = [];
  for (let f = 0; f < n; f++) {
    if (learn) m.setLearned(examples.filter((_, i) => i % n !== f));
    examples.forEach((ex, i) => {
      if (i % n !== f) return;
      // Every candidate the re-ranker sees (the pool and what learned questions add), in any order.
      const r = m.search(ex.query, { k: poolSize * 2 });
      records.push({
        fold: f,
        ok: new Set(ex.label ? [ex.label, ...(ex.accept ?? [])] : []),
        ids: r.candidates.map((c) => c.id),
        xs: r.candidates.map((c) => c.features),
        unknownShare: r.unknownShare,
        queryTerms: r.queryTerms,
      });
    });
  }
  if (learn) m.setLearned(examples);
  const rerank = fitRerank(records, opts.rerank ?? true) ?? before.rerank;
  m.calibration = { ...before, rerank };
  // Without examples to hand off the confidence cannot learn where to stop: it stays as it was.
  if (opts.confidence === false) return m.calibration;
  // Out-of-fold re-ranking of every example, then the confidence of its top answer.
  const conf: { x: number[]; right: boolean }[] = [];
  for (let f = 0; f < n; f++) {
    const model =
      fitRerank(
        records.filter((r) => r.fold !== f),
        opts.rerank ?? true,
      ) ?? rerank;
    for (const r of records) {
      if (r.fold !== f || !r.ids.length) continue;
      const ranked = r.xs.map((x, i) => ({ id: r.ids[i]!, features: x, score: logit(model, x) }));
      ranked.sort((a, b) => b.score - a.score);
      conf.push({ x: topFeatures(ranked, r.unknownShare, r.queryTerms), right: r.ok.has(ranked[0]!.id) });
    }
  }
  const ys = conf.map((c) => (c.right ? 1 : 0));
  if (!ys.includes(1) || !ys.includes(0)) return m.calibration;
  const full = conf.length >= fullConfidenceMin;
  const small = full || !opts.rescale ? null : rescaled(before.confidence, before.answerAt, conf, ys);
  const confidence =
    small?.model ??
    fitLogistic(
      conf.map((c) => c.x),
      ys,
      { l2: 0.002, iterations: 800 },
    );
  const scored = conf.map((c) => ({ conf: sigmoid(logit(confidence, c.x)), right: c.right }));
  const counted = chooseThreshold(scored, precision);
  // With enough examples for a full fit: the stricter of the counted threshold and where the model
  // itself promises as much. With few: the counted one, but never looser than the bot was before
  // (a few dozen examples can show it must answer less, not that it may answer more).
  const answerAt = small
    ? Math.max(counted, small.was)
    : Math.max(
        counted,
        expectedThreshold(
          scored.map((x) => x.conf),
          precision,
        ),
      );
  m.calibration = { rerank, confidence, answerAt, suggestAt: Math.min(answerAt * 0.5, 0.3) };
  return m.calibration;
}
