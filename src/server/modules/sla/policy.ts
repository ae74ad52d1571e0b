/**
 * The inputs of an SLA clock besides the calendar: a policy snapshot (copied onto the ticket
 * when its clock starts, so later edits of the policy do not rewrite history) and the ticket's
 * event history.
 */
import { z } from 'zod';
import { problemsOf, type Validation } from '../../lib/validation.ts';

export const targetNames = ['firstResponse', 'nextResponse', 'periodicUpdate', 'resolution'] as const;
export type TargetName = (typeof targetNames)[number];

export const ticketStatuses = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

/** Statuses in which the ticket is done: every clock stops, resolution is fulfilled. */
export const doneStatuses: readonly TicketStatus[] = ['solved', 'closed'];

export const defaultPauseStatuses: TicketStatus[] = ['pending', 'on_hold'];

const minutes = z.number().positive('must be a positive number of minutes').finite();

export const policySchema = z.strictObject({
  /** Minutes per target; a target left out is not measured. */
  targets: z
    .strictObject({
      firstResponse: minutes.optional(),
      nextResponse: minutes.optional(),
      periodicUpdate: minutes.optional(),
      resolution: minutes.optional(),
    })
    .refine((t) => Object.values(t).some((v) => v !== undefined), 'at least one target is needed'),
  /** true: targets count working time of the calendar; false: real elapsed time. */
  businessHours: z.boolean().default(true),
  /** While the ticket is in one of these statuses, every clock is paused. */
  pauseStatuses: z
    .array(
      z.enum(ticketStatuses, {
        error: (i) => `unknown status ${JSON.stringify(i.input)} (one of ${ticketStatuses.join(', ')})`,
      }),
    )
    .default(defaultPauseStatuses),
  /** Share of a target (0–1) after which the target is "at risk", e.g. 0.75. */
  warnAtShare: z.number().gt(0, 'must be above 0').lt(1, 'must be below 1').optional(),
});

export type SlaPolicy = z.output<typeof policySchema>;
export type SlaPolicyInput = z.input<typeof policySchema>;

export const eventTypes = ['created', 'status', 'agent_reply', 'customer_reply'] as const;
export type SlaEventType = (typeof eventTypes)[number];

/**
 * One entry of a ticket's history. `status` on a `status` event is required; on any other event
 * it is optional and means "this event also set the status" (a reply sent as pending, a ticket
 * created on hold).
 */
export type SlaEvent = {
  at: Date | string | number;
  type: SlaEventType;
  status?: TicketStatus;
};

const statusSchema = z.enum(ticketStatuses, {
  error: (i) => `unknown status ${JSON.stringify(i.input)} (one of ${ticketStatuses.join(', ')})`,
});

export const eventSchema = z
  .object({
    at: z.union([z.string(), z.date()], { error: 'must be an ISO-8601 date-time' }),
    type: z.enum(eventTypes, {
      error: (i) => `unknown event type ${JSON.stringify(i.input)} (one of ${eventTypes.join(', ')})`,
    }),
    status: statusSchema.optional(),
  })
  .refine((e) => e.type !== 'status' || e.status !== undefined, {
    path: ['status'],
    message: 'a status event needs a status',
  });

/** Checks a policy; returns it with defaults filled in, or every problem found. */
export function validatePolicy(input: unknown): Validation<SlaPolicy> {
  const r = policySchema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, problems: problemsOf(r.error) };
}
