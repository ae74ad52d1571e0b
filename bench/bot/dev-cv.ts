/**
 * `npx node bench/bot/dev-cv.ts`: 5-fold cross-validation of the bot on bench/bot/dev.jsonl only
 * (the test file is never read). For each fold the engine is trained on the other four folds (the
 * re-ranker, the confidence, the threshold and the learned questions, as `kefu bot eval --dev`
 * does) and scores the held-out fold. Printed per language (and overall), pooled over the folds:
 * top-1 and recall@5 over in-scope queries; the ROC AUC of the confidence (a right top answer
 * against a wrong one or an out-of-scope query); the coverage reachable at 90 % precision when
 * the pooled out-of-fold confidences are cut at the best threshold ("oracle"); and what the
 * thresholds the folds chose themselves give (coverage, precision, out-of-scope handed off).
 * Engine changes are judged on these figures. `--seed N` reshuffles the folds; `--json` prints
 * the figures as JSON; `--standard-only` removes the Chinese entries' similar questions (the
 * issue's held-out Chinese shape, without reading the test file). `se` is one standard error of
 * top-1 (binomial, over the pooled queries: shuffles reuse the same queries, so it is optimistic).
 *
 * Two engines are told apart far better query by query than by their figures' standard errors:
 * `--seeds 1,2,3,4` runs several shuffles, `--dump FILE` writes every scored query (id, seed, rank,
 * confidence) as JSON, and `--paired BEFORE.json AFTER.json` (no cross-validation) counts per
 * language the queries the second engine gets right at top-1 (and within the top five) that the
 * first does not, and the reverse, with the sign test's z ((wins − losses) / √(wins + losses);
 * shuffles repeat the same queries, so |z| ≥ 2 on three shuffles is weaker than it looks).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildMatcher, type FaqLine, type QueryLine } from '../../src/server/modules/bot/index.ts';
import { read } from './index.ts';

type Scored = {
  id: string;
  seed?: number;
  lang: 'zh' | 'en';
  inScope: boolean;
  rank: number;
  conf: number;
  answered: boolean;
};

/** A deterministic shuffle (the folds are the same every run for a seed). */
function shuffled<T>(xs: readonly T[], seed: number): T[] {
  let s = seed;
  const r = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** ROC AUC of `conf` for right top answers (positives) against the rest (Mann–Whitney, ties half). */
export function rocAuc(xs: readonly { conf: number; right: boolean }[]): number {
  const sorted = [...xs].sort((a, b) => a.conf - b.conf);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j]!.conf === sorted[i]!.conf) j++;
    const mid = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (!sorted[k]!.right) continue;
      rankSum += mid;
      pos++;
    }
    i = j;
  }
  const neg = sorted.length - pos;
  return pos && neg ? (rankSum - (pos * (pos + 1)) / 2) / (pos * neg) : NaN;
}

/** The largest share of all queries answered with precision ≥ `p` (at least 5 answered), cutting by confidence. */
export function coverageAt(xs: readonly { conf: number; right: boolean }[], p = 0.9): number {
  const sorted = [...xs].sort((a, b) => b.conf - a.conf);
  let right = 0;
  let best = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.right) right++;
    if (sorted[i + 1]?.conf === sorted[i]!.conf) continue;
    if (i >= 4 && right / (i + 1) >= p) best = (i + 1) / sorted.length;
  }
  return best;
}

export function crossValidate(faq: readonly FaqLine[], dev: readonly QueryLine[], seed = 1, folds = 5): Scored[] {
  const order = shuffled(dev, seed);
  const out: Scored[] = [];
  for (let f = 0; f < folds; f++) {
    const train = order.filter((_, i) => i % folds !== f);
    const held = order.filter((_, i) => i % folds === f);
    const m = buildMatcher(faq, train);
    for (const q of held) {
      const r = m.search(q.query, { k: 10 });
      const ok = new Set(q.label === 'none' ? [] : [q.label, ...(q.accept ?? [])]);
      out.push({
        id: q.id,
        lang: /\p{Script=Han}/u.test(q.query) ? 'zh' : 'en',
        inScope: q.label !== 'none',
        rank: r.candidates.findIndex((c) => ok.has(c.id)),
        conf: r.confidence,
        answered: r.band === 'answer',
      });
    }
  }
  return out;
}

const pct = (a: number, b: number) => (b ? Math.round((1000 * a) / b) / 10 : 0);

const hit = (xs: readonly Scored[]) => xs.filter((x) => x.rank === 0).length / xs.length;

