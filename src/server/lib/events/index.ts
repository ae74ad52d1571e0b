/**
 * Domain events through a transactional outbox. A change and the events it raises are written in
 * one transaction (`publish` inside a `unitOfWork`); after the commit a dispatcher delivers each
 * event to the listeners of every module and then to the bus, at least once, in order per
 * aggregate (object). A listener runs in its own transaction together with a receipt row
 * (listener, event id), so a redelivery after a crash never applies it twice. Delivered rows are
 * pruned. See docs/ARCHITECTURE.md ("Events").
 *
 * Each module declares its events in its `events.ts`: zod schemas (checked when published) and
 * the matching types, added to `EventMap` below by declaration merging.
 */
export {
  deliveryBatch,
  Events,
  outboxInsert,
  type Listener,
  type ListenerScope,
  type EventsOptions,
} from './dispatcher.ts';
/** The outbox row of an event, for writers that store it on their own connection (pure). */
export { outboxRow, outboxColumns, type OutboxRow } from './row.ts';
export {
  eventsChannel,
  type ActorRef,
  type DomainEvent,
  type EventMap,
  type EventName,
  type NewEvent,
} from './types.ts';
export { defineEvents, type EventSchemas, type EventsOf } from './types.ts';
export type { EventsTables } from './schema.ts';
