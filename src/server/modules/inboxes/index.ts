/** Inboxes module: channel settings (web widget). */
export { inboxByPublicId, withinBusinessHours, type InboxRow } from './service.ts';
export { inboxRoutes, publicUrlOf } from './routes.ts';
