/**
 * The monthly ops summary's figures on hand-built inputs (November 2026, Asia/Shanghai, 43,200 minutes):
 * - availability: probe api 100 %, probe widget (1 + 0.99) / 2 = 99.5 % → mean 99.75 %; SLO 99.9 %
 *   → error budget 43.2 min, used 43,200 × 0.25 % = 108 min (over: flagged, and the suggestion);
 * - disk: least free space 100, 98, … 82 GB on Nov 1–10 → slope −2 GB/day → full in 82 / 2 = 41 days;
 * - incidents: P2 ack 5 and 15 min, resolved 60 and 120 min → MTTA 5 / 15 min, MTTR 1 / 2 h;
 *   P3 ack and resolved at 30 min; root causes change 2, capacity 1; a drill and a cancelled one do not count;
 * - one restore drill of 95 s;
 * - peak concurrency 100, 110, … 140 on Nov 1–5 (agents + shoppers, both nodes) → +10 a day → 440 in 30 days.
 */
import { describe, expect, it } from 'vitest';
import { buildOps } from './build-ops.ts';
import { fmtSeconds, type ReportDocument } from './document.ts';
import type { IncidentRow } from './inputs.ts';
import { opsMetrics, type OpsInputs } from './ops-health.ts';
import { parsePeriod } from './periods.ts';
import { emptyOpsInputs } from './testing.ts';

const zone = 'Asia/Shanghai';
const at = (local: string) => Date.parse(`${local}+08:00`);
const GB = 1024 ** 3;
const point = (t: number, v: number) => ({ t, max: v, mean: v, last: v });
const days5 = [0, 1, 2, 3, 4];
const evening = (d: number) => at(`2026-11-0${d + 1}T20:00:00`);

function incident(n: number, severity: string, declared: string, ackMin: number, resolveMin: number, cause: string) {
  const d = at(declared);
  return {
    id: `inc_${n}`,
    number: n,
    title: `故障 ${n}`,
    severity,
    state: 'resolved',
    mode: 'normal',
    component: 'web_chat',
    declaredAt: d,
    acknowledgedAt: d + ackMin * 60_000,
    resolvedAt: d + resolveMin * 60_000,
    rootCauseCategory: cause,
    rootCause: `${cause} 详情`,
  } satisfies IncidentRow;
}

function build(): ReportDocument {
  const period = parsePeriod('month', '2026-11', zone)!;
  const inputs: OpsInputs = {
    workspaceId: 'wsp_1',
    type: 'monthly-ops',
    period,
    probes: [
      { id: 'prb_1', name: 'api', component: 'web_chat' },
      { id: 'prb_2', name: 'widget', component: 'web_chat' },
    ],
    minute: {
      [opsMetrics.probe]: [
        { labels: { probe: 'api' }, points: [point(at('2026-11-02T10:00:00'), 1)] },
        {
          labels: { probe: 'widget' },
          points: [point(at('2026-11-02T10:00:00'), 1), point(at('2026-11-02T10:01:00'), 0.99)],
        },
      ],
      // Nov 1–5 at 20:00: agents 10 + shoppers (40 + 10d) on n1 and 50 on n2 → 100, 110, … 140; 03:00 is quieter.
      [opsMetrics.agentsOnline]: [
        { labels: { node: 'n1', workspace: 'shop' }, points: days5.map((d) => point(evening(d), 10)) },
      ],
      [opsMetrics.shoppersOnline]: [
        {
          labels: { node: 'n1', workspace: 'shop' },
          points: days5.flatMap((d) => [point(evening(d), 40 + 10 * d), point(evening(d) - 17 * 3600_000, 5)]),
        },
        {
          labels: { node: 'n2', workspace: 'shop' },
          points: [...days5.map((d) => point(evening(d), 50)), point(at('2026-10-31T20:00:00'), 900)],
        },
      ],
    },
    hourly: {
      [opsMetrics.diskFree]: [
        {
          labels: { node: 'n1' },
          points: Array.from({ length: 10 }, (_, d) =>
            point(at(`2026-11-${String(d + 1).padStart(2, '0')}T12:00:00`), (100 - 2 * d) * GB),
          ),
        },
      ],
    },
    backups: [
      {
        kind: 'drill',
        status: 'ok',
        startedAt: at('2026-11-15T03:00:00'),
        bytes: null,
        durationMs: 95_000,
        error: null,
      },
    ],
    incidents: [
      incident(1, 'P2', '2026-11-05T10:00:00', 5, 60, 'change'),
      incident(2, 'P2', '2026-11-10T10:00:00', 15, 120, 'change'),
      incident(3, 'P3', '2026-11-12T10:00:00', 30, 30, 'capacity'),
      { ...incident(4, 'P1', '2026-11-13T10:00:00', 1, 2, 'drill'), mode: 'drill' },
      { ...incident(5, 'P1', '2026-11-14T10:00:00', 1, 2, 'none'), state: 'cancelled' },
    ],
    audit: null,
    previousAdvisories: null,
    sloPercent: 99.9,
    logs: null,
    perf: null,
    penalty: null,
  };
  return buildOps(inputs);
}

