import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';

const ref = { number: z.number().int(), title: z.string() };

export const incidentEvents = defineEvents({
  'incident.declared': z.object({
    ...ref,
    severity: z.string(),
    source: z.string(),
    mode: z.string(),
    workspaceIds: z.array(z.string()),
  }),
  'incident.acknowledged': z.object({ ...ref, by: z.string().nullable(), via: z.string() }),
  /** Every other state change (mitigated, resolved, closed, cancelled, re-triggered). */
  'incident.state_changed': z.object({ ...ref, from: z.string(), to: z.string(), via: z.string() }),
  'incident.updated': z.object({ ...ref, fields: z.array(z.string()), severity: z.string() }),
  'incident.noted': z.object({ ...ref, public: z.boolean() }),
  /** The resolution deadline passed: the vendor's technical director steps in (技术总监介入). */
  'incident.director_engaged': z.object({
    ...ref,
    workspaceIdOfContract: z.string(),
    director: z.string().nullable(),
    contacts: z.array(z.string()),
  }),
  'incident_contract.saved': z.object({
    total: z.number(),
    currency: z.string(),
    capScope: z.string(),
    rounding: z.string(),
  }),
  'incident_channel.saved': z.object({ name: z.string(), kind: z.string(), enabled: z.boolean() }),
  'oncall_rotation.saved': z.object({ name: z.string(), kind: z.string() }),
  'escalation_policy.saved': z.object({ steps: z.number().int() }),
  /** An escalation step went out (who was told), or the incident re-triggered after an acknowledgement without progress. */
  'incident.escalated': z.object({
    ...ref,
    step: z.number().int(),
    round: z.number().int(),
    userIds: z.array(z.string()),
  }),
  'incident.reviewed': z.object({ ...ref, actionItems: z.number().int() }),
  'penalty_statement.signed': z.object({ month: z.string(), party: z.string(), deductionCents: z.number().int() }),
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof incidentEvents> {}
}
