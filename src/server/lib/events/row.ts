/**
 * The outbox row of an event, built without a database or a clock: `Events.write` and writers
 * that commit on their own connection (the chat writer's SQLite worker thread) store the same
 * row. Pure on purpose: a worker thread may import this file (it imports types only).
 */
import type { OutboxTable } from './schema.ts';
import type { DomainEvent } from './types.ts';

/** What is inserted; `seq` is assigned by the database. */
export type OutboxRow = Omit<OutboxTable, 'seq'>;

/** The inserted columns, in one order for writers that build their own statement. */
export const outboxColumns = [
  'id',
  'type',
  'workspace_id',
  'aggregate',
  'payload',
  'attempts',
  'lease_until',
  'last_error',
  'delivered_at',
  'created_at',
] as const satisfies readonly (keyof OutboxRow)[];

/**
 * The row for an (already validated) event: undelivered, never attempted, ordered behind earlier
 * events of the same object (`aggregate`).
 */
export function outboxRow(event: DomainEvent, createdAt: string): OutboxRow {
  return {
    id: event.id,
    type: event.type,
    workspace_id: event.workspaceId,
    aggregate: `${event.objectType}:${event.objectId ?? event.workspaceId}`,
    payload: JSON.stringify(event),
    attempts: 0,
    lease_until: null,
    last_error: null,
    delivered_at: null,
    created_at: createdAt,
  };
}
