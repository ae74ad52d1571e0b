/**
 * Ticket SLAs as a clock profile, and their inputs besides the calendar: a policy snapshot
 * (copied onto the ticket when its clock starts, so later edits of the policy do not rewrite
 * history) and the ticket's event history. It lives in the SLA module because the module owns
 * the `sla_policies` table whose rows are these policies.
 */
import { z } from 'zod';
import type { ClockResult } from './clock.ts';
import { validateWith, type Validation } from '../../lib/validation.ts';
import {
  defineClockProfile,
  eventSchemaOf,
  minutesSchema,
  stateSchema,
  warnAtShareSchema,
  type ClockEvent,
} from './profile.ts';

export const targetNames = ['firstResponse', 'nextResponse', 'periodicUpdate', 'resolution'] as const;
export type TargetName = (typeof targetNames)[number];

export const ticketStatuses = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

/** Statuses in which the ticket is done: every clock stops, resolution is fulfilled. */
export const doneStatuses: readonly TicketStatus[] = ['solved', 'closed'];

export const defaultPauseStatuses: TicketStatus[] = ['pending', 'on_hold'];

export const eventTypes = ['created', 'status', 'agent_reply', 'customer_reply'] as const;
export type SlaEventType = (typeof eventTypes)[number];

/**
 * The four ticket targets (README.md, "Targets"). Solved and closed stop every clock; they
 * fulfil resolution and periodic update, not the response targets, since no reply was sent.
 */
export const ticketProfile = defineClockProfile<TicketStatus, SlaEventType, TargetName>({
  name: 'ticket',
  states: ticketStatuses,
  initialState: 'new',
  eventTypes,
  startEvent: 'created',
  stateEvent: 'status',
  doneStates: doneStatuses,
  defaultPauseStates: defaultPauseStatuses,
  targets: [
    { name: 'firstResponse', kind: 'once', startsOn: 'created', fulfilledBy: { events: ['agent_reply'] } },
    // After the first agent reply, a customer's message opens a cycle that the next agent reply closes.
    {
      name: 'nextResponse',
      kind: 'cycles',
      opensOn: ['customer_reply'],
      armedBy: ['agent_reply'],
      closesOn: ['agent_reply'],
    },
    // From creation, then again from every agent reply; ends when the ticket is done.
    {
      name: 'periodicUpdate',
      kind: 'cycles',
      opensAtStart: true,
      restartsOn: ['agent_reply'],
      whileIn: doneStatuses,
    },
    { name: 'resolution', kind: 'once', startsOn: 'created', fulfilledBy: { whileIn: doneStatuses } },
  ],
});

export const policySchema = z.strictObject({
  /** Minutes per target; a target left out is not measured. */
  targets: z
    .strictObject({
      firstResponse: minutesSchema.optional(),
      nextResponse: minutesSchema.optional(),
      periodicUpdate: minutesSchema.optional(),
      resolution: minutesSchema.optional(),
    })
    .refine((t) => Object.values(t).some((v) => v !== undefined), 'at least one target is needed'),
  /** true: targets count working time of the calendar; false: real elapsed time. */
  businessHours: z.boolean().default(true),
  /** While the ticket is in one of these statuses, every clock is paused. */
  pauseStatuses: z.array(stateSchema(ticketStatuses)).default(defaultPauseStatuses),
  /** Share of a target (0–1) after which the target is "at risk", e.g. 0.75. */
  warnAtShare: warnAtShareSchema.optional(),
});

export type SlaPolicy = z.output<typeof policySchema>;
export type SlaPolicyInput = z.input<typeof policySchema>;

/**
 * One entry of a ticket's history. `status` on a `status` event is required; on any other event
 * it is optional and means "this event also set the status" (a reply sent as pending, a ticket
 * created on hold).
 */
export type SlaEvent = ClockEvent<TicketStatus, SlaEventType>;

export const eventSchema = eventSchemaOf(ticketProfile);

/** Checks a policy; returns it with defaults filled in, or every problem found. */
export function validatePolicy(input: unknown): Validation<SlaPolicy> {
  return validateWith(policySchema, input);
}

/** A ticket's clock as `computeClock` returns it with this profile. */
export type TicketClockResult = ClockResult<TicketStatus, TargetName>;
