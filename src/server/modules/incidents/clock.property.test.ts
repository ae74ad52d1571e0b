/**
 * Properties of the incident clock: the shared engine with the incident profile, driven the way
 * the incidents module drives it. A random contract (severity overrides, promotion overrides and
 * windows placed around the declaration, edges included) gives the table copied at declaration
 * (`targetsAt`, as the service does); `computeIncidentClock` then reads the incident row and its
 * timeline. Expected values are computed here from the contract input, not by the code under test.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alwaysOpenCalendar } from '../../lib/time/index.ts';
import { MIN, instantArb, nearDstArb } from '../../lib/time/test-fixtures.ts';
import { computeClock, incidentPolicySchema, incidentProfile, nextCheckAt, type IncidentState } from '../sla/index.ts';
import { computeIncidentClock, warnAtShare } from './clock.ts';
import { parseContract, severities, targetsAt, type Severity, type SeverityTable } from './penalty/index.ts';
import type { IncidentsTable, IncidentTimelineTable } from './schema.ts';

const defaults: SeverityTable = {
  P1: { respond: 15, resolve: 120 },
  P2: { respond: 30, resolve: 240 },
  P3: { respond: 60, resolve: 480 },
};
const defaultPromotionP1 = { respond: 10, resolve: 60 };

const minutesArb = fc.integer({ min: 1, max: 3000 });
const targetsArb = fc.record({ respond: minutesArb, resolve: minutesArb });
const severityArb = fc.constantFrom(...severities);
/** A window's start relative to the declaration, in minutes: the edges (declared at start, at end) included. */
const offsetArb = fc.oneof(fc.constantFrom(0, -1, 1), fc.integer({ min: -5000, max: 5000 }));

type Case = {
  t0: number;
  severities: Partial<SeverityTable>;
  promotionP1?: { respond: number; resolve: number };
  windows: { name: string; start: number; end: number }[];
};

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    t0: instantArb,
    severities: fc.record({ P1: targetsArb, P2: targetsArb, P3: targetsArb }, { requiredKeys: [] }),
    promotionP1: fc.option(targetsArb, { nil: undefined }),
    windows: fc.array(
      fc.record({
        offset: offsetArb,
        // −1: the window ends exactly at the declaration (out of it) when it starts before.
        length: fc.oneof(fc.constant(-1), fc.integer({ min: 1, max: 8000 })),
      }),
      { maxLength: 3 },
    ),
  })
  .map(({ t0, severities, promotionP1, windows }) => ({
    t0,
    severities,
    promotionP1,
    windows: windows.map((w, i) => {
      const start = t0 + w.offset * MIN;
      const len = w.length === -1 ? Math.max(1, -w.offset) : w.length;
      return { name: `promo-${i}`, start, end: start + len * MIN };
    }),
  }));

/** The contract as the server parses it (real `parseContract`), with explicit windows. */
function contractOf(c: Case) {
  const iso = (ms: number) => new Date(ms).toISOString();
  const r = parseContract({
    total: 1_000_000,
    term: { start: '2023-01-01T00:00:00+08:00', end: '2028-01-01T00:00:00+08:00' },
    severities: c.severities,
    ...(c.promotionP1 ? { promotionSeverities: { P1: c.promotionP1 } } : {}),
    promotions: c.windows.map((w) => ({ name: w.name, start: iso(w.start), end: iso(w.end) })),
  });
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.value;
}

/** The severity table copied onto a clock at declaration, as `declareIncident` builds it. */
function tableAt(c: Case, at: number): { table: SeverityTable; promotion: string | null } {
  const contract = contractOf(c);
  const table = {} as SeverityTable;
  let promotion: string | null = null;
  for (const sev of severities) {
    const t = targetsAt(contract, sev, at);
    table[sev] = t.targets;
    if (sev === 'P1') promotion = t.promotion;
  }
  return { table, promotion };
}

/** The oracle: the contract's targets for `sev` declared at `at`, read off the case directly. */
function expectedTargets(c: Case, sev: Severity, at: number) {
  const window = c.windows.find((w) => at >= w.start && at < w.end);
  if (sev === 'P1' && window) return { targets: c.promotionP1 ?? defaultPromotionP1, promotion: window.name };
  return { targets: c.severities[sev] ?? defaults[sev], promotion: null };
}

function incidentRow(t0: number, severity: Severity): IncidentsTable {
  const iso = new Date(t0).toISOString();
  return {
    id: 'inc_prop',
    workspace_id: 'ws',
    number: 1,
    title: 't',
    description: '',
    severity,
    state: 'triggered',
    source: 'console',
    mode: 'real',
    fingerprint: null,
    component: null,
    declared_at: iso,
    acknowledged_at: null,
    acknowledged_by: null,
    mitigated_at: null,
    resolved_at: null,
    closed_at: null,
    director_engaged_at: null,
    reported_by: null,
    version: 1,
    created_at: iso,
    updated_at: iso,
  };
}

