/**
 * Hand-computed clock cases: first response, holidays, pauses, resolution. Unless stated: the
 * `shanghai` office calendar (Mon–Fri 09:00–12:00 and 13:30–18:00, CN holidays); 2025-03-17 is a
 * Monday. Times are Shanghai wall-clock.
 */
import { describe, expect, it } from 'vitest';
import { fmt, shanghai } from '../../lib/time/test-fixtures.ts';
import { nextCheckAt } from './clock.ts';
import { computeClock, policy, ev, view } from './clock-cases.ts';

describe('first response', () => {
  const created = [ev('2025-03-17T09:00', 'created')];
  const p = policy({ targets: { firstResponse: 30 } });

  it('a reply exactly at the deadline is on time', () => {
    const r = computeClock([...created, ev('2025-03-17T09:30', 'agent_reply')], p, shanghai, '2025-03-17T12:00');
    expect(view(r).firstResponse).toEqual({
      dueAt: '2025-03-17T09:30:00+08:00',
      fulfilledAt: '2025-03-17T09:30:00+08:00',
      breachedAt: null,
      elapsed: 30,
      remaining: 0,
      paused: false,
    });
    expect(r.targets.firstResponse?.breached).toBe(false);
  });

  it('a reply one millisecond late is a breach at the due instant', () => {
    const r = computeClock([...created, ev('2025-03-17T09:30:00.001', 'agent_reply')], p, shanghai, '2025-03-17T12:00');
    expect(r.targets.firstResponse).toMatchObject({ breached: true });
    expect(fmt(r.targets.firstResponse!.breachedAt)).toBe('2025-03-17T09:30:00+08:00');
  });

  it('unanswered: not breached at the due instant, breached just after', () => {
    expect(computeClock(created, p, shanghai, '2025-03-17T09:30').targets.firstResponse).toMatchObject({
      breached: false,
      remainingMs: 0,
    });
    expect(computeClock(created, p, shanghai, '2025-03-17T09:30:00.001').targets.firstResponse).toMatchObject({
      breached: true,
    });
  });

  it('Friday 17:50 with 30 business minutes is due Monday 09:20; on Saturday 10 minutes have elapsed', () => {
    const r = computeClock([ev('2025-03-14T17:50', 'created')], p, shanghai, '2025-03-15T12:00');
    expect(view(r).firstResponse).toEqual({
      dueAt: '2025-03-17T09:20:00+08:00',
      fulfilledAt: null,
      breachedAt: null,
      elapsed: 10,
      remaining: 20,
      paused: false,
    });
  });

  it('created before opening: the clock starts at 09:00', () => {
    const r = computeClock(
      [ev('2025-03-17T07:00', 'created'), ev('2025-03-17T09:10', 'agent_reply')],
      p,
      shanghai,
      '2025-03-17T10:00',
    );
    expect(view(r).firstResponse).toMatchObject({ dueAt: '2025-03-17T09:30:00+08:00', elapsed: 10 });
  });

  it('created on a holiday (Oct 3): the clock starts Oct 9 09:00', () => {
    const r = computeClock([ev('2025-10-03T10:00', 'created')], p, shanghai, '2025-10-09T09:20');
    expect(view(r).firstResponse).toMatchObject({ dueAt: '2025-10-09T09:30:00+08:00', elapsed: 20 });
  });

  it('a ticket created as pending starts its clock when it leaves pending', () => {
    const r = computeClock(
      [ev('2025-03-17T09:00', 'created', 'pending'), ev('2025-03-17T10:00', 'status', 'open')],
      p,
      shanghai,
      '2025-03-17T10:10',
    );
    expect(view(r).firstResponse).toMatchObject({ dueAt: '2025-03-17T10:30:00+08:00', elapsed: 10 });
  });

  it('is not started before the ticket exists', () => {
    expect(computeClock(created, p, shanghai, '2025-03-17T08:00')).toMatchObject({ status: null, targets: {} });
  });

  it('refuses a history without "created"', () => {
    expect(() => computeClock([ev('2025-03-17T09:00', 'agent_reply')], p, shanghai, '2025-03-17T10:00')).toThrow(
      /created/,
    );
  });
});

