import { tablesOf, type Executor } from '../../db/index.ts';

export type InboxesTable = {
  id: string;
  workspace_id: string;
  public_id: string;
  name: string;
  channel: string;
  settings: string; // JSON InboxSettings
  identity_secret: string; // encrypted HMAC key for identity verification
  created_at: string;
  updated_at: string;
};
export type InboxesTables = { inboxes: InboxesTable };

export const own = (e: Executor) => tablesOf<InboxesTables>(e);
