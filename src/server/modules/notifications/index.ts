/** Notifications module: the console's bell (and e-mail) for the people an event names; rendered in the reader's language. */
import type { KefuModule } from '../../module.ts';
import { notificationRoutes } from './routes.ts';
import { notifySla } from './service.ts';

export const notificationsModule: KefuModule = {
  name: 'notifications',
  tables: ['notifications'],
  routes: notificationRoutes,
  listeners: [{ name: 'sla', on: ['sla.warning', 'sla.breached'], handle: (e, s) => notifySla(e as never, s) }],
};
