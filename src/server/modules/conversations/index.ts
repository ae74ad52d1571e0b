/** Conversations module: conversations, messages (batched durable writes), attachments, canned replies, the widget's public API. */
export {
  chatChannel,
  checkPost,
  commitMessage,
  prepareMessage,
  markRead,
  messagesAfter,
  postMessage,
  summaries,
  conversationForCustomer,
  customerConversationIds,
  getConversationRow,
  type ChatBusMessage,
  type Sender,
} from './service.ts';
export { createMessageWriter } from './metrics.ts';
export { pgStore, sqliteWorkerStore } from './stores.ts';
export { MessageWriter, type MessageStore, type PendingMessage, type CommitResult } from './writer.ts';
export { verifyWidgetToken, type WidgetClaims } from './widget.ts';
export { conversationRoutes } from './routes.ts';
