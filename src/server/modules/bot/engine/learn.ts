/**
 * The small learned parts: a logistic model (standardised features, L2, batch gradient descent)
 * used twice — the re-ranker over the top candidates and the confidence of the top answer — and
 * the threshold search that picks the answer band from labelled examples.
 */

export type Model = { mean: number[]; scale: number[]; w: number[]; b: number };

export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export function logit(m: Model, f: readonly number[]): number {
  let z = m.b;
  for (let i = 0; i < m.w.length; i++) z += m.w[i]! * ((f[i]! - m.mean[i]!) / m.scale[i]!);
  return z;
}

/** Fits P(y = 1 | x); examples weighted so that both classes count equally when `balance`. */
export function fitLogistic(
  xs: readonly (readonly number[])[],
  ys: readonly number[],
  opts: { l2?: number; iterations?: number; balance?: boolean } = {},
): Model {
  const d = xs[0]?.length ?? 0;
  const n = xs.length;
  const mean = Array.from({ length: d }, (_, j) => xs.reduce((s, x) => s + x[j]!, 0) / Math.max(1, n));
  const scale = Array.from({ length: d }, (_, j) => {
    const v = xs.reduce((s, x) => s + (x[j]! - mean[j]!) ** 2, 0) / Math.max(1, n);
    return Math.sqrt(v) || 1;
  });
  const z = xs.map((x) => x.map((v, j) => (v - mean[j]!) / scale[j]!));
  const pos = ys.filter((y) => y === 1).length;
  const wPos = opts.balance && pos ? n / (2 * pos) : 1;
  const wNeg = opts.balance && n - pos ? n / (2 * (n - pos)) : 1;
  const w = new Array<number>(d).fill(0);
  let b = 0;
  const l2 = opts.l2 ?? 0.01;
  const lr = 0.5;
  for (let it = 0; it < (opts.iterations ?? 400); it++) {
    const gw = new Array<number>(d).fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      let s = b;
      for (let j = 0; j < d; j++) s += w[j]! * z[i]![j]!;
      const err = (sigmoid(s) - ys[i]!) * (ys[i] === 1 ? wPos : wNeg);
      for (let j = 0; j < d; j++) gw[j]! += err * z[i]![j]!;
      gb += err;
    }
    for (let j = 0; j < d; j++) w[j] = w[j]! - lr * (gw[j]! / Math.max(1, n) + l2 * w[j]!);
    b -= (lr * gb) / Math.max(1, n);
  }
  return { mean, scale, w, b };
}

/**
 * Fits a ranking model: for each group (one query's candidates), the softmax of the scores over
 * the group should put its mass on the right candidates (listwise, as a conditional logit).
 * Standardised features, L2, gradient descent; returns a model whose `logit` is the score.
 */
export function fitRanking(
  groups: readonly { xs: readonly (readonly number[])[]; ys: readonly number[] }[],
  opts: { l2?: number; iterations?: number } = {},
): Model {
  const rows = groups.flatMap((g) => g.xs);
  const d = rows[0]?.length ?? 0;
  const n = rows.length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, x) => s + x[j]!, 0) / Math.max(1, n));
  const scale = Array.from({ length: d }, (_, j) => {
    const v = rows.reduce((s, x) => s + (x[j]! - mean[j]!) ** 2, 0) / Math.max(1, n);
    return Math.sqrt(v) || 1;
  });
  const zs = groups.map((g) => g.xs.map((x) => x.map((v, j) => (v - mean[j]!) / scale[j]!)));
  const w = new Array<number>(d).fill(0);
  const l2 = opts.l2 ?? 0.01;
  const lr = 0.5;
  const s = new Float64Array(Math.max(0, ...groups.map((g) => g.xs.length)));
  for (let it = 0; it < (opts.iterations ?? 300); it++) {
    const gw = new Array<number>(d).fill(0);
    groups.forEach((g, gi) => {
      const z = zs[gi]!;
      let max = -Infinity;
      for (let i = 0; i < z.length; i++) {
        let v = 0;
        for (let j = 0; j < d; j++) v += w[j]! * z[i]![j]!;
        s[i] = v;
        if (v > max) max = v;
      }
      let all = 0;
      let right = 0;
      for (let i = 0; i < z.length; i++) {
        s[i] = Math.exp(s[i]! - max);
        all += s[i]!;
        if (g.ys[i] === 1) right += s[i]!;
      }
      // d(-log P(right))/dw = E_all[x] - E_right[x]
      for (let i = 0; i < z.length; i++) {
        const coef = s[i]! / all - (g.ys[i] === 1 ? s[i]! / right : 0);
        for (let j = 0; j < d; j++) gw[j]! += coef * z[i]![j]!;
      }
    });
    for (let j = 0; j < d; j++) w[j] = w[j]! - lr * (gw[j]! / Math.max(1, groups.length) + l2 * w[j]!);
  }
  return { mean, scale, w, b: 0 };
}

