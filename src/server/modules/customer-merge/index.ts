/** Customer merge: two profiles of one shopper become one, with the history of both (conversations, tickets, orders, identities, tags, notes). */
import type { KefuModule } from '../../module.ts';
import { customerMergeEvents } from './events.ts';
import { customerMergeRoutes } from './routes.ts';

export const customerMergeModule: KefuModule = {
  name: 'customer-merge',
  tables: [],
  events: customerMergeEvents,
  permissions: ['customers.pii'],
  routes: customerMergeRoutes,
};
