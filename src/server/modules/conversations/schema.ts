import { tablesOf, type Executor } from '../../db/index.ts';

/** The shopper's last reported context (migration 0111). */
export type ShopperContextTable = {
  customer_id: string;
  workspace_id: string;
  page_url: string | null;
  page_title: string | null;
  referrer: string | null;
  device: string | null;
  browser: string | null;
  os: string | null;
  time_zone: string | null;
  language: string | null;
  city: string | null;
  order_no: string | null; // the order number from the pre-chat form (migration 0283)
  updated_at: string;
};
export type ConversationsTable = {
  id: string;
  workspace_id: string;
  inbox_id: string;
  customer_id: string;
  status: string;
  assignee_id: string | null;
  last_seq: number;
  last_public_seq: number; // the last seq that is not an internal note (what shoppers see)
  last_message_at: string | null;
  last_message_preview: string | null;
  agent_last_read_seq: number;
  customer_last_read_seq: number;
  snoozed_until: string | null;
  ticket_id: string | null; // the open ticket this conversation feeds (its customer replies go on the ticket)
  created_at: string;
  updated_at: string;
};
export type MessagesTable = {
  id: string;
  workspace_id: string;
  conversation_id: string;
  seq: number;
  prev_public_seq: number | null; // the seq of the public message before this one (0: none; null: unknown, an older node wrote it)
  client_id: string | null;
  sender_type: string;
  sender_id: string | null;
  sender_name: string | null;
  kind: string;
  body: string;
  attachments: string; // JSON Attachment[] (without urls)
  created_at: string;
};
export type AttachmentsTable = {
  id: string;
  workspace_id: string;
  uploader_type: string;
  uploader_id: string;
  storage_key: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  created_at: string;
  attached_at: string | null; // first used by a message or a ticket reply; never used ones are purged
};
export type CannedRepliesTable = {
  id: string;
  workspace_id: string;
  short_code: string;
  content: string;
  created_at: string;
  updated_at: string;
};
/** A coloured label agents put on conversations (issue 16); the name is unique per workspace. */
export type ConversationLabelsTable = {
  id: string;
  workspace_id: string;
  name: string;
  color: string; // one of labelColors (shared/chat-api.ts)
  created_at: string;
  updated_at: string;
};
export type ConversationLabelLinksTable = {
  conversation_id: string;
  label_id: string;
  workspace_id: string;
  created_at: string;
};
/** A saved inbox view (issue 16): `query` is InboxViewQuery as JSON; `user_id` null = shared with the workspace. */
export type InboxViewsTable = {
  id: string;
  workspace_id: string;
  user_id: string | null;
  name: string;
  query: string;
  created_at: string;
  updated_at: string;
};
export type ConversationsTables = {
  conversations: ConversationsTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  canned_replies: CannedRepliesTable;
  shopper_context: ShopperContextTable;
  conversation_labels: ConversationLabelsTable;
  conversation_label_links: ConversationLabelLinksTable;
  inbox_views: InboxViewsTable;
};

export const own = (e: Executor) => tablesOf<ConversationsTables>(e);
