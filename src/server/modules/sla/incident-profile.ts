/**
 * Incident SLAs as a clock profile: the contract's time to respond (declared → acknowledged)
 * and time to resolve (declared → resolved). Contracts for operations run around the clock, so
 * a policy counts elapsed time unless it says `businessHours: true`, and nothing pauses unless
 * the policy names pause states. Kept here until the incidents module exists; that module will
 * own it then, as tickets could own theirs.
 */
import { z } from 'zod';
import { validateWith, type Validation } from '../../lib/validation.ts';
import type { ClockResult } from './clock.ts';
import {
  defineClockProfile,
  eventSchemaOf,
  minutesSchema,
  stateSchema,
  warnAtShareSchema,
  type ClockEvent,
} from './profile.ts';

export const incidentTargetNames = ['respond', 'resolve'] as const;
export type IncidentTargetName = (typeof incidentTargetNames)[number];

export const incidentStates = ['triggered', 'acknowledged', 'mitigated', 'resolved', 'closed', 'cancelled'] as const;
export type IncidentState = (typeof incidentStates)[number];

export const incidentEventTypes = ['declared', 'status'] as const;
export type IncidentEventType = (typeof incidentEventTypes)[number];

/**
 * A cancelled incident (a false alarm) stops every clock without fulfilling anything: it is
 * neither met nor breached, so it counts for neither side of a penalty ledger.
 */
export const incidentProfile = defineClockProfile<IncidentState, IncidentEventType, IncidentTargetName>({
  name: 'incident',
  states: incidentStates,
  initialState: 'triggered',
  eventTypes: incidentEventTypes,
  startEvent: 'declared',
  stateEvent: 'status',
  doneStates: ['resolved', 'closed', 'cancelled'],
  defaultPauseStates: [],
  targets: [
    // Acknowledging is the response; an incident resolved without an acknowledgement was answered too.
    // Re-triggering later does not take the response back.
    {
      name: 'respond',
      kind: 'once',
      startsOn: 'declared',
      fulfilledBy: { reaching: ['acknowledged', 'mitigated', 'resolved', 'closed'] },
    },
    // Mitigation is not resolution; reopening (resolved → triggered) resumes the clock where it stopped.
    { name: 'resolve', kind: 'once', startsOn: 'declared', fulfilledBy: { whileIn: ['resolved', 'closed'] } },
  ],
});

export const incidentPolicySchema = z.strictObject({
  /** Minutes per target; a target left out is not measured. */
  targets: z
    .strictObject({ respond: minutesSchema.optional(), resolve: minutesSchema.optional() })
    .refine((t) => Object.values(t).some((v) => v !== undefined), 'at least one target is needed'),
  /** false (7×24): elapsed time; true: working time of the calendar. */
  businessHours: z.boolean().default(false),
  /** While the incident is in one of these states, every clock is paused. None by default. */
  pauseStatuses: z.array(stateSchema(incidentStates)).default([]),
  /** Share of a target (0–1) after which the target is "at risk", e.g. 0.75. */
  warnAtShare: warnAtShareSchema.optional(),
});

export type IncidentPolicy = z.output<typeof incidentPolicySchema>;
export type IncidentPolicyInput = z.input<typeof incidentPolicySchema>;

/** One entry of an incident's history: `declared` (its start), or a `status` change. */
export type IncidentEvent = ClockEvent<IncidentState, IncidentEventType>;

export const incidentEventSchema = eventSchemaOf(incidentProfile);

/** An incident's clock as `computeClock` returns it with this profile. */
export type IncidentClockResult = ClockResult<IncidentState, IncidentTargetName>;

/** Checks an incident policy; returns it with defaults filled in, or every problem found. */
export function validateIncidentPolicy(input: unknown): Validation<IncidentPolicy> {
  return validateWith(incidentPolicySchema, input);
}
