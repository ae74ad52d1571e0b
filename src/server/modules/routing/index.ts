/**
 * Routing module: presence, capacity and skills of agents, assignment rules per workspace and
 * inbox, a fair queue (priority, then arrival) worked by one assigner per workspace at a time,
 * transfers, queue positions for shoppers and the supervisors' war room. See README.md.
 */
import type { KefuModule } from '../../module.ts';
import { setSurgeProbe } from '../bot/index.ts';
import { setAssignGuard } from '../conversations/index.ts';
import { graceEnded, graceJob, roomForManual } from './presence.ts';
import { routingEvents } from './events.ts';
import { routingListeners } from './listeners.ts';
import { ticketListeners } from './ticket-listeners.ts';
import { postTransferNote, transferListeners, transferNoteJob } from './transfer-notices.ts';
import { routingRoutes } from './routes.ts';
import { seedRouting } from './rules.ts';
import { surgeActive, surgeTick } from './surge.ts';
import { idleTick } from './idle.ts';
import { onOfflineMessage, shopperGoneJob, shopperGraceEnded } from './leave.ts';

// While surge mode is on the bot answers first in any mode (the bot asks through this; it imports nothing of routing).
setSurgeProbe(surgeActive);
// Assigning a chat by hand respects the agent's capacity (a supervisor may force it).
setAssignGuard(roomForManual);

/** The gateway reports agents' connections opening and closing (on every node). */
export { agentConnected, agentDisconnected } from './presence.ts';
/**
 * Positions, estimated waits and terms (their inbox's notice and maximum wait) of waiting shoppers;
 * the bus channel announcing queue changes.
 */
export { queueSnapshot, type QueueSnapshot, type QueueEntry, type QueueTerms } from './warroom.ts';
export { routingChannel, type RoutingBusMessage } from './assigner.ts';
/** For the benchmark and tests: arrivals and resolutions handed to routing directly. */
export { arrive, finish } from './assigner.ts';
/** The gateway reports a waiting shopper's last connection closing, and their coming back (abandonment). */
export { shopperGone, shopperBack } from './leave.ts';
/** For tests: the abandonment check's job and its end (tests claim the job instead of running a worker). */
export { shopperGoneJob, shopperGraceEnded } from './leave.ts';

export const routingModule: KefuModule = {
  name: 'routing',
  tables: ['routing_agents', 'routing_items', 'routing_rules', 'routing_surge'],
  events: routingEvents,
  permissions: ['conversations.read', 'conversations.manage', 'settings.manage'],
  routes: routingRoutes,
  listeners: [
    ...routingListeners,
    ...ticketListeners,
    ...transferListeners,
    // A message or a callback request left instead of waiting on: the chat leaves the queue (tickets makes the ticket).
    {
      name: 'offline_message',
      on: ['conversation.offline_message'],
      handle: (e, s) => onOfflineMessage(e as never, s),
    },
  ],
  seed: seedRouting,
  schedules: [{ name: 'routing.tick', cron: '* * * * *', jobType: 'routing.tick' }],
  jobs: {
    /** Every minute: surge windows and promotions that start or end, and agents idle long enough to be away. */
    'routing.tick': async (_job, s) => {
      await surgeTick(s);
      await idleTick(s);
    },
    /** The transfer's internal note in the thread (posted by the chat writer after the transfer's commit). */
    [transferNoteJob]: async (job, s) => {
      if (job.workspace_id)
        await postTransferNote(s, job.workspace_id, job.payload as Parameters<typeof postTransferNote>[2]);
    },
    /** A waiting shopper closed the widget: abandoned unless they came back within the grace period. */
    [shopperGoneJob]: async (job, s) => {
      if (job.workspace_id)
        await shopperGraceEnded(s, job.workspace_id, job.payload as { conversationId: string; since: string });
    },
    [graceJob]: async (job, s) => {
      const p = job.payload as { userId: string; since: string };
      if (job.workspace_id) await graceEnded(s, job.workspace_id, p.userId, p.since);
    },
  },
};
