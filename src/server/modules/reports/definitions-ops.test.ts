/**
 * The operations reports explain their own definitions: each report's appendix names the ones its
 * figures use (not the customer-service ones), and docs/REPORTS.md carries the same English text.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildOps } from './build-ops.ts';
import { opsDefinitions } from './definitions-ops.ts';
import { emptyOpsInputs } from './testing.ts';

const appendixOf = (type: 'daily' | 'weekly' | 'monthly-ops', key: string) =>
  buildOps(emptyOpsInputs(type, key)).appendix.map((a) => a.en);
/** The name each definition starts with. */
const names = (texts: string[]) => texts.map((x) => x.split(':')[0]);

describe('the operations reports’ definitions appendix', () => {
  it('the daily health report defines availability, latency, error rate, peaks, percentiles and anomalies', () => {
    expect(names(appendixOf('daily', '2026-11-02'))).toEqual([
      'Periods are half-open [start, end)',
      'Availability',
      'API p95/p99',
      '5xx error rate',
      'Resource peaks',
      'Percentiles by nearest rank',
      'Anomaly rule',
      'All definitions',
    ]);
  });

  it('the weekly inspection adds its daily figures, log signatures and slowest statements', () => {
    expect(names(appendixOf('weekly', '2026-W45'))).toEqual([
      'Periods are half-open [start, end)',
      'Availability',
      'API p95/p99',
      '5xx error rate',
      'Resource peaks',
      'Percentiles by nearest rank',
      'Anomaly rule',
      'Daily figures',
      'Log signature',
      'Slowest statements and rule evaluations',
      'All definitions',
    ]);
  });

  it('the monthly ops summary defines the SLO and error budget, MTTA, MTTR, trends, penalties and its rules', () => {
    const appendix = appendixOf('monthly-ops', '2026-11');
    expect(names(appendix)).toEqual([
      'Periods are half-open [start, end)',
      'Availability',
      'SLO and error budget',
      'Percentiles by nearest rank',
      'MTTA',
      'MTTR',
      'Trends',
      'Penalties',
      'Suggestion rules',
      'All definitions',
    ]);
    expect(appendix.join('\n')).toMatch(/median absolute deviation|least-squares line/);
    // Not the customer-service report's definitions.
    expect(appendix.join('\n')).not.toMatch(/First response time|CSAT|Resolution rate/);
  });

  it('docs/REPORTS.md gives every definition in the same words', () => {
    const docs = readFileSync(new URL('../../../../docs/REPORTS.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
    for (const d of Object.values(opsDefinitions)) expect(docs).toContain(d.en);
  });
});
