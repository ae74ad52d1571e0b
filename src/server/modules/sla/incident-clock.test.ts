/**
 * Hand-computed incident clocks: the same engine as tickets, with the incident profile. Unless
 * stated: a 7×24 calendar in Asia/Shanghai, respond 15 min, resolve 240 min, counted in elapsed
 * time (the incident policy's default), no pause states. 2025-10-01 is National Day: 7×24
 * ignores holidays.
 */
import { describe, expect, it } from 'vitest';
import { alwaysOpenCalendar, type Instant } from '../../lib/time/index.ts';
import { fmt, shanghai } from '../../lib/time/test-fixtures.ts';
import { computeClock, nextCheckAt } from './clock.ts';
import {
  incidentPolicySchema,
  incidentProfile,
  type IncidentClockResult,
  type IncidentEvent,
  type IncidentPolicyInput,
  type IncidentState,
} from './incident-profile.ts';

const cal = alwaysOpenCalendar('Asia/Shanghai');
const MIN = 60_000;
const policy = (p: IncidentPolicyInput = { targets: { respond: 15, resolve: 240 } }) => incidentPolicySchema.parse(p);
const declared = (at: string): IncidentEvent => ({ at, type: 'declared' });
const to = (at: string, status: IncidentState): IncidentEvent => ({ at, type: 'status', status });
const clock = (events: IncidentEvent[], now: Instant, p = policy(), calendar = cal) =>
  computeClock(events, p, calendar, now, incidentProfile);

function view(r: IncidentClockResult, tz = 'Asia/Shanghai') {
  return Object.fromEntries(
    Object.entries(r.targets).map(([name, c]) => [
      name,
      {
        dueAt: fmt(c.dueAt, tz),
        fulfilledAt: fmt(c.fulfilledAt, tz),
        breached: c.breached,
        elapsed: c.elapsedMs / MIN,
        remaining: c.remainingMs / MIN,
        paused: c.paused,
      },
    ]),
  );
}

