/** The SLA policy editor's values and the conversions to and from the API's policy. */
import type { Priority, TicketStatus } from '../../../shared/tickets-api.ts';
import { targetNames, type TargetName } from '../tickets/model.ts';
import type { SlaPolicy, SlaPolicyBody } from './api.ts';

export const noReassign = '__none__';

export type PolicyFormValues = {
  name: string;
  enabled: boolean;
  calendarId?: string;
  businessHours: boolean;
  targets: Partial<Record<TargetName, number | null>>;
  priorities: Priority[];
  types: string[];
  channels: string[];
  groupIds: string[];
  tags: string[];
  /** The customer's tier on their profile (e.g. vip). */
  customerTiers: string[];
  pauseStatuses: TicketStatus[];
  /** 1–99, the share of a target after which it is "at risk". */
  warnPercent: number;
  raisePriority: boolean;
  reassignTo: string;
};

export function newPolicyValues(calendarId?: string): PolicyFormValues {
  return {
    name: '',
    enabled: true,
    calendarId,
    businessHours: true,
    targets: { firstResponse: 30, resolution: 480 },
    priorities: [],
    types: [],
    channels: [],
    groupIds: [],
    tags: [],
    customerTiers: [],
    pauseStatuses: ['pending', 'on_hold'],
    warnPercent: 75,
    raisePriority: true,
    reassignTo: noReassign,
  };
}

export function toPolicyValues(p: SlaPolicy): PolicyFormValues {
  const c = p.conditions;
  return {
    name: p.name,
    enabled: p.enabled,
    calendarId: p.calendarId,
    businessHours: p.businessHours,
    targets: { ...p.targets },
    priorities: c.priorities ?? [],
    types: c.types ?? [],
    channels: c.channels ?? [],
    groupIds: c.groupIds ?? [],
    tags: c.tags ?? [],
    customerTiers: c.customerTiers ?? [],
    pauseStatuses: [...p.pauseStatuses],
    warnPercent: Math.round(p.warnAtShare * 100),
    raisePriority: p.escalation.raisePriority,
    reassignTo: p.escalation.reassignTo ?? noReassign,
  };
}

export function toPolicyBody(v: PolicyFormValues): SlaPolicyBody {
  const targets = Object.fromEntries(
    targetNames.flatMap((n) => (typeof v.targets?.[n] === 'number' ? [[n, v.targets[n]]] : [])),
  );
  const list = <T>(values: T[] | undefined) => (values?.length ? values : undefined);
  const conditions = Object.fromEntries(
    Object.entries({
      priorities: list(v.priorities),
      types: list(v.types),
      channels: list(v.channels),
      groupIds: list(v.groupIds),
      tags: list(v.tags),
      customerTiers: list(v.customerTiers),
    }).filter(([, x]) => x !== undefined),
  );
  return {
    name: v.name.trim(),
    enabled: v.enabled,
    calendarId: v.calendarId ?? '',
    businessHours: v.businessHours,
    targets,
    conditions,
    pauseStatuses: v.pauseStatuses ?? [],
    warnAtShare: Math.min(99, Math.max(1, v.warnPercent)) / 100,
    escalation: { raisePriority: v.raisePriority, reassignTo: v.reassignTo === noReassign ? null : v.reassignTo },
  };
}

/** Moves one item of a list up or down by one place (the policies' order). */
export function move<T>(items: readonly T[], index: number, delta: -1 | 1): T[] {
  const to = index + delta;
  if (to < 0 || to >= items.length) return [...items];
  const out = [...items];
  [out[index], out[to]] = [out[to], out[index]];
  return out;
}

/** Moves the item at `from` to `to` (drag and drop). */
export function moveTo<T>(items: readonly T[], from: number, to: number): T[] {
  const out = [...items];
  const [item] = out.splice(from, 1);
  out.splice(Math.max(0, Math.min(out.length, to)), 0, item);
  return out;
}
