/**
 * A clock profile: what the SLA engine needs to know about one kind of record (a ticket, an
 * incident) as data. The engine has no code path for any particular status, event or target;
 * a module that wants SLA clocks describes its states, its events and its targets' start and
 * stop rules here, and passes the profile to `computeClock`. README.md ("Profiles") explains
 * each field with the ticket and incident profiles as examples.
 */
import { z } from 'zod';
import type { Instant } from '../../lib/time/index.ts';

/**
 * How a target that is measured once is fulfilled. Several ways may be given; the earliest one
 * that happened wins. All of them count only at or after the target's start instant.
 */
export type FulfilledBy<S extends string, E extends string> = {
  /** The first event of one of these types (for good: later events change nothing). */
  events?: readonly E[];
  /** The first time the state is one of these (for good, like an event). */
  reaching?: readonly S[];
  /**
   * While the state is one of these: from the start of the current run of such states. Leaving
   * them un-fulfils the target and its clock resumes where it stopped (ticket resolution: solved
   * or closed, then reopened).
   */
  whileIn?: readonly S[];
};

/** A target measured once, from its start event to its fulfilment (first response, resolution). */
export type OnceRule<S extends string, E extends string> = {
  kind: 'once';
  /** Its clock starts at the first event of this type (usually the profile's start event). */
  startsOn: E;
  fulfilledBy: FulfilledBy<S, E>;
};

/**
 * A target measured in cycles (next response, periodic update). At most one cycle is open at a
 * time; the result reports the latest one and counts earlier breached ones.
 */
export type CyclesRule<S extends string, E extends string> = {
  kind: 'cycles';
  /** The first cycle opens at the clock's start. */
  opensAtStart?: boolean;
  /** An event of these types opens a cycle when none is open (a second one does not restart it). */
  opensOn?: readonly E[];
  /** `opensOn` events count only after the first event of one of these types. */
  armedBy?: readonly E[];
  /** An event of these types fulfils the open cycle. */
  closesOn?: readonly E[];
  /** An event of these types fulfils the open cycle, if any, and opens the next one at once. */
  restartsOn?: readonly E[];
  /** The open cycle is fulfilled while the state is one of these (see `FulfilledBy.whileIn`). */
  whileIn?: readonly S[];
};

export type TargetRule<S extends string, E extends string, T extends string> = (OnceRule<S, E> | CyclesRule<S, E>) & {
  name: T;
};

export type ClockProfile<S extends string, E extends string, T extends string> = {
  /** `ticket`, `incident`: shown in messages. */
  name: string;
  states: readonly S[];
  /** The state at the start event when the start event does not set one. */
  initialState: S;
  eventTypes: readonly E[];
  /** The event that starts every clock; a history without one is refused, events before it are ignored. */
  startEvent: E;
  /** The event type that must carry a state (a status change); any other event may carry one too. */
  stateEvent: E;
  /** States that stop every clock, whatever the policy's pause states (solved, closed). */
  doneStates: readonly S[];
  /** The pause states of a policy that names none. */
  defaultPauseStates: readonly S[];
  /** In the order results are listed. */
  targets: readonly TargetRule<S, E, T>[];
};

/** One entry of a history. `status` means "this event also set the state". */
export type ClockEvent<S extends string, E extends string> = { at: Instant; type: E; status?: S };

/** What the engine reads from a policy snapshot; each profile validates its own shape. */
export type ClockPolicy<S extends string, T extends string> = {
  /** Minutes per target; a target left out is not measured. */
  targets: Partial<Record<T, number>>;
  /** true: count working time of the calendar; false: real elapsed time. */
  businessHours?: boolean;
  /** States that pause every clock; the profile's `defaultPauseStates` when missing. */
  pauseStatuses?: readonly S[];
  /** Share of a target (0–1) after which the target is at risk. */
  warnAtShare?: number;
};

