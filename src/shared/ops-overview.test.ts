/** The overview's forecast: a least-squares line as `predict_linear` fits it, and when a disk fills. */
import { describe, expect, it } from 'vitest';
import { exhaustedIn, linearTrend } from './ops-overview.ts';

const day = 86_400_000;

describe('overview forecasts', () => {
  it('fits a least-squares line and extends it', () => {
    // Free space 100, 90, 80 … GiB a day apart, with noise that cancels out.
    const points: [number, number][] = [0, 1, 2, 3, 4].map((d) => [d * day, 100 - 10 * d + (d % 2 ? 1 : -1) * 0.5]);
    const trend = linearTrend(points)!;
    expect(trend.slopePerMs * day).toBeCloseTo(-10, 0);
    expect(trend.at(10 * day)).toBeCloseTo(0, 0);
    // From day 4 (about 60 left) at 10 a day: empty in about 6 days.
    expect(exhaustedIn(trend, 4 * day, 0)! / day).toBeCloseTo(6, 0);
  });

  it('says nothing when the line is not heading there, or there are too few points', () => {
    expect(
      exhaustedIn(
        linearTrend([
          [0, 5],
          [day, 6],
          [2 * day, 7],
        ])!,
        2 * day,
        0,
      ),
    ).toBeNull();
    expect(
      exhaustedIn(
        linearTrend([
          [0, 5],
          [day, 5],
          [2 * day, 5],
        ])!,
        2 * day,
        0,
      ),
    ).toBeNull();
    expect(
      linearTrend([
        [0, 1],
        [1, 2],
      ]),
    ).toBeNull();
    expect(
      linearTrend([
        [5, 1],
        [5, 2],
        [5, 3],
      ]),
    ).toBeNull();
  });
});
