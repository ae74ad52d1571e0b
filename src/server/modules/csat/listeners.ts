/** Ask for a rating when a conversation is resolved or a ticket solved (where the survey is on). */
import type { DomainEvent } from '../../lib/events/index.ts';
import type { ModuleListener } from '../../module.ts';
import { askForRating } from './service.ts';

export const csatListeners: readonly ModuleListener[] = [
  {
    name: 'conversation_resolved',
    on: ['conversation.updated'],
    handle: async (event, s) => {
      const e = event as DomainEvent<'conversation.updated'>;
      if (e.objectId && e.data.status?.to === 'resolved')
        await askForRating(s, e.workspaceId, { type: 'conversation', id: e.objectId }, null);
    },
  },
  {
    name: 'ticket_solved',
    on: ['ticket.updated'],
    handle: async (event, s) => {
      const e = event as DomainEvent<'ticket.updated'>;
      if (e.objectId && e.data.status?.to === 'solved')
        await askForRating(s, e.workspaceId, { type: 'ticket', id: e.objectId }, null);
    },
  },
];
