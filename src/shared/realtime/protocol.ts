/**
 * Kefu's realtime protocol over one WebSocket at /ws (docs/REALTIME.md): its limits, codes and
 * frame types as plain TypeScript. No zod here on purpose: the shopper's widget imports this file,
 * and the schemas the server validates client frames with live in schema.ts (server only).
 *
 * The promise: no lost and no duplicated messages. Every message gets a per-conversation `seq`
 * when it is committed; a client says which seq it has seen per conversation (`hello`/`sub`),
 * the server replays what is missing from the database and then streams live; a resend with
 * the same client id (`cid`) is stored once and acked again with the same id and seq.
 *
 * Optional fields (`prev`, `retryInMs`) may be absent (older rows, older servers); clients work
 * the same without them (docs/REALTIME.md, "Server changes").
 */

// ---------- limits ----------

/** The longest message body, in UTF-16 code units (what `String.length` counts). */
export const maxMessageChars = 5000;
/** A larger frame closes the connection with `closeCodes.tooBig`. */
export const maxFrameBytes = 64 * 1024;
/** Conversation ids, client ids and attachment ids. */
export const maxIdChars = 64;
export const maxAttachments = 10;

// ---------- liveness ----------

/** What `welcome.heartbeatMs` says today; a client uses it until the welcome tells otherwise. */
export const defaultHeartbeatMs = 25_000;
/** A client declares a connection dead after this many heartbeats without a single frame. */
export const silentHeartbeats = 2;
/** Until the welcome arrives there is no heartbeat yet: the handshake gets this long. */
export const connectTimeoutMs = 15_000;

// ---------- close codes ----------

export const closeCodes = {
  normal: 1000,
  /** The server restarts; reconnect. */
  goingAway: 1001,
  policy: 1008,
  /** A frame larger than maxFrameBytes. */
  tooBig: 1009,
  /** Closed by the client: nothing arrived for `silentHeartbeats` heartbeats. */
  silent: 4000,
  /** The server closed a client that reads too slowly; reconnect and resume from the database. */
  tooSlow: 4008,
  /** The session behind the socket ended (signed out, disabled, expired, moved to another workspace): sign in or fetch a new token before reconnecting. */
  unauthorized: 4401,
  /** The session's role no longer allows reading conversations. */
  forbidden: 4403,
  /** Too many frames: reconnect after a back-off. */
  rateLimited: 4429,
} as const;

// ---------- error codes (`error.code`) ----------

export const errorCodes = {
  invalidFrame: 'invalid_frame',
  notFound: 'not_found',
  unknownConversation: 'unknown_conversation',
  forbidden: 'forbidden',
  /** The commit failed; the message may be sent again. */
  notStored: 'not_stored',
  internal: 'internal',
  /** The server is overloaded; the send is retried after `retryInMs` (or a back-off). */
  busy: 'busy',
  /** Too many sends; retried like `busy`. */
  rateLimited: 'rate_limited',
  /** The cid was used before for a different message; final. */
  cidConflict: 'cid_conflict',
} as const;
export type ErrorCode = (typeof errorCodes)[keyof typeof errorCodes];

/** Errors after which a send is kept and written again later on the same connection. */
export const retryableSendErrors: readonly string[] = [errorCodes.busy, errorCodes.rateLimited];
/** Errors about a conversation (with `conv`) that mean "not yours": the subscription is dropped. */
export const refusedConversationErrors: readonly string[] = [
  errorCodes.notFound,
  errorCodes.unknownConversation,
  errorCodes.forbidden,
];

// ---------- data ----------

export type MessageKind = 'text' | 'note' | 'image' | 'file' | 'system';
/** What a client may send (`system` messages come from the server only; `note` from agents only). */
export type SendKind = Exclude<MessageKind, 'system'>;
export const sendKinds: readonly SendKind[] = ['text', 'note', 'image', 'file'];

export type AttachmentRef = { id: string };

export type Attachment = {
  id: string;
  name: string;
  mime: string;
  size: number;
  url: string;
  width?: number;
  height?: number;
};

export type Sender = {
  type: 'customer' | 'agent' | 'system' | 'bot';
  id: string | null;
  name: string | null;
  /** An agent's avatar for shoppers (a public image address; agents only). */
  avatar?: string;
};