describe('incident respond and resolve (7×24)', () => {
  const history = [
    declared('2025-10-01T02:00'),
    to('2025-10-01T02:10', 'acknowledged'),
    to('2025-10-01T03:00', 'mitigated'),
  ];

  it('counts through the night of a public holiday; mitigated is not resolved', () => {
    const r = clock(history, '2025-10-01T04:00');
    expect(r.status).toBe('mitigated');
    expect(view(r)).toEqual({
      respond: {
        dueAt: '2025-10-01T02:15:00+08:00',
        fulfilledAt: '2025-10-01T02:10:00+08:00',
        breached: false,
        elapsed: 10,
        remaining: 5,
        paused: false,
      },
      resolve: {
        dueAt: '2025-10-01T06:00:00+08:00',
        fulfilledAt: null,
        breached: false,
        elapsed: 120,
        remaining: 120,
        paused: false,
      },
    });
    expect(fmt(nextCheckAt(r))).toBe('2025-10-01T06:00:00.001+08:00');
  });

  it('is resolved when resolved; re-triggering resumes resolve where it stopped but keeps the response', () => {
    const resolved = [...history, to('2025-10-01T05:30', 'resolved')];
    expect(view(clock(resolved, '2025-10-01T06:30')).resolve).toEqual({
      dueAt: '2025-10-01T06:00:00+08:00',
      fulfilledAt: '2025-10-01T05:30:00+08:00',
      breached: false,
      elapsed: 210,
      remaining: 30,
      paused: false,
    });
    // Resolved 05:30–07:00 stops the clock: 210 used, 30 left from 07:00 → due 07:30.
    const again = [...resolved, to('2025-10-01T07:00', 'triggered')];
    const r = clock(again, '2025-10-01T07:30');
    expect(view(r).resolve).toMatchObject({ dueAt: '2025-10-01T07:30:00+08:00', fulfilledAt: null, breached: false });
    expect(view(r).respond).toMatchObject({ fulfilledAt: '2025-10-01T02:10:00+08:00' });
    expect(clock(again, '2025-10-01T07:30:00.001').targets.resolve).toMatchObject({ breached: true });
  });

  it('an incident resolved without an acknowledgement was answered when it was resolved', () => {
    const r = clock([declared('2025-10-09T10:00'), to('2025-10-09T10:40', 'resolved')], '2025-10-09T11:00');
    expect(view(r)).toMatchObject({
      respond: { fulfilledAt: '2025-10-09T10:40:00+08:00', breached: true, elapsed: 40 },
      resolve: { fulfilledAt: '2025-10-09T10:40:00+08:00', breached: false, elapsed: 40 },
    });
  });

  it('a cancelled incident stops every clock without meeting or breaching anything', () => {
    const r = clock([declared('2025-10-09T10:00'), to('2025-10-09T10:05', 'cancelled')], '2025-10-09T12:00');
    expect(view(r)).toEqual({
      respond: {
        dueAt: '2025-10-09T12:10:00+08:00',
        fulfilledAt: null,
        breached: false,
        elapsed: 5,
        remaining: 10,
        paused: true,
      },
      resolve: {
        dueAt: '2025-10-09T15:55:00+08:00',
        fulfilledAt: null,
        breached: false,
        elapsed: 5,
        remaining: 235,
        paused: true,
      },
    });
    expect(nextCheckAt(r)).toBeNull();
  });

  it('pauses only in the states the policy names (here: mitigated)', () => {
    // Resolve: 60 used by 11:00, mitigated 11:00–15:00 does not count, 180 left from 15:00 → 18:00.
    const r = clock(
      [
        declared('2025-10-09T10:00'),
        to('2025-10-09T10:05', 'acknowledged'),
        to('2025-10-09T11:00', 'mitigated'),
        to('2025-10-09T15:00', 'resolved'),
      ],
      '2025-10-09T16:00',
      policy({ targets: { resolve: 240 }, pauseStatuses: ['mitigated'] }),
    );
    expect(view(r)).toEqual({
      resolve: {
        dueAt: '2025-10-09T18:00:00+08:00',
        fulfilledAt: '2025-10-09T15:00:00+08:00',
        breached: false,
        elapsed: 60,
        remaining: 180,
        paused: false,
      },
    });
  });

  it('counts working time when the contract says business hours', () => {
    // Office calendar: Fri 17:00–18:00 (60) + Mon 09:00–10:00 (60) → Mon 10:00.
    const r = clock(
      [declared('2025-03-14T17:00')],
      '2025-03-17T09:30',
      policy({ targets: { resolve: 120 }, businessHours: true }),
      shanghai,
    );
    expect(view(r).resolve).toMatchObject({ dueAt: '2025-03-17T10:00:00+08:00', elapsed: 90 });
  });

  it('keeps real hours across a DST change (New York, 7×24)', () => {
    // 01:00 EST + 4 h of real time = 06:00 EDT (the clock skips 02:00–03:00).
    const ny = alwaysOpenCalendar('America/New_York');
    const r = clock([declared('2025-03-09T01:00')], '2025-03-09T04:00', policy({ targets: { resolve: 240 } }), ny);
    expect(view(r, 'America/New_York').resolve).toMatchObject({ dueAt: '2025-03-09T06:00:00-04:00', elapsed: 120 });
  });

  it('warns at the policy share and asks to be checked then', () => {
    const p = policy({ targets: { respond: 20 }, warnAtShare: 0.75 });
    const early = clock([declared('2025-10-09T10:00')], '2025-10-09T10:05', p);
    expect(fmt(early.targets.respond!.warnAt)).toBe('2025-10-09T10:15:00+08:00');
    expect(fmt(nextCheckAt(early))).toBe('2025-10-09T10:15:00+08:00');
    const late = clock([declared('2025-10-09T10:00')], '2025-10-09T10:16', p);
    expect(late.targets.respond).toMatchObject({ warning: true, breached: false });
    expect(fmt(nextCheckAt(late))).toBe('2025-10-09T10:20:00.001+08:00');
  });

  it('has no clocks before it is declared, and refuses a history without "declared"', () => {
    expect(clock([declared('2025-10-09T10:00')], '2025-10-09T09:00')).toMatchObject({ status: null, targets: {} });
    expect(() => clock([to('2025-10-09T10:00', 'acknowledged')], '2025-10-09T11:00')).toThrow(
      'the history has no "declared" event',
    );
  });
});
