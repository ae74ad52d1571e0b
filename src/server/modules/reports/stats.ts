/** The stated rules the reports flag and forecast with (docs/REPORTS.md "Anomalies", "Trends"). */

export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Anomaly rule: a value is anomalous when it lies more than 3.5 robust deviations from the median
 * of the same hours of the previous 7 days, where a robust deviation is 1.4826 × MAD (the median
 * absolute deviation; 1.4826 makes it a standard deviation for normal data). With fewer than 5
 * reference values, or a MAD of 0 and a value equal to the median, nothing is flagged.
 */
export function robustAnomaly(
  value: number,
  reference: readonly number[],
): { anomalous: boolean; median: number | null; score: number | null } {
  const m = median(reference);
  if (m === null || reference.length < 5) return { anomalous: false, median: m, score: null };
  const mad = median(reference.map((x) => Math.abs(x - m)))!;
  const scale = 1.4826 * mad;
  if (scale === 0) {
    // A flat reference: any departure from it is a change worth a look.
    return { anomalous: value !== m, median: m, score: value === m ? 0 : Infinity };
  }
  const score = Math.abs(value - m) / scale;
  return { anomalous: score > 3.5, median: m, score: Math.round(score * 100) / 100 };
}
export const anomalyRule = {
  zh: '异常判定：与前 7 天相同时段的中位数相差超过 3.5 倍稳健标准差（1.4826 × MAD，中位数绝对偏差）即标记；参考值少于 5 个时不判定。',
  en: 'Anomaly rule: flagged when more than 3.5 robust deviations (1.4826 × MAD, the median absolute deviation) from the median of the same hours of the previous 7 days; not judged with fewer than 5 reference values.',
};

/** Least-squares line through (x, y) points: slope per x unit and intercept; null with < 2 distinct x. */
export function leastSquares(
  points: readonly (readonly [number, number])[],
): { slope: number; intercept: number } | null {
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((a, p) => a + p[0], 0) / n;
  const my = points.reduce((a, p) => a + p[1], 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/** Days from `x0` until the fitted line reaches `level` (null when it never does going forward). */
export function daysUntil(fit: { slope: number; intercept: number }, x0: number, level: number): number | null {
  const now = fit.intercept + fit.slope * x0;
  if (now >= level) return 0;
  if (fit.slope <= 0) return null;
  return (level - now) / fit.slope;
}

/** Increase of a counter from successive readings (a drop is a restart: the new reading counts from 0). */
export function counterIncrease(readings: readonly number[]): number {
  let total = 0;
  for (let i = 1; i < readings.length; i++) {
    const d = readings[i]! - readings[i - 1]!;
    total += d >= 0 ? d : readings[i]!;
  }
  return total;
}
