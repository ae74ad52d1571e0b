import { tablesOf, type Executor } from '../../db/index.ts';

/**
 * The outbox: one row per published event, written in the transaction of the change. `seq` (an
 * integer the database assigns at insert) orders events; an event is delivered only after every
 * earlier event of its aggregate (`aggregate` = object type and id).
 */
export type OutboxTable = {
  seq: number;
  id: string;
  type: string;
  workspace_id: string;
  aggregate: string;
  payload: string; // JSON DomainEvent
  attempts: number;
  lease_until: string | null; // claimed by a dispatcher until then (or retried after then)
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
};

/** One row per (listener, event) that ran: written in the listener's own transaction. */
export type OutboxReceiptsTable = { listener: string; event_id: string; failed: number; created_at: string };

export type EventsTables = { outbox: OutboxTable; outbox_receipts: OutboxReceiptsTable };

export const own = (e: Executor) => tablesOf<EventsTables>(e);