export type Message = {
  id: string;
  conv: string;
  seq: number;
  cid: string | null;
  kind: MessageKind;
  body: string;
  attachments: Attachment[];
  sender: Sender;
  at: string;
};

export type ConversationStatus = 'open' | 'pending' | 'resolved' | 'snoozed';

/** What the inbox list needs to update a row live. */
export type ConversationSummary = {
  id: string;
  inboxId: string;
  customerId: string;
  customerName: string | null;
  status: ConversationStatus;
  assigneeId: string | null;
  lastSeq: number;
  lastMessageAt: string | null;
  lastMessagePreview: string | null;
  agentLastReadSeq: number;
  customerLastReadSeq: number;
  snoozedUntil: string | null;
  createdAt: string;
  labelIds: string[];
};

// ---------- frames ----------

/** Client → server, as the server sees it after validation (schema.ts checks it equals its zod schema). */
export type ClientFrame =
  /** First frame. `subs`: conversation id → last seq seen (0 = none). Agents may also subscribe to inbox-wide updates. */
  | { t: 'hello'; subs: Record<string, number>; inboxUpdates?: boolean }
  | { t: 'sub'; conv: string; lastSeq: number }
  | { t: 'unsub'; conv: string }
  /** `note` is agent-only and never reaches the shopper. Shoppers may omit `conv` to start (or continue) their conversation. */
  | { t: 'send'; cid: string; conv?: string; kind: SendKind; body: string; attachments?: AttachmentRef[] }
  | { t: 'typing'; conv: string; on: boolean }
  | { t: 'read'; conv: string; seq: number }
  | { t: 'ping' };

export type ServerFrame =
  | {
      t: 'welcome';
      role: 'agent' | 'customer';
      userId: string | null;
      customerId: string | null;
      /** A shopper's conversations, oldest first; the shopper is subscribed to all of them. */
      conversations?: string[];
      heartbeatMs: number;
    }
  /**
   * A committed message (replayed or live). Deliver in seq order; ignore a seq you have.
   * `prev` (to shoppers; rows stored before it was kept have none): the seq of the previous message this connection may see in the
   * conversation (0: none), so a shopper, who never sees notes, can tell a note from a lost message.
   */
  | { t: 'msg'; m: Message; prev?: number }
  /** The end of a replay for one conversation: everything up to `seq` has been sent. */
  | { t: 'synced'; conv: string; seq: number }
  /** Your send is durable. `prev`: as on `msg`, for the sender's own message. */
  | { t: 'ack'; cid: string; conv: string; id: string; seq: number; at: string; duplicate?: boolean; prev?: number }
  | { t: 'typing'; conv: string; from: 'agent' | 'customer'; name: string | null; on: boolean }
  | { t: 'read'; conv: string; by: 'agent' | 'customer'; seq: number }
  | { t: 'conv'; c: ConversationSummary }
  | { t: 'pong' }
  /**
   * To a waiting shopper (routing): their place in the queue (1 = next; 0 = no longer waiting, an
   * agent has it) and the estimated wait in seconds (null: no recent handling rate to estimate from).
   * After `maxWaitSeconds` the widget offers to leave a message; `notice` is shown while waiting (the
   * surge notice while surge is on, else the rule's notice, or ''). Both come from the rule of the
   * conversation's inbox (the workspace's when the inbox has none).
   * `changedAt`: the server's time (ms since the epoch) of the queue change the frame reports (absent from older servers).
   */
  | {
      t: 'queue';
      conv: string;
      position: number;
      waitSeconds: number | null;
      maxWaitSeconds: number;
      notice: string;
      changedAt?: number;
    }
  /** `retryInMs`: with `busy` and `rate_limited`, when to send the same frame again. */
  | { t: 'error'; code: string; message: string; cid?: string; conv?: string; retryInMs?: number };

export type AckFrame = Extract<ServerFrame, { t: 'ack' }>;
export type ErrorFrame = Extract<ServerFrame, { t: 'error' }>;
export type WelcomeFrame = Extract<ServerFrame, { t: 'welcome' }>;
export type SendFrame = Extract<ClientFrame, { t: 'send' }>;
