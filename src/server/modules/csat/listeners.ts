/**
 * Ask for a rating when a conversation is resolved or a ticket solved (where the survey is on).
 * The request is dated when the event happened, not when it is delivered: a retried delivery, or
 * the demo seed writing last month's history, asks at the resolution's own time (else its card
 * would be posted "now" and lift a month-old conversation to the top of the inbox).
 */
import type { Services } from '../../context.ts';
import { fixedClock } from '../../lib/clock.ts';
import type { DomainEvent } from '../../lib/events/index.ts';
import type { ModuleListener } from '../../module.ts';
import { askForRating } from './service.ts';

const atEvent = (s: Services, e: DomainEvent): Services => ({ ...s, clock: fixedClock(e.at) });

export const csatListeners: readonly ModuleListener[] = [
  {
    name: 'conversation_resolved',
    on: ['conversation.updated'],
    handle: async (event, s) => {
      const e = event as DomainEvent<'conversation.updated'>;
      if (e.objectId && e.data.status?.to === 'resolved')
        await askForRating(atEvent(s, e), e.workspaceId, { type: 'conversation', id: e.objectId }, null);
    },
  },
  {
    name: 'ticket_solved',
    on: ['ticket.updated'],
    handle: async (event, s) => {
      const e = event as DomainEvent<'ticket.updated'>;
      if (e.objectId && e.data.status?.to === 'solved')
        await askForRating(atEvent(s, e), e.workspaceId, { type: 'ticket', id: e.objectId }, null);
    },
  },
];
