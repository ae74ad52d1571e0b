/**
 * The ticket vocabulary the console needs at run time: statuses and their allowed moves, priorities,
 * SLA targets, field types, tag colours. Runtime copies of the API's lists (a type import keeps zod
 * out of the bundle), checked against the schema's types both ways.
 */
import type { Priority, TicketStatus } from '../../../shared/tickets-api.ts';
import type * as Api from '../../../shared/tickets-api.ts';
import { customerName } from '../customers/name.ts';

export type { Priority, TicketStatus };
export type TargetName = (typeof Api.targetNames)[number];
export type FieldType = (typeof Api.fieldTypes)[number];

export const statuses = [
  'new',
  'open',
  'pending',
  'on_hold',
  'solved',
  'closed',
] as const satisfies readonly TicketStatus[];
export const priorities = ['low', 'normal', 'high', 'urgent'] as const satisfies readonly Priority[];
export const targetNames = [
  'firstResponse',
  'nextResponse',
  'periodicUpdate',
  'resolution',
] as const satisfies readonly TargetName[];
export const fieldTypes = [
  'text',
  'number',
  'select',
  'date',
  'order_number',
  'phone',
  'email',
] as const satisfies readonly FieldType[];

type Complete<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : never;
const complete: [
  Complete<TicketStatus, (typeof statuses)[number]>,
  Complete<Priority, (typeof priorities)[number]>,
  Complete<TargetName, (typeof targetNames)[number]>,
  Complete<FieldType, (typeof fieldTypes)[number]>,
] = [true, true, true, true];
void complete;

/** The statuses a ticket may move to (the server's table; `closed` is final). */
export const transitions: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['open', 'pending', 'on_hold', 'solved'],
  open: ['pending', 'on_hold', 'solved'],
  pending: ['open', 'on_hold', 'solved'],
  on_hold: ['open', 'pending', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
};

/** The current status and the ones it may become, in the usual order. */
export function reachableStatuses(from: TicketStatus): TicketStatus[] {
  return statuses.filter((s) => s === from || transitions[from].includes(s));
}

export const unsolvedStatuses: readonly TicketStatus[] = ['new', 'open', 'pending', 'on_hold'];

export const statusColors: Record<TicketStatus, string> = {
  new: 'gold',
  open: 'cyan',
  pending: 'blue',
  on_hold: 'purple',
  solved: 'green',
  closed: 'default',
};

export const priorityColors: Record<Priority, string> = {
  low: 'default',
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};

/** "TB2025-001": the order-number shape the server accepts. */
export const orderNoPattern = /^[A-Za-z0-9-]{4,40}$/;

/** A field or type key: lowercase letters, digits and underscores, starting with a letter. */
export const keyPattern = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * Who a ticket is for, as shown: the customer's name; a customer without a name (a shopper who
 * chatted without giving one) is still a customer, never "no customer".
 */
export function customerLabel(
  ticket: { customerId: string | null; customerName: string | null },
  words: { visitor: string; none: string },
): string {
  if (!ticket.customerId) return words.none;
  return customerName({ id: ticket.customerId, name: ticket.customerName }, words.visitor);
}

/** A reply reaches the customer only through the ticket's conversation: without one, the composer starts as a note. */
export function defaultComposerMode(ticket: { conversationId: string | null }): 'reply' | 'note' {
  return ticket.conversationId ? 'reply' : 'note';
}
