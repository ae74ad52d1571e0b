import type { z } from 'zod';

export type ActorRef = {
  type: 'user' | 'token' | 'system';
  id: string | null;
  name: string | null;
};

/**
 * Every event's payload type by name, filled in by the modules' `events.ts` through declaration
 * merging (`declare module '…/lib/events/index.ts' { interface EventMap extends EventsOf<…> {} }`),
 * so `publish` and listeners are typed without the core importing any module.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface EventMap {}

export type EventName = keyof EventMap & string;

/** An event as published: what happened (`domain.past_tense`), to which object, by whom. */
export type NewEvent<K extends EventName = EventName> = {
  type: K;
  workspaceId: string;
  actor: ActorRef;
  ip: string | null;
  objectType: string;
  objectId: string | null;
  data: EventMap[K];
  at: string;
};

/** An event as stored and delivered: with its id (listeners are idempotent by it). */
export type DomainEvent<K extends EventName = EventName> = NewEvent<K> & { id: string };

export type EventSchemas = Record<string, z.ZodType>;

/** The payload types of a module's schemas, for its `EventMap` augmentation. */
export type EventsOf<S extends EventSchemas> = { [K in keyof S]: z.output<S[K]> };

/** Declares a module's events (name → payload schema); names are `domain.past_tense`. */
export function defineEvents<const S extends EventSchemas>(schemas: S): S {
  for (const name of Object.keys(schemas)) {
    if (!/^[a-z_]+\.[a-z_]+$/.test(name)) throw new Error(`event name ${name} is not domain.past_tense`);
  }
  return schemas;
}

/** The bus channel on which delivered domain events are put for every node. */
export const eventsChannel = 'events';
