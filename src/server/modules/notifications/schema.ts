import { tablesOf, type Executor } from '../../db/index.ts';

/** A notification for one person: its type and parameters; the console writes the text in the reader's language. */
export type NotificationsTable = {
  id: string;
  workspace_id: string;
  user_id: string;
  type: string; // e.g. sla.warning, sla.breached
  data: string; // JSON: the type's parameters (subject, target, …)
  link: string | null;
  read_at: string | null;
  created_at: string;
};
export type NotificationsTables = { notifications: NotificationsTable };

export const own = (e: Executor) => tablesOf<NotificationsTables>(e);
