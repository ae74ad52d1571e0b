import { describe, expect, it } from 'vitest';
import { incidentStats, summarize } from './stats.ts';

const t = (local: string) => Date.parse(`${local}+08:00`);
const base = { mode: 'real', state: 'resolved' };

describe('MTTA and MTTR', () => {
  it('gives count, mean, median and nearest-rank p90 in minutes', () => {
    expect(summarize([10, 2, 4, 8, 6, 1, 3, 5, 7, 9])).toEqual({ count: 10, mean: 5.5, median: 5, p90: 9 });
    expect(summarize([])).toEqual({ count: 0, mean: null, median: null, p90: null });
  });

  it('groups by month (in the zone) and severity, leaves out drills and cancelled incidents', () => {
    const rows = incidentStats(
      [
        {
          ...base,
          severity: 'P2',
          declaredAt: t('2026-03-02T10:00'),
          acknowledgedAt: t('2026-03-02T10:12'),
          resolvedAt: t('2026-03-02T15:30'),
        },
        {
          ...base,
          severity: 'P2',
          declaredAt: t('2026-03-05T10:00'),
          acknowledgedAt: null,
          resolvedAt: t('2026-03-05T10:20'),
        },
        {
          ...base,
          severity: 'P2',
          mode: 'drill',
          declaredAt: t('2026-03-06T10:00'),
          acknowledgedAt: null,
          resolvedAt: t('2026-03-06T20:00'),
        },
        {
          ...base,
          severity: 'P1',
          state: 'cancelled',
          declaredAt: t('2026-03-07T10:00'),
          acknowledgedAt: null,
          resolvedAt: null,
        },
        {
          ...base,
          severity: 'P1',
          state: 'triggered',
          declaredAt: t('2026-04-01T07:30'),
          acknowledgedAt: t('2026-04-01T07:40'),
          resolvedAt: null,
        },
      ],
      'Asia/Shanghai',
    );
    expect(rows).toEqual([
      {
        month: '2026-03',
        severity: 'P2',
        mtta: { count: 2, mean: 16, median: 12, p90: 20 },
        mttr: { count: 2, mean: 175, median: 20, p90: 330 },
      },
      {
        month: '2026-04',
        severity: 'P1',
        mtta: { count: 1, mean: 10, median: 10, p90: 10 },
        mttr: { count: 0, mean: null, median: null, p90: null },
      },
    ]);
  });
});