const section = (doc: ReportDocument, id: string) => doc.sections.find((s) => s.id === id)!;
const figures = (doc: ReportDocument, id: string) =>
  section(doc, id).blocks.flatMap((b) => (b.kind === 'figures' ? b.items : []));
const table = (doc: ReportDocument, id: string, en: string) => {
  const b = section(doc, id).blocks.find((x) => x.kind === 'table' && x.title?.en === en);
  return b?.kind === 'table' ? b.rows : null;
};
const notes = (doc: ReportDocument, id: string) =>
  section(doc, id)
    .blocks.flatMap((b) => (b.kind === 'note' ? [b.text.en] : []))
    .join('\n');

describe('monthly ops summary on hand-built inputs', () => {
  const doc = build();

  it('states availability against the SLO and the error budget', () => {
    expect(doc.summary.availability).toBe(99.75);
    expect(figures(doc, 'slo').map((f) => [f.label.en, f.value, f.flag])).toEqual([
      ['Mean availability (all probes)', '99.75 %', undefined],
      ['SLO', '99.9 %', undefined],
      ['Error budget / used (minutes)', '43.2 / 108', 'risk'],
    ]);
  });

  it('forecasts the disk full from the least-squares slope of the daily least free space', () => {
    expect(figures(doc, 'trends')[0]).toMatchObject({ value: '41 天 / days' });
  });

  it('forecasts peak concurrency from the least-squares slope of the daily peaks', () => {
    expect(figures(doc, 'trends')[1]).toMatchObject({
      label: { en: 'Peak concurrency (agents + shoppers): slope / forecast in 30 days' },
      value: '+10 /天 / day · 440', // 140 on Nov 5 + 30 days × 10
    });
  });

  it('counts incidents by severity with MTTA and MTTR, and by root cause (drills and cancelled left out)', () => {
    expect(figures(doc, 'faults')[0]).toMatchObject({ value: '3', drill: { ids: ['inc_1', 'inc_2', 'inc_3'] } });
    expect(table(doc, 'faults', 'By severity: MTTA and MTTR (median / p90)')).toEqual([
      ['P2', '2', `${fmtSeconds(300)} / ${fmtSeconds(900)}`, `${fmtSeconds(3600)} / ${fmtSeconds(7200)}`],
      ['P3', '1', `${fmtSeconds(1800)} / ${fmtSeconds(1800)}`, `${fmtSeconds(1800)} / ${fmtSeconds(1800)}`],
    ]);
    expect(table(doc, 'faults', 'Root causes')).toEqual([
      ['change', '2'],
      ['capacity', '1'],
    ]);
  });

  it('lists the restore drills and derives the suggestions by the stated rules', () => {
    const drills = section(doc, 'drills').blocks[0]!;
    expect(drills.kind === 'table' && drills.rows).toEqual([['2026-11-15T03:00', 'ok', '95 s']]);
    const suggested = notes(doc, 'suggestions');
    expect(suggested).toMatch(/Disk full in about 41 days at the current slope/);
    expect(suggested).toMatch(/250 % of the error budget used/);
    expect(suggested).not.toMatch(/No restore drill/);
  });
});