let seq = 0;
const row = (type: string, at: number, data: object): IncidentTimelineTable => ({
  id: `tl_${++seq}`,
  incident_id: 'inc_prop',
  workspace_id: 'ws',
  type,
  actor_id: null,
  actor_name: null,
  data: JSON.stringify(data),
  public: 0,
  at: new Date(at).toISOString(),
});
const stateRow = (at: number, to: IncidentState) => row('state', at, { to });

/** State changes that stop no clock (no done state), at non-decreasing minutes after the declaration. */
const openStepsArb = fc.array(
  fc.record({
    gap: fc.integer({ min: 0, max: 24 * 60 }),
    to: fc.constantFrom<IncidentState>('acknowledged', 'mitigated', 'triggered'),
  }),
  { maxLength: 6 },
);
const timelineOf = (t0: number, steps: { gap: number; to: IncidentState }[]) => {
  let t = t0;
  return steps.map((s) => stateRow((t += s.gap * MIN), s.to));
};

const clockOf = (table: SeverityTable, incident: IncidentsTable, tl: IncidentTimelineTable[], now: number) =>
  computeIncidentClock(incident, { severity_table: JSON.stringify(table) }, tl, new Date(now));

describe('incident clock properties (7×24, contract tables)', () => {
  it('respond-by = declared + respond target and resolve-by = declared + resolve target; P1 tightens inside a promotion window', () => {
    fc.assert(
      fc.property(caseArb, severityArb, openStepsArb, fc.integer({ min: 0, max: 10 * 24 * 60 }), (c, sev, steps, d) => {
        const { table, promotion } = tableAt(c, c.t0);
        const want = expectedTargets(c, sev, c.t0);
        expect(table[sev]).toEqual(want.targets);
        if (sev === 'P1') expect(promotion).toBe(want.promotion);
        const r = clockOf(table, incidentRow(c.t0, sev), timelineOf(c.t0, steps), c.t0 + d * MIN);
        expect(r.targets.respond!.dueAt.getTime()).toBe(c.t0 + want.targets.respond * MIN);
        expect(r.targets.resolve!.dueAt.getTime()).toBe(c.t0 + want.targets.resolve * MIN);
        // Nothing pauses an incident that is not resolved: elapsed is real time since the declaration.
        expect(r.targets.resolve!.elapsedMs).toBe(d * MIN);
      }),
      { numRuns: 300 },
    );
  });

  it('counts real time in any zone, across DST changes and in DST-free Beijing alike', () => {
    const startArb = fc.oneof(
      nearDstArb,
      instantArb.map((t) => ({ timezone: 'Asia/Shanghai', t })),
    );
    fc.assert(
      fc.property(startArb, targetsArb, fc.integer({ min: 0, max: 5 * 24 * 60 }), ({ timezone, t }, targets, d) => {
        const policy = incidentPolicySchema.parse({ targets, warnAtShare });
        const r = computeClock(
          [{ at: new Date(t), type: 'declared' }],
          policy,
          alwaysOpenCalendar(timezone),
          new Date(t + d * MIN),
          incidentProfile,
        );
        expect(r.targets.respond!.dueAt.getTime()).toBe(t + targets.respond * MIN);
        expect(r.targets.resolve!.dueAt.getTime()).toBe(t + targets.resolve * MIN);
        expect(r.targets.resolve!.elapsedMs).toBe(d * MIN);
      }),
      { numRuns: 300 },
    );
  });

  it('a severity change re-targets from the original start with the table copied at declaration', () => {
    fc.assert(
      fc.property(
        caseArb,
        severityArb,
        severityArb,
        openStepsArb,
        fc.integer({ min: 0, max: 3 * 24 * 60 }),
        fc.integer({ min: 0, max: 3 * 24 * 60 }),
        (c, from, to, steps, changeAfter, d) => {
          const { table } = tableAt(c, c.t0);
          const change = c.t0 + changeAfter * MIN;
          const now = change + d * MIN;
          const tl = [...timelineOf(c.t0, steps), row('severity', change, { from, to })];
          const r = clockOf(table, { ...incidentRow(c.t0, from), severity: to }, tl, now);
          // The targets in force at declaration, whatever window the change (or now) falls in.
          const want = expectedTargets(c, to, c.t0).targets;
          expect(r.targets.respond!.startedAt.getTime()).toBe(c.t0);
          expect(r.targets.respond!.dueAt.getTime()).toBe(c.t0 + want.respond * MIN);
          expect(r.targets.resolve!.dueAt.getTime()).toBe(c.t0 + want.resolve * MIN);
          // The same clock as an incident declared with the new severity in the first place.
          expect(r).toEqual(clockOf(table, incidentRow(c.t0, to), tl, now));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('warns before the deadline; on time exactly at it, breached only after it', () => {
    fc.assert(
      fc.property(caseArb, severityArb, (c, sev) => {
        const { table } = tableAt(c, c.t0);
        const incident = incidentRow(c.t0, sev);
        const pending = clockOf(table, incident, [], c.t0);
        // The worker is asked to look again first at the earlier warning.
        const warnings = (['respond', 'resolve'] as const).map((n) => pending.targets[n]!.warnAt!.getTime());
        expect(nextCheckAt(pending)!.getTime()).toBe(Math.min(...warnings));
        for (const name of ['respond', 'resolve'] as const) {
          const due = c.t0 + table[sev][name] * MIN;
          const warnAt = c.t0 + Math.max(1, Math.round(table[sev][name] * MIN * warnAtShare));
          const at = (now: number) => clockOf(table, incident, [], now).targets[name]!;
          expect(pending.targets[name]!.warnAt!.getTime()).toBe(warnAt);
          expect(warnAt).toBeLessThan(due);
          expect(at(warnAt - 1)).toMatchObject({ warning: false, breached: false });
          expect(at(warnAt)).toMatchObject({ warning: true, breached: false });
          expect(at(due)).toMatchObject({ warning: true, breached: false, breachedAt: null, remainingMs: 0 });
          expect(at(due + 1)).toMatchObject({ warning: false, breached: true });
          expect(at(due + 1).breachedAt!.getTime()).toBe(due);
          // After its warning, a target asks to be looked at again 1 ms after its deadline at the latest.
          const next = nextCheckAt(clockOf(table, incident, [], warnAt))!.getTime();
          expect(next).toBeGreaterThan(warnAt);
          expect(next).toBeLessThanOrEqual(due + 1);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('reopening resumes the resolve clock where it stopped: time resolved or closed does not count', () => {
    const stepsArb = fc.array(
      fc.record({
        gap: fc.integer({ min: 0, max: 12 * 60 }),
        to: fc.constantFrom<IncidentState>('acknowledged', 'mitigated', 'triggered', 'resolved', 'closed'),
      }),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(caseArb, severityArb, stepsArb, fc.integer({ min: 0, max: 3 * 24 * 60 }), (c, sev, steps, d) => {
        const { table } = tableAt(c, c.t0);
        const tl = timelineOf(c.t0, steps);
        const now = c.t0 + steps.reduce((sum, s) => sum + s.gap, 0) * MIN + d * MIN;
        const r = clockOf(table, incidentRow(c.t0, sev), tl, now);
        // Oracle: runs of one state from the declaration; from the start of the trailing stretch of
        // resolved/closed (the fulfilment) or the last run, time counts whatever the state.
        const runs = [{ from: c.t0, to: 'triggered' as IncidentState }];
        tl.forEach((t, i) => {
          const at = Date.parse(t.at);
          if (runs[runs.length - 1].from === at) runs.pop();
          runs.push({ from: at, to: steps[i].to });
        });
        const done = (s: IncidentState) => s === 'resolved' || s === 'closed';
        let k = runs.length - 1;
        while (k > 0 && done(runs[k].to) && done(runs[k - 1].to)) k--;
        let budget = table[sev].resolve * MIN;
        let due = NaN;
        for (let i = 0; i <= k; i++) {
          const last = i === k;
          if (!last && done(runs[i].to)) continue;
          const avail = last ? Infinity : runs[i + 1].from - runs[i].from;
          if (budget <= avail) {
            due = runs[i].from + budget;
            break;
          }
          budget -= avail;
        }
        const final = runs[k];
        const resolve = r.targets.resolve!;
        expect(resolve.dueAt.getTime()).toBe(due);
        expect(resolve.fulfilledAt?.getTime() ?? null).toBe(done(final.to) ? final.from : null);
        expect(resolve.breached).toBe((done(final.to) ? final.from : now) > due);
        // The response, once given, stays given; its deadline never moves.
        expect(r.targets.respond!.dueAt.getTime()).toBe(c.t0 + table[sev].respond * MIN);
      }),
      { numRuns: 300 },
    );
  });

  it('acknowledged or resolved exactly at the deadline is on time; a minute later is a breach at the deadline', () => {
    fc.assert(
      fc.property(caseArb, severityArb, fc.constantFrom(0, 1), fc.integer({ min: 0, max: 600 }), (c, sev, late, d) => {
        const { table } = tableAt(c, c.t0);
        const respondBy = c.t0 + table[sev].respond * MIN;
        const resolveBy = c.t0 + table[sev].resolve * MIN;
        const ackAt = respondBy + late * MIN;
        const resolvedAt = Math.max(ackAt, resolveBy + late * MIN);
        const tl = [stateRow(ackAt, 'acknowledged'), stateRow(resolvedAt, 'resolved')];
        const r = clockOf(table, incidentRow(c.t0, sev), tl, resolvedAt + d * MIN);
        const respond = r.targets.respond!;
        const resolve = r.targets.resolve!;
        expect(respond.fulfilledAt!.getTime()).toBe(ackAt);
        expect(respond.breached).toBe(late === 1);
        expect(respond.breachedAt?.getTime() ?? null).toBe(late === 1 ? respondBy : null);
        expect(resolve.fulfilledAt!.getTime()).toBe(resolvedAt);
        const resolveLate = resolvedAt > resolveBy;
        expect(resolve.breached).toBe(resolveLate);
        expect(resolve.breachedAt?.getTime() ?? null).toBe(resolveLate ? resolveBy : null);
        // Fulfilled targets raise nothing later.
        expect(nextCheckAt(r)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