export function summary(xs: readonly Scored[]) {
  const ins = xs.filter((x) => x.inScope);
  const oos = xs.filter((x) => !x.inScope);
  const judged = xs.map((x) => ({ conf: x.conf, right: x.inScope && x.rank === 0 }));
  const answered = xs.filter((x) => x.answered);
  return {
    queries: xs.length,
    top1: pct(ins.filter((x) => x.rank === 0).length, ins.length),
    top1Se: ins.length ? Math.round(1000 * Math.sqrt((hit(ins) * (1 - hit(ins))) / ins.length)) / 10 : 0,
    recall5: pct(ins.filter((x) => x.rank >= 0 && x.rank < 5).length, ins.length),
    auc: Math.round(rocAuc(judged) * 1000) / 1000,
    coverageAt90: Math.round(coverageAt(judged) * 1000) / 10,
    coverage: pct(answered.length, xs.length),
    precision: pct(answered.filter((x) => x.inScope && x.rank === 0).length, answered.length),
    outOfScopeHandedOff: pct(oos.filter((x) => !x.answered).length, oos.length),
  };
}

/** Per language: queries `after` ranks right (top-1, top five) that `before` does not, and the reverse. */
export function paired(before: readonly Scored[], after: readonly Scored[]) {
  const key = (x: Scored) => `${x.seed ?? 1}:${x.id}`;
  const prior = new Map(before.map((x) => [key(x), x]));
  const out: Record<string, { top1: [number, number]; recall5: [number, number]; queries: number }> = {};
  for (const x of after) {
    const y = prior.get(key(x));
    if (!y || !x.inScope) continue;
    const r = (out[x.lang] ??= { top1: [0, 0], recall5: [0, 0], queries: 0 });
    r.queries++;
    for (const [k, ok] of [
      ['top1', (s: Scored) => s.rank === 0],
      ['recall5', (s: Scored) => s.rank >= 0 && s.rank < 5],
    ] as const) {
      if (ok(x) && !ok(y)) r[k][0]++;
      if (ok(y) && !ok(x)) r[k][1]++;
    }
  }
  return out;
}

function printPaired(beforeFile: string, afterFile: string): void {
  const load = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Scored[];
  for (const [lang, r] of Object.entries(paired(load(beforeFile), load(afterFile)))) {
    const line = ([w, l]: [number, number]) =>
      `+${w} −${l} (net ${w - l}, z ${((w - l) / Math.sqrt(w + l || 1)).toFixed(2)})`;
    console.log(`${lang}  ${r.queries} in scope  top-1 ${line(r.top1)}  recall@5 ${line(r.recall5)}`);
  }
}

function main(argv: readonly string[]): void {
  const arg = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const pairedAt = argv.indexOf('--paired');
  if (pairedAt >= 0) return printPaired(argv[pairedAt + 1]!, argv[pairedAt + 2]!);
  const seeds = (arg('--seeds') ?? arg('--seed') ?? '1,2,3').split(',').map(Number);
  const standardOnly = argv.includes('--standard-only');
  const faq = read<FaqLine>('faq.jsonl').map((f) =>
    standardOnly && /\p{Script=Han}/u.test(f.question) ? { ...f, similar: [] } : f,
  );
  const dev = read<QueryLine>('dev.jsonl');
  const all = seeds.flatMap((s) => crossValidate(faq, dev, s).map((x) => ({ ...x, seed: s })));
  const dump = arg('--dump');
  if (dump) writeFileSync(dump, JSON.stringify(all));
  const report = {
    seeds,
    all: summary(all),
    zh: summary(all.filter((x) => x.lang === 'zh')),
    en: summary(all.filter((x) => x.lang === 'en')),
  };
  if (argv.includes('--json')) return void console.log(JSON.stringify(report));
  console.log(
    `dev-CV: 5 folds × seeds ${seeds.join(', ')} (pooled; bench/bot/dev.jsonl only)${standardOnly ? ', Chinese entries with their standard question only' : ''}`,
  );
  console.log('lang  n     top1  (se)   rec@5  AUC    cov@90(oracle)  chosen: cov  prec  oos-handoff');
  for (const lang of ['zh', 'en', 'all'] as const) {
    const r = report[lang];
    console.log(
      `${lang.padEnd(5)} ${String(r.queries).padEnd(5)} ${r.top1.toFixed(1).padStart(5)} (${r.top1Se.toFixed(1)}) ${r.recall5.toFixed(1).padStart(6)} ${r.auc.toFixed(3).padStart(6)} ${r.coverageAt90.toFixed(1).padStart(10)} ${r.coverage.toFixed(1).padStart(15)} ${r.precision.toFixed(1).padStart(5)} ${r.outOfScopeHandedOff.toFixed(1).padStart(8)}`,
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
