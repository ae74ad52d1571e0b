/** Teams module: groups of agents with a supervisor (tickets are assigned to groups; routing will use them). */
import type { KefuModule } from '../../module.ts';
import { teamEvents } from './events.ts';
import { teamRoutes } from './routes.ts';

/** Whether a group exists in a workspace; who supervises it; its members (incident escalation calls a whole group). */
export { groupExists, groupMemberIds, groupNames, groupsByMember, supervisorOf } from './service.ts';

export const teamsModule: KefuModule = {
  name: 'teams',
  tables: ['groups', 'group_members'],
  events: teamEvents,
  permissions: ['tickets.read', 'settings.manage'],
  routes: teamRoutes,
};
