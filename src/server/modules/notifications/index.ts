/** Notifications module: the console's bell (and e-mail, and Web Push) for the people an event names; rendered in the reader's language. */
import type { KefuModule } from '../../module.ts';
import { notifyConversationAssigned, notifyMentioned, notifyTicketAssigned } from './assignments.ts';
import { sendPush, vapidKeys } from './push.ts';
import { notificationRoutes } from './routes.ts';
import { notifySla } from './service.ts';

/** A notification for one person (stored, pushed to their browsers): mentions in other modules use it. */
export { addNotification } from './assignments.ts';
/** Key rotation: the VAPID private key resealed. */
export { resealVapid } from './push.ts';

export const notificationsModule: KefuModule = {
  name: 'notifications',
  tables: ['notifications', 'push_vapid', 'push_subscriptions'],
  routes: notificationRoutes,
  listeners: [
    { name: 'sla', on: ['sla.warning', 'sla.breached'], handle: (e, s) => notifySla(e as never, s) },
    {
      name: 'conversation_assigned',
      on: ['conversation.updated'],
      handle: (e, s) => notifyConversationAssigned(e as never, s),
    },
    { name: 'mentioned', on: ['conversation.mentioned'], handle: (e, s) => notifyMentioned(e as never, s) },
    { name: 'ticket_assigned', on: ['ticket.updated'], handle: (e, s) => notifyTicketAssigned(e as never, s) },
  ],
  jobs: {
    'notifications.push': async (job, s) => {
      await sendPush(s, (job.payload as { notificationId: string }).notificationId);
    },
  },
  // The VAPID key pair exists from the first start on (browsers subscribe with its public half).
  start: async (s) => void (await vapidKeys(s)),
};
