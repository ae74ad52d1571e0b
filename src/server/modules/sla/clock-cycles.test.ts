/**
 * Hand-computed clock cases of the cyclic targets (next response, periodic update), warnings and a
 * DST change. Unless stated: the `shanghai` office calendar; 2025-03-17 is a Monday.
 */
import { describe, expect, it } from 'vitest';
import { MIN, fmt, newYork, shanghai } from '../../lib/time/test-fixtures.ts';
import { nextCheckAt } from './clock.ts';
import { computeClock, policy, ev, view } from './clock-cases.ts';

describe('next response (latest cycle)', () => {
  const history = [
    ev('2025-03-17T09:00', 'created'),
    ev('2025-03-17T09:05', 'customer_reply'), // before the first response: not a next-response cycle
    ev('2025-03-17T09:10', 'agent_reply'),
    ev('2025-03-17T10:00', 'customer_reply'), // opens cycle 1
    ev('2025-03-17T10:05', 'customer_reply'), // does not restart it
    ev('2025-03-17T10:40', 'agent_reply'), // fulfils it: 40 min
    ev('2025-03-17T11:50', 'customer_reply'), // opens cycle 2: 10 + 50 → 14:20
  ];
  const p = policy({ targets: { nextResponse: 60 } });

  it('has not started until a customer writes after the first response', () => {
    expect(computeClock(history.slice(0, 3), p, shanghai, '2025-03-17T09:30').targets).toEqual({});
  });

  it('reports a fulfilled cycle until the next one opens', () => {
    const r = computeClock(history, p, shanghai, '2025-03-17T11:00');
    expect(view(r).nextResponse).toMatchObject({
      dueAt: '2025-03-17T11:00:00+08:00',
      fulfilledAt: '2025-03-17T10:40:00+08:00',
      elapsed: 40,
      breachedAt: null,
    });
    expect(r.targets.nextResponse).toMatchObject({ cycle: 1 });
  });

  it('reports the open cycle across lunch, breached after 14:20', () => {
    const r = computeClock(history, p, shanghai, '2025-03-17T14:21');
    expect(view(r).nextResponse).toEqual({
      dueAt: '2025-03-17T14:20:00+08:00',
      fulfilledAt: null,
      breachedAt: '2025-03-17T14:20:00+08:00',
      elapsed: 61,
      remaining: -1,
      paused: false,
    });
    expect(r.targets.nextResponse).toMatchObject({ cycle: 2, earlierBreaches: 0 });
  });
});

describe('periodic update', () => {
  const p = policy({ targets: { periodicUpdate: 120 } });
  const history = [ev('2025-03-17T09:00', 'created'), ev('2025-03-17T10:00', 'agent_reply')];

  it('restarts at each agent reply and is not fulfilled while the ticket is open', () => {
    const r = computeClock(history, p, shanghai, '2025-03-17T12:00');
    expect(view(r).periodicUpdate).toEqual({
      dueAt: '2025-03-17T12:00:00+08:00',
      fulfilledAt: null,
      breachedAt: null,
      elapsed: 120,
      remaining: 0,
      paused: false,
    });
    expect(r.targets.periodicUpdate).toMatchObject({ cycle: 2 });
  });

  it('is breached after the due instant even in the lunch break (no business time passed)', () => {
    expect(computeClock(history, p, shanghai, '2025-03-17T13:00').targets.periodicUpdate).toMatchObject({
      breached: true,
      elapsedMs: 120 * MIN,
    });
  });

  it('is fulfilled when the ticket is solved', () => {
    const r = computeClock([...history, ev('2025-03-17T11:00', 'status', 'solved')], p, shanghai, '2025-03-17T15:00');
    expect(view(r).periodicUpdate).toMatchObject({
      fulfilledAt: '2025-03-17T11:00:00+08:00',
      elapsed: 60,
      breachedAt: null,
    });
  });

  it('counts breached earlier cycles', () => {
    const r = computeClock([...history, ev('2025-03-17T14:00', 'agent_reply')], p, shanghai, '2025-03-17T14:30');
    expect(r.targets.periodicUpdate).toMatchObject({ cycle: 3, earlierBreaches: 1, breached: false });
  });
});

describe('warnings and nextCheckAt', () => {
  // First response 60 with warnAtShare 0.75, created 11:30: 45 min → 11:30–12:00 + 13:30–13:45.
  const p = policy({ targets: { firstResponse: 60 }, warnAtShare: 0.75 });
  const history = [ev('2025-03-17T11:30', 'created')];

  it('warns at 75 % of the budget and asks to be checked then, then just after the due instant', () => {
    const early = computeClock(history, p, shanghai, '2025-03-17T11:40');
    expect(fmt(early.targets.firstResponse!.warnAt)).toBe('2025-03-17T13:45:00+08:00');
    expect(early.targets.firstResponse?.warning).toBe(false);
    expect(fmt(nextCheckAt(early))).toBe('2025-03-17T13:45:00+08:00');
    const late = computeClock(history, p, shanghai, '2025-03-17T13:50');
    expect(late.targets.firstResponse?.warning).toBe(true);
    expect(nextCheckAt(late)?.toISOString()).toBe('2025-03-17T06:00:00.001Z'); // 14:00:00.001 Shanghai
    expect(nextCheckAt(computeClock(history, p, shanghai, '2025-03-17T14:01'))).toBeNull();
  });

  it('has nothing to check for fulfilled targets', () => {
    expect(
      nextCheckAt(computeClock([...history, ev('2025-03-17T11:35', 'agent_reply')], p, shanghai, '2025-03-17T11:40')),
    ).toBeNull();
  });
});

describe('a DST change day (America/New_York, Mon–Fri 09:00–17:00)', () => {
  // Fri 2025-03-07 16:00 EST, resolution 120: 60 on Friday, 60 on Monday (now EDT) → 10:00 EDT.
  // Pending Fri 16:30 → Mon 09:30 is 30 + 30 = 60 in hours, moving the deadline to 11:00 EDT.
  const p = policy({ targets: { resolution: 120 } });
  it('keeps wall-clock deadlines across the change', () => {
    const tz = 'America/New_York';
    expect(
      view(computeClock([ev('2025-03-07T16:00', 'created')], p, newYork, '2025-03-10T09:30'), tz).resolution,
    ).toMatchObject({ dueAt: '2025-03-10T10:00:00-04:00', elapsed: 90 });
    const paused = [
      ev('2025-03-07T16:00', 'created'),
      ev('2025-03-07T16:30', 'status', 'pending'),
      ev('2025-03-10T09:30', 'status', 'open'),
    ];
    expect(view(computeClock(paused, p, newYork, '2025-03-10T10:00'), tz).resolution).toMatchObject({
      dueAt: '2025-03-10T11:00:00-04:00',
      elapsed: 60,
    });
  });
});
