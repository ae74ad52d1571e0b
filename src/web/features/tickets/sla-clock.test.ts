import { describe, expect, it } from 'vitest';
import type { SlaState, TargetState } from './api.ts';
import { liveTarget, nextDeadline, span, spanText } from './sla-clock.ts';

const now = Date.parse('2025-06-16T10:00:00Z');
const target = (patch: Partial<TargetState> = {}): TargetState => ({
  dueAt: '2025-06-16T10:30:00Z',
  warnAt: '2025-06-16T10:22:30Z',
  elapsedMinutes: 0,
  remainingMinutes: 30,
  paused: false,
  fulfilledAt: null,
  breachedAt: null,
  breached: false,
  warning: false,
  ...patch,
});
const sla = (targets: SlaState['targets']): SlaState => ({
  policyId: 'p',
  policyName: 'Standard',
  businessHours: true,
  computedAt: '2025-06-16T10:00:00Z',
  targets,
  nextDeadlineAt: null,
});

describe('liveTarget', () => {
  it('counts down to the due instant, warns from warnAt, and is breached just after the due instant', () => {
    expect(liveTarget(target(), now)).toEqual({ kind: 'running', ms: 30 * 60_000 });
    expect(liveTarget(target(), Date.parse('2025-06-16T10:25:00Z'))).toEqual({ kind: 'warning', ms: 5 * 60_000 });
    expect(liveTarget(target(), Date.parse('2025-06-16T10:30:00Z')).kind).toBe('warning'); // on time at the instant
    expect(liveTarget(target(), Date.parse('2025-06-16T10:35:00Z'))).toEqual({ kind: 'breached', ms: 5 * 60_000 });
  });

  it('trusts the server for pauses, fulfilment and breaches', () => {
    expect(liveTarget(target({ paused: true, remainingMinutes: 18.5 }), now)).toEqual({
      kind: 'paused',
      ms: 18.5 * 60_000,
    });
    expect(liveTarget(target({ fulfilledAt: '2025-06-16T10:10:00Z' }), now).kind).toBe('fulfilled');
    expect(liveTarget(target({ fulfilledAt: '2025-06-16T10:40:00Z', breached: true }), now).kind).toBe('fulfilledLate');
    expect(liveTarget(target({ warning: true }), now).kind).toBe('warning');
    expect(liveTarget(target({ breached: true, dueAt: '2025-06-16T10:00:00Z' }), now)).toEqual({
      kind: 'breached',
      ms: 0,
    });
  });
});

describe('nextDeadline', () => {
  it('picks the running target due first, then a paused one, then the outcome', () => {
    expect(nextDeadline(null, now)).toBeNull();
    expect(nextDeadline(sla({}), now)).toBeNull();
    const both = sla({ resolution: target({ dueAt: '2025-06-17T10:00:00Z' }), firstResponse: target() });
    expect(nextDeadline(both, now)?.target).toBe('firstResponse');
    const paused = sla({
      firstResponse: target({ paused: true, remainingMinutes: 20 }),
      resolution: target({ paused: true, remainingMinutes: 400 }),
    });
    expect(nextDeadline(paused, now)).toEqual({ target: 'firstResponse', live: { kind: 'paused', ms: 20 * 60_000 } });
    const met = sla({ firstResponse: target({ fulfilledAt: '2025-06-16T10:05:00Z' }) });
    expect(nextDeadline(met, now)?.live.kind).toBe('fulfilled');
    const late = sla({
      firstResponse: target({ fulfilledAt: '2025-06-16T10:05:00Z' }),
      resolution: target({ fulfilledAt: '2025-06-16T12:00:00Z', breached: true }),
    });
    expect(nextDeadline(late, now)).toEqual({ target: 'resolution', live: { kind: 'fulfilledLate', ms: 0 } });
  });

  it('prefers a running target over a paused one', () => {
    const mixed = sla({
      firstResponse: target({ paused: true }),
      resolution: target({ dueAt: '2025-06-20T00:00:00Z' }),
    });
    expect(nextDeadline(mixed, now)?.target).toBe('resolution');
  });
});

describe('span', () => {
  it('splits a duration and says it in one or two units', () => {
    expect(span(90_061_000)).toEqual({ days: 1, hours: 1, minutes: 1, seconds: 1 });
    expect(span(-5)).toEqual({ days: 0, hours: 0, minutes: 0, seconds: 0 });
    expect(spanText(45_000).key).toBe('seconds');
    expect(spanText(12 * 60_000 + 59_999).values.minutes).toBe(12);
    expect(spanText(3 * 3600_000 + 5 * 60_000).key).toBe('hoursMinutes');
    expect(spanText(2 * 86_400_000).key).toBe('days');
    expect(spanText(2 * 86_400_000 + 3600_000).key).toBe('daysHours');
    expect(spanText(4 * 3600_000).key).toBe('hours');
  });
});
