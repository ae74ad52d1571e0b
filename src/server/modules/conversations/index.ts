/** Conversations module: conversations, messages (batched durable writes), attachments, canned replies, the widget's public API. */
import type { KefuModule } from '../../module.ts';
import { conversationEvents } from './events.ts';
import { closeMessageWriter } from './metrics.ts';
import { purgeUnattached } from './attachments.ts';
import { conversationRoutes } from './routes.ts';
import { indexPendingMessages } from './search.ts';

/** The chat path the realtime gateway drives: check, prepare, commit (ack after commit), read, replay. */
export {
  chatChannel,
  checkPost,
  commitMessage,
  prepareMessage,
  markRead,
  messagesAfter,
  messagesBetween,
  sendRefusal,
  lastSeqOf,
  isCustomersConversation,
  postMessage,
  conversationForCustomer,
  customerConversationIds,
  getConversationRow,
  type Ack,
  type ChatBusMessage,
  type ChatEntry,
  type ChatMessage,
  type Sender,
} from './service.ts';
export { summaries } from './list.ts';
/** For the tickets module: a conversation's customer and ticket link, linking, its transcript, one message. */
export { conversationLink, linkTicket, transcript, messageText, firstHumanReplies } from './links.ts';
/** The write path's parts, for tests and the benchmark. */
export { createMessageWriter, messageWriter } from './metrics.ts';
export { pgStore, sqliteWorkerStore } from './stores.ts';
export { BusyError, MessageWriter, type MessageStore, type PendingMessage, type CommitResult } from './writer.ts';
/** Attachments a sender may use (agents: any of the workspace's), marked as used; checks ticket replies and notes. */
export { attachmentsFor } from './attachments.ts';
/**
 * A shopper's conversations for the privacy module: export, erasure of their content, compacting the search index;
 * retention purges of old conversations' messages and old files.
 */
export {
  conversationsForExport,
  eraseConversations,
  compactMessageSearch,
  purgeConversationsBefore,
  purgeAttachmentsBefore,
  type ConversationExport,
  type ExportedAttachment,
} from './privacy.ts';
/** Merging two customers: the duplicate's rows here move to the kept customer (inside the merge's transaction). */
export { moveConversationsToCustomer } from './merge.ts';
/** Routing sets the assignee of the conversations it routes, in its own transaction, and says whether an agent has room for one by hand. */
export { setAssignGuard, type AssignGuard } from './assign-guard.ts';
export { setRoutedAssignee } from './routed.ts';
/** A shopper's last reported context (page, device, language): routing words its notices to the shopper with it. */
export { shopperContext } from './shopper-context.ts';
/** Shopper sessions: verify a widget token (the gateway and uploads). */
export { verifyWidgetToken, type WidgetClaims } from './widget.ts';
/** The bot registers whether it answers an inbox now, so the widget keeps the chat open for it. */
export { setWidgetBotProbe } from './widget.ts';

export const conversationsModule: KefuModule = {
  name: 'conversations',
  tables: [
    'conversations',
    'messages',
    'attachments',
    'canned_replies',
    'shopper_context',
    'conversation_labels',
    'conversation_label_links',
    'inbox_views',
  ],
  events: conversationEvents,
  permissions: ['conversations.read', 'conversations.manage', 'customers.read'],
  routes: conversationRoutes,
  jobs: { 'attachments.purge_unattached': async (_job, s) => void (await purgeUnattached(s)) },
  schedules: [{ name: 'attachments.purge_unattached', cron: '*/15 * * * *', jobType: 'attachments.purge_unattached' }],
  // Messages stored by other writers than the chat writer (e.g. a bulk load) reach the search index.
  start: indexPendingMessages,
  stop: closeMessageWriter,
};
