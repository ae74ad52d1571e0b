/** Inboxes module: channel settings (web widget today): look, pre-chat form, hours, origins, identity key. */
import type { KefuModule } from '../../module.ts';
import { inboxEvents } from './events.ts';
import { inboxRoutes } from './routes.ts';

/** The inbox behind a widget's public id (404), and whether it is within its business hours now. */
export { inboxByPublicId, inboxById, withinBusinessHours, type InboxRow } from './service.ts';
/** The public id of a workspace's first inbox (Kefu's own demo shop page embeds its widget). */
export { firstInboxPublicId, inboxNames } from './service.ts';
export { publicUrlOf } from './routes.ts';
/** Serves the widget's loader and frame (the frame only to the origins its inbox allows). */
export { installWidget, widgetDist } from './widget-static.ts';

/** Key rotation: reseal a batch of identity keys under the current key. */
export { resealInboxes } from './reseal.ts';

export const inboxesModule: KefuModule = {
  name: 'inboxes',
  tables: ['inboxes'],
  events: inboxEvents,
  permissions: ['conversations.read', 'settings.manage'],
  routes: inboxRoutes,
};
