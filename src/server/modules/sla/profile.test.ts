import { describe, expect, it } from 'vitest';
import { incidentEventSchema, incidentProfile, validateIncidentPolicy } from './incident-profile.ts';
import { defineClockProfile, type ClockProfile } from './profile.ts';
import { ticketProfile } from './ticket-profile.ts';

describe('defineClockProfile', () => {
  const base: ClockProfile<string, string, string> = {
    name: 'order',
    states: ['open', 'shipped'],
    initialState: 'open',
    eventTypes: ['placed', 'status'],
    startEvent: 'placed',
    stateEvent: 'status',
    doneStates: ['shipped'],
    defaultPauseStates: [],
    targets: [{ name: 'ship', kind: 'once', startsOn: 'placed', fulfilledBy: { whileIn: ['shipped'] } }],
  };

  it('accepts the ticket and incident profiles and a consistent new one', () => {
    expect(ticketProfile.targets.map((t) => t.name)).toEqual([
      'firstResponse',
      'nextResponse',
      'periodicUpdate',
      'resolution',
    ]);
    expect(incidentProfile.targets.map((t) => t.name)).toEqual(['respond', 'resolve']);
    expect(defineClockProfile(base)).toBe(base);
  });

  it('refuses a profile that names unknown states or events, or a target that can never start or end', () => {
    const broken = {
      ...base,
      initialState: 'new',
      startEvent: 'created',
      doneStates: ['delivered'],
      targets: [
        { name: 'ship', kind: 'once', startsOn: 'placed', fulfilledBy: {} },
        { name: 'ship', kind: 'cycles', closesOn: ['reply'] },
      ],
    } satisfies ClockProfile<string, string, string>;
    expect(() => defineClockProfile(broken)).toThrow(
      'invalid clock profile "order": initialState: unknown state "new"; startEvent: unknown event type "created"; ' +
        'doneStates: unknown state "delivered"; targets.ship: nothing fulfils it; targets.ship: listed twice; ' +
        'targets.ship.closesOn: unknown event type "reply"; targets.ship: no cycle ever opens',
    );
  });
});

describe('incident policy', () => {
  it('counts around the clock and pauses nowhere unless told', () => {
    expect(validateIncidentPolicy({ targets: { respond: 15, resolve: 240 } })).toEqual({
      ok: true,
      value: { targets: { respond: 15, resolve: 240 }, businessHours: false, pauseStatuses: [] },
    });
    expect(
      validateIncidentPolicy({ targets: { resolve: 60 }, businessHours: true, pauseStatuses: ['mitigated'] }),
    ).toMatchObject({ ok: true, value: { businessHours: true, pauseStatuses: ['mitigated'] } });
  });

  it('lists every problem, worded like the ticket policy', () => {
    expect(
      validateIncidentPolicy({
        targets: { respond: 0, firstResponse: 30 },
        pauseStatuses: ['pending'],
        warnAtShare: 1,
      }),
    ).toEqual({
      ok: false,
      problems: [
        'targets.respond: must be a positive number of minutes',
        'targets: unknown key "firstResponse"',
        'pauseStatuses[0]: unknown status "pending" (one of triggered, acknowledged, mitigated, resolved, closed, cancelled)',
        'warnAtShare: must be below 1',
      ],
    });
    expect(validateIncidentPolicy({ targets: {} })).toEqual({
      ok: false,
      problems: ['targets: at least one target is needed'],
    });
  });
});

describe('incident events', () => {
  it('knows declared and status; a status event needs a status', () => {
    expect(incidentEventSchema.safeParse({ at: '2025-10-09T10:00', type: 'declared' }).success).toBe(true);
    const bad = incidentEventSchema.safeParse({ at: '2025-10-09T10:00', type: 'created' });
    expect(bad.error?.issues.map((i) => i.message)).toEqual(['unknown event type "created" (one of declared, status)']);
    const noStatus = incidentEventSchema.safeParse({ at: '2025-10-09T10:00', type: 'status' });
    expect(noStatus.error?.issues.map((i) => i.message)).toEqual(['a status event needs a status']);
  });
});