describe('National Day 2025 (Oct 1–8 off)', () => {
  it('Tue Sep 30 17:00: first response 120 → Oct 9 10:00, resolution 480 → Oct 9 17:30', () => {
    const r = computeClock(
      [ev('2025-09-30T17:00', 'created')],
      policy({ targets: { firstResponse: 120, resolution: 480 } }),
      shanghai,
      '2025-10-05T12:00',
    );
    expect(view(r)).toEqual({
      firstResponse: {
        dueAt: '2025-10-09T10:00:00+08:00',
        fulfilledAt: null,
        breachedAt: null,
        elapsed: 60,
        remaining: 60,
        paused: false,
      },
      resolution: {
        dueAt: '2025-10-09T17:30:00+08:00',
        fulfilledAt: null,
        breachedAt: null,
        elapsed: 60,
        remaining: 420,
        paused: false,
      },
    });
  });
});

describe('pauses', () => {
  // Created Mon 10:00, resolution 480. Without pauses: Mon 10–12 (120) + 13:30–18:00 (270) = 390,
  // then 90 on Tue → Tue 10:30. Pending Mon 17:00 → Tue 10:00: in hours 60 (Mon) + 60 (Tue) = 120,
  // so the deadline moves by 120 business minutes: Tue 10:30 → 14:00.
  const history = [
    ev('2025-03-17T10:00', 'created'),
    ev('2025-03-17T17:00', 'status', 'pending'),
    ev('2025-03-18T10:00', 'status', 'open'),
  ];
  const p = policy({ targets: { resolution: 480 } });

  it('a pause across a night adds its in-hours length (120 min) to the deadline', () => {
    const r = computeClock(history, p, shanghai, '2025-03-18T11:00');
    expect(view(r).resolution).toEqual({
      dueAt: '2025-03-18T14:00:00+08:00',
      fulfilledAt: null,
      breachedAt: null,
      elapsed: 390,
      remaining: 90,
      paused: false,
    });
    const unpaused = computeClock(history.slice(0, 1), p, shanghai, '2025-03-18T11:00');
    expect(fmt(unpaused.targets.resolution!.dueAt)).toBe('2025-03-18T10:30:00+08:00');
  });

  it('while paused: elapsed is frozen and the deadline is projected as if the pause ended now', () => {
    const r = computeClock(history, p, shanghai, '2025-03-17T20:00');
    // 330 used by 17:00; 150 left from Mon 20:00 → Tue 09:00–11:30.
    expect(view(r).resolution).toEqual({
      dueAt: '2025-03-18T11:30:00+08:00',
      fulfilledAt: null,
      breachedAt: null,
      elapsed: 330,
      remaining: 150,
      paused: true,
    });
    expect(nextCheckAt(r)).toBeNull();
  });

  it('gives the same result whatever order the events come in', () => {
    const shuffled = [history[2], history[0], history[1]];
    expect(computeClock(shuffled, p, shanghai, '2025-03-18T11:00')).toEqual(
      computeClock(history, p, shanghai, '2025-03-18T11:00'),
    );
  });

  it('a changed priority re-targets from the original start, keeping the pause', () => {
    // 360 min: 330 used by Mon 17:00, 30 more from Tue 10:00 → 10:30. 240 min: Mon 10–12 + 13:30–15:30.
    expect(
      fmt(
        computeClock(history, policy({ targets: { resolution: 360 } }), shanghai, '2025-03-18T11:00').targets
          .resolution!.dueAt,
      ),
    ).toBe('2025-03-18T10:30:00+08:00');
    const r = computeClock(history, policy({ targets: { resolution: 240 } }), shanghai, '2025-03-18T11:00');
    expect(view(r).resolution).toMatchObject({
      dueAt: '2025-03-17T15:30:00+08:00',
      breachedAt: '2025-03-17T15:30:00+08:00',
      elapsed: 390,
      remaining: -150,
    });
  });

  it('on_hold pauses too; a custom pauseStatuses list replaces the default', () => {
    const hold = [history[0], ev('2025-03-17T17:00', 'status', 'on_hold'), history[2]];
    expect(fmt(computeClock(hold, p, shanghai, '2025-03-18T11:00').targets.resolution!.dueAt)).toBe(
      '2025-03-18T14:00:00+08:00',
    );
    const onlyPending = policy({ targets: { resolution: 480 }, pauseStatuses: ['pending'] });
    expect(fmt(computeClock(hold, onlyPending, shanghai, '2025-03-18T11:00').targets.resolution!.dueAt)).toBe(
      '2025-03-18T10:30:00+08:00',
    );
  });

  it('in calendar time a pause adds its full length (Fri 17:50 + 30 min, pending 18:00–18:30 → 18:50)', () => {
    const r = computeClock(
      [
        ev('2025-03-14T17:50', 'created'),
        ev('2025-03-14T18:00', 'status', 'pending'),
        ev('2025-03-14T18:30', 'status', 'open'),
      ],
      policy({ targets: { firstResponse: 30 }, businessHours: false }),
      shanghai,
      '2025-03-14T18:40',
    );
    expect(view(r).firstResponse).toMatchObject({ dueAt: '2025-03-14T18:50:00+08:00', elapsed: 20 });
  });
});

