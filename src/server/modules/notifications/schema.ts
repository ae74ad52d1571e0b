import { tablesOf, type Executor } from '../../db/index.ts';

/** A notification for one person: its type and parameters; the console writes the text in the reader's language. */
export type NotificationsTable = {
  id: string;
  workspace_id: string;
  user_id: string;
  type: string; // e.g. sla.warning, sla.breached, conversation.assigned
  data: string; // JSON: the type's parameters (subject, target, …)
  link: string | null;
  read_at: string | null;
  created_at: string;
};
/** The installation's VAPID key pair (one row, id `vapid`). */
export type PushVapidTable = { id: string; public_key: string; private_key_enc: string; created_at: string };
/** One browser's push subscription for one person in one workspace. */
export type PushSubscriptionsTable = {
  id: string;
  workspace_id: string;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  created_at: string;
};
export type NotificationsTables = {
  notifications: NotificationsTable;
  push_vapid: PushVapidTable;
  push_subscriptions: PushSubscriptionsTable;
};

export const own = (e: Executor) => tablesOf<NotificationsTables>(e);