/**
 * Checks that a profile is consistent (every state and event it names exists, every target can
 * start and end) and returns it. Profiles are module constants, so a mistake fails at load time
 * instead of giving clocks that silently never run.
 */
export function defineClockProfile<S extends string, E extends string, T extends string>(
  profile: ClockProfile<S, E, T>,
): ClockProfile<S, E, T> {
  const problems: string[] = [];
  const states = new Set<string>(profile.states);
  const events = new Set<string>(profile.eventTypes);
  const state = (where: string, list: readonly string[] = []) =>
    list.filter((s) => !states.has(s)).forEach((s) => problems.push(`${where}: unknown state "${s}"`));
  const event = (where: string, list: readonly string[] = []) =>
    list.filter((e) => !events.has(e)).forEach((e) => problems.push(`${where}: unknown event type "${e}"`));
  if (states.size !== profile.states.length) problems.push('states: listed twice');
  if (events.size !== profile.eventTypes.length) problems.push('eventTypes: listed twice');
  state('initialState', [profile.initialState]);
  event('startEvent', [profile.startEvent]);
  event('stateEvent', [profile.stateEvent]);
  state('doneStates', profile.doneStates);
  state('defaultPauseStates', profile.defaultPauseStates);
  const names = new Set<string>();
  for (const t of profile.targets) {
    const where = `targets.${t.name}`;
    if (names.has(t.name)) problems.push(`${where}: listed twice`);
    names.add(t.name);
    if (t.kind === 'once') {
      event(`${where}.startsOn`, [t.startsOn]);
      event(`${where}.fulfilledBy.events`, t.fulfilledBy.events);
      state(`${where}.fulfilledBy.reaching`, t.fulfilledBy.reaching);
      state(`${where}.fulfilledBy.whileIn`, t.fulfilledBy.whileIn);
      if (!t.fulfilledBy.events?.length && !t.fulfilledBy.reaching?.length && !t.fulfilledBy.whileIn?.length)
        problems.push(`${where}: nothing fulfils it`);
    } else {
      for (const key of ['opensOn', 'armedBy', 'closesOn', 'restartsOn'] as const) event(`${where}.${key}`, t[key]);
      state(`${where}.whileIn`, t.whileIn);
      if (!t.opensAtStart && !t.opensOn?.length && !t.restartsOn?.length)
        problems.push(`${where}: no cycle ever opens`);
    }
  }
  if (problems.length) throw new Error(`invalid clock profile "${profile.name}": ${problems.join('; ')}`);
  return profile;
}

// Building blocks of the profiles' zod schemas, so that every profile words its problems alike.

/** A target in minutes. */
export const minutesSchema = z.number().positive('must be a positive number of minutes').finite();

/** `warnAtShare`, strictly between 0 and 1. */
export const warnAtShareSchema = z.number().gt(0, 'must be above 0').lt(1, 'must be below 1');

/** One of the profile's states, with the list in the message when it is not. */
export function stateSchema<S extends string>(states: readonly S[]) {
  return z.enum(states as readonly S[] as [S, ...S[]], {
    error: (i) => `unknown status ${JSON.stringify(i.input)} (one of ${states.join(', ')})`,
  });
}

/**
 * One entry of a history as read from JSON (the CLI's files): `at` is ISO text or a Date, `type`
 * one of the profile's event types; the state event needs a status.
 */
export function eventSchemaOf<S extends string, E extends string>(profile: ClockProfile<S, E, string>) {
  const types = profile.eventTypes;
  return z
    .object({
      at: z.union([z.string(), z.date()], { error: 'must be an ISO-8601 date-time' }),
      type: z.enum(types as readonly E[] as [E, ...E[]], {
        error: (i) => `unknown event type ${JSON.stringify(i.input)} (one of ${types.join(', ')})`,
      }),
      status: stateSchema(profile.states).optional(),
    })
    .refine((e) => e.type !== profile.stateEvent || e.status !== undefined, {
      path: ['status'],
      message: `a ${profile.stateEvent} event needs a status`,
    });
}