/**
 * The lowest confidence threshold whose answers are right at least `precision` of the time on the
 * examples (so the most is answered); among equals, the higher. Needs five answers before a
 * precision counts. Falls back to the best precision.
 */
export function chooseThreshold(scored: readonly { conf: number; right: boolean }[], precision = 0.9): number {
  const sorted = [...scored].sort((a, b) => b.conf - a.conf);
  let right = 0;
  let best: number | null = null;
  let bestPrecision = -1;
  let fallback = 0.99;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.right) right++;
    const p = right / (i + 1);
    const next = sorted[i + 1]?.conf ?? -1;
    if (next === sorted[i]!.conf) continue; // a threshold cannot split equal confidences
    if (p >= precision && i >= 4) best = sorted[i]!.conf;
    if (p > bestPrecision && i >= 4) {
      bestPrecision = p;
      fallback = sorted[i]!.conf;
    }
  }
  return best ?? fallback;
}

/**
 * The lowest threshold at which the confidences themselves (probabilities fitted on out-of-fold
 * examples) promise `precision`: the mean confidence of what would be answered. Smooth where the
 * counted precision of a few hundred examples jumps about.
 */
export function expectedThreshold(confs: readonly number[], precision = 0.9): number {
  const sorted = [...confs].sort((a, b) => b - a);
  let sum = 0;
  let t = sorted[0] ?? 1;
  for (let i = 0; i < sorted.length; i++) {
    sum += sorted[i]!;
    if (sum / (i + 1) < precision) break;
    t = sorted[i]!;
  }
  return t;
}

/** The longest-common-substring row, reused (grown as needed). */
let lcsRow = new Uint16Array(64);

/** The length of the longest common substring of two strings (characters). */
export function longestCommonSubstring(a: string, b: string): number {
  if (!a || !b) return 0;
  if (lcsRow.length <= b.length) lcsRow = new Uint16Array(Math.max(b.length + 1, lcsRow.length * 2));
  // One row, right to left: row[j] is the common suffix length of a[..i] and b[..j] (row[0] stays 0).
  const row = lcsRow;
  row.fill(0, 0, b.length + 1);
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    for (let j = b.length; j >= 1; j--) {
      if (b.charCodeAt(j - 1) === c) {
        const v = row[j - 1]! + 1;
        row[j] = v;
        if (v > best) best = v;
      } else row[j] = 0;
    }
  }
  return best;
}
const forms: [string, RegExp][] = [
  ['why', /为什么|为啥|怎么会|why/],
  ['when', /什么时候|多久|几天|多长时间|何时|when|how long/],
  ['where', /哪里|哪儿|在哪|哪个|where/],
  ['howmuch', /多少钱|价格|费用|多少|how much|cost/],
  ['can', /能不能|可不可以|可以|能否|能吗|支持|can i|can you|is it possible|do you/],
  ['how', /怎么|如何|怎样|how/],
];
/** The question's form (why / when / where / how much / can I / how), or null. */
export function questionForm(text: string): string | null {
  for (const [name, re] of forms) if (re.test(text)) return name;
  return null;
}

const negation = /不|没|未|无法|别|不能|not|no |n't|never/;
export const negated = (text: string) => negation.test(text);
