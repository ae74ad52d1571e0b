import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';

/** Alert severities, graded as the contract grades faults (requirements §3). */
export const severities = ['P1', 'P2', 'P3'] as const;
export type Severity = (typeof severities)[number];

/**
 * One alert of a rule, as Alertmanager would receive it. The incidents module consumes these:
 * `fingerprint` identifies the alert across firings (rule + labels), `component` and
 * `workspaceIds` say what failed and whom it affects (every workspace that depends on the
 * component, or the one its `workspace` label names).
 */
export const alertPayload = z.object({
  /** The alert's row id (monitoring_alerts). */
  alertId: z.string(),
  /** Stable hash of the rule name and the alert's labels: the same alert across restarts and nodes. */
  fingerprint: z.string(),
  /** The rule's `alert` name. */
  rule: z.string(),
  /** The rule group's name. */
  group: z.string(),
  /** The `severity` label when it is P1/P2/P3, else null (not graded). */
  severity: z.enum(severities).nullable(),
  /** The `component` label (a component's name, see `listComponents`), or null. */
  component: z.string().nullable(),
  /** The workspaces affected: the `workspace` label's, or all that depend on the component. */
  workspaceIds: z.array(z.string()),
  /** All labels of the alert (the rule's labels and the series' labels; incl. severity, component, workspace). */
  labels: z.record(z.string(), z.string()),
  /** summary, description, runbook_url … with label values filled in. */
  annotations: z.record(z.string(), z.string()),
  /** When the alert became active (pending began). */
  activeAt: z.string(),
  /** When it fired (Alertmanager's startsAt). */
  startsAt: z.string(),
  /** When it resolved (null while firing). */
  endsAt: z.string().nullable(),
  /** The expression's value at the evaluation that decided (null when absent). */
  value: z.number().nullable(),
  /** A re-notification of a firing alert (its probe's `resendEvery`): 1, 2, … (absent the first time). */
  repeat: z.number().int().min(1).optional(),
});
export type AlertEvent = z.output<typeof alertPayload>;

export const monitoringEvents = defineEvents({
  /**
   * An alert left pending for firing (once per alert occurrence; never twice across restarts or
   * nodes), and again every `resendEvery` checks of its probe while it fires (with `repeat`).
   */
  'alert.firing': alertPayload,
  /** A firing alert stopped firing (after its `keep_firing_for`). */
  'alert.resolved': alertPayload,
  /** Probes, rules, silences or maintenance windows changed (the console, the API, `kefu ops apply`). */
  'ops_config.applied': z.object({
    created: z.array(z.string()),
    updated: z.array(z.string()),
    deleted: z.array(z.string()),
  }),
  /** A silence was ended before its time (the console's "end now"); the actor is who ended it. */
  'ops_silence.ended': z.object({ name: z.string(), endedAt: z.string(), scheduledEnd: z.string() }),
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof monitoringEvents> {}
}