describe('resolution', () => {
  // Created Mon 09:00, resolution 480. Solved Mon 12:00 (180 used), reopened Tue 09:00: the
  // solved time counts as paused, so 300 are left from Tue 09:00 → 09–12 (180) + 13:30–15:30.
  const base = [ev('2025-03-17T09:00', 'created'), ev('2025-03-17T12:00', 'status', 'solved')];
  const p = policy({ targets: { firstResponse: 240, resolution: 480 } });

  it('is fulfilled when solved; an unanswered first response is then paused, not breached', () => {
    // Resolution: deadline as it stood when solved, 09:00 + 480 → Mon 450 + Tue 30 → Tue 09:30.
    // First response 240: 180 used by 12:00, stopped while solved; 60 left from now (15:00) → 16:00.
    const r = computeClock(base, p, shanghai, '2025-03-17T15:00');
    expect(view(r)).toEqual({
      firstResponse: {
        dueAt: '2025-03-17T16:00:00+08:00',
        fulfilledAt: null,
        breachedAt: null,
        elapsed: 180,
        remaining: 60,
        paused: true,
      },
      resolution: {
        dueAt: '2025-03-18T09:30:00+08:00',
        fulfilledAt: '2025-03-17T12:00:00+08:00',
        breachedAt: null,
        elapsed: 180,
        remaining: 300,
        paused: false,
      },
    });
  });

  it('reopening resumes the clock where it was', () => {
    const reopened = [...base, ev('2025-03-18T09:00', 'status', 'open')];
    const r = computeClock(reopened, p, shanghai, '2025-03-18T10:00');
    expect(view(r).resolution).toEqual({
      dueAt: '2025-03-18T15:30:00+08:00',
      fulfilledAt: null,
      breachedAt: null,
      elapsed: 240,
      remaining: 240,
      paused: false,
    });
    const late = [...reopened, ev('2025-03-18T16:00', 'status', 'solved'), ev('2025-03-18T17:00', 'status', 'closed')];
    expect(view(computeClock(late, p, shanghai, '2025-03-19T10:00')).resolution).toEqual({
      dueAt: '2025-03-18T15:30:00+08:00',
      fulfilledAt: '2025-03-18T16:00:00+08:00',
      breachedAt: '2025-03-18T15:30:00+08:00',
      elapsed: 510,
      remaining: -30,
      paused: false,
    });
  });
});
