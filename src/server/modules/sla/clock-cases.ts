/** Helpers of the hand-computed clock cases (clock.test.ts, clock-cycles.test.ts). */
import type { Calendar, Instant } from '../../lib/time/index.ts';
import { MIN, fmt } from '../../lib/time/test-fixtures.ts';
import { computeClock as computeWith } from './clock.ts';
import {
  policySchema,
  ticketProfile,
  type SlaEvent,
  type SlaPolicy,
  type SlaPolicyInput,
  type TicketClockResult as ClockResult,
  type TicketStatus,
} from './ticket-profile.ts';

/** Every case here is a ticket's: the generic engine with the ticket profile. */
export const computeClock = (events: readonly SlaEvent[], policy: SlaPolicy, calendar: Calendar, now: Instant) =>
  computeWith(events, policy, calendar, now, ticketProfile);

export const policy = (p: SlaPolicyInput) => policySchema.parse(p);
export const ev = (at: string, type: SlaEvent['type'], status?: TicketStatus): SlaEvent => ({
  at,
  type,
  ...(status ? { status } : {}),
});

/** The readable view of a result: local times, minutes. */
export function view(r: ClockResult, tz = 'Asia/Shanghai') {
  return Object.fromEntries(
    Object.entries(r.targets).map(([name, c]) => [
      name,
      {
        dueAt: fmt(c.dueAt, tz),
        fulfilledAt: fmt(c.fulfilledAt, tz),
        breachedAt: fmt(c.breachedAt, tz),
        elapsed: c.elapsedMs / MIN,
        remaining: c.remainingMs / MIN,
        paused: c.paused,
      },
    ]),
  );
}