describe('daily health report: API p95 and p99', () => {
  const daily = (minute: OpsInputs['minute']) => buildOps(emptyOpsInputs('daily', '2026-11-02', { minute }));
  const minutes = (values: number[]) => [
    { labels: { node: 'n1' }, points: values.map((v, k) => point(at('2026-11-02T10:00:00') + k * 60_000, v)) },
  ];

  it('gives the median and the worst of the per-minute p95 and p99', () => {
    const doc = daily({ [opsMetrics.p95]: minutes([0.12, 0.2, 0.3]), [opsMetrics.p99]: minutes([0.2, 0.4, 0.9]) });
    const perf = figures(doc, 'performance').map((f) => [f.label.en, f.value]);
    expect(perf).toContainEqual(['API p95 (median / worst of the per-minute p95)', '200 ms / 300 ms']);
    expect(perf).toContainEqual(['API p99 (median / worst of the per-minute p99)', '400 ms / 900 ms']);
    expect(notes(doc, 'performance')).not.toMatch(/p95/);
  });

  it('says so when the period has no p95 samples', () => {
    const doc = daily({ [opsMetrics.p99]: minutes([0.2]) });
    expect(notes(doc, 'performance')).toMatch(/No p95 samples in this period/);
  });

  it("counts the day's backup runs that succeeded (status ok) and failed, per kind", () => {
    const runAt = (kind: string, status: string, local: string) => ({
      kind,
      status,
      startedAt: at(local),
      bytes: null,
      durationMs: 1000,
      error: status === 'failed' ? 'the target is full' : null,
    });
    const doc = buildOps(
      emptyOpsInputs('daily', '2026-11-02', {
        backups: [
          runAt('backup', 'ok', '2026-11-02T02:00:00'),
          runAt('backup', 'failed', '2026-11-02T03:00:00'),
          runAt('backup', 'ok', '2026-11-02T04:00:00'),
          runAt('verify', 'ok', '2026-11-02T04:30:00'),
        ],
      }),
    );
    const b = section(doc, 'backups').blocks[0]!;
    expect(b.kind === 'table' && b.rows.map((r) => r.slice(0, 3))).toEqual([
      ['backup', '2', '1'],
      ['verify', '1', '0'],
    ]);
  });
});

describe('monthly ops summary: each suggestion rule is stated and fires only on its condition', () => {
  const month = (over: Partial<OpsInputs>) =>
    notes(buildOps(emptyOpsInputs('monthly-ops', '2026-11', over)), 'suggestions');
  // Least free disk on Nov 1–10 falling 1 GB a day to `last` GB on Nov 10 → full in `last` days.
  const disk = (last: number) => ({
    [opsMetrics.diskFree]: [
      {
        labels: { node: 'n1' },
        points: Array.from({ length: 10 }, (_, d) =>
          point(at(`2026-11-${String(d + 1).padStart(2, '0')}T12:00:00`), (last + 9 - d) * GB),
        ),
      },
    ],
  });
  const drill = {
    kind: 'drill',
    status: 'ok',
    startedAt: at('2026-11-15T03:00:00'),
    bytes: null,
    durationMs: 1,
    error: null,
  };
  // Probe up every checked minute: 100 % → no error budget used.
  const up = { [opsMetrics.probe]: [{ labels: { probe: 'api' }, points: [point(at('2026-11-02T10:00:00'), 1)] }] };
  const probes = [{ id: 'prb_1', name: 'api', component: null }];

  it('states the rules, and says so when none fires', () => {
    const text = month({ probes, minute: up, hourly: disk(90), backups: [drill] });
    // 90 GB left at 1 GB a day: 90 days, not within 90.
    expect(text).toBe(
      'No suggestion rule fired this month.\nRules: disk full within 90 days; more than half of the error budget used; no restore drill in the month.',
    );
  });

  it('fires the disk rule at 89 days, and the drill rule in a month without a restore drill', () => {
    expect(month({ probes, minute: up, hourly: disk(89), backups: [drill] })).toMatch(
      /^Disk full in about 89 days at the current slope: add space before the next promotion/,
    );
    const text = month({ probes, minute: up, hourly: disk(90) });
    expect(text).toMatch(/^No restore drill this month: schedule one \(kefu drill\)\./);
    expect(text).not.toMatch(/Disk full in|% of the error budget used/);
  });

  it('fires the error-budget rule above half the budget, not at half', () => {
    // 43,200 min × 0.1 % = 43.2 min of budget; availability over the probe's minutes:
    // 1 − 21.6 / 43,200 = 99.95 % uses exactly half (no rule), 99.94 % uses 25.92 min = 60 %.
    const share = (v: number) => ({
      [opsMetrics.probe]: [{ labels: { probe: 'api' }, points: [point(at('2026-11-02T10:00:00'), v)] }],
    });
    expect(month({ probes, minute: share(0.9995), hourly: disk(90), backups: [drill] })).toMatch(
      /^No suggestion rule fired/,
    );
    expect(month({ probes, minute: share(0.9994), hourly: disk(90), backups: [drill] })).toMatch(
      /^60 % of the error budget used: freeze risky changes, put reliability first\./,
    );
  });
});
