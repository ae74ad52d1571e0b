/**
 * Kefu's realtime protocol over one WebSocket at /ws (see docs/REALTIME.md).
 * Every frame is one JSON object with a `t` (type). Client frames are validated with these
 * schemas; a frame that fails gets an `error` frame and changes nothing.
 *
 * The promise: no lost and no duplicated messages. Every message gets a per-conversation `seq`
 * when it is committed; a client says which seq it has seen per conversation (`hello`/`sub`),
 * the server replays what is missing from the database and then streams live; a resend with
 * the same client id (`cid`) is stored once and acked again with the same id and seq.
 */
import { z } from 'zod';

export const maxMessageChars = 5000;
export const maxFrameBytes = 64 * 1024;

const convId = z.string().min(1).max(64);
const seq = z.number().int().min(0);
const cid = z.string().min(1).max(64);

export const AttachmentRef = z.strictObject({ id: z.string().min(1).max(64) });

export const MessageKind = z.enum(['text', 'note', 'image', 'file', 'system']);
export type MessageKind = z.infer<typeof MessageKind>;

export const ClientFrame = z.discriminatedUnion('t', [
  /** First frame. `subs`: conversation id → last seq seen (0 = none). Agents may also subscribe to inbox-wide updates. */
  z.strictObject({
    t: z.literal('hello'),
    subs: z.record(convId, seq).default({}),
    inboxUpdates: z.boolean().optional(),
  }),
  z.strictObject({ t: z.literal('sub'), conv: convId, lastSeq: seq }),
  z.strictObject({ t: z.literal('unsub'), conv: convId }),
  /** `note` is agent-only and never reaches the shopper. Shoppers may omit `conv` to start (or continue) their conversation. */
  z.strictObject({
    t: z.literal('send'),
    cid,
    conv: convId.optional(),
    kind: z.enum(['text', 'note', 'image', 'file']).default('text'),
    body: z.string().max(maxMessageChars).default(''),
    attachments: z.array(AttachmentRef).max(10).optional(),
  }),
  z.strictObject({ t: z.literal('typing'), conv: convId, on: z.boolean() }),
  z.strictObject({ t: z.literal('read'), conv: convId, seq }),
  z.strictObject({ t: z.literal('ping') }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

export type Attachment = {
  id: string;
  name: string;
  mime: string;
  size: number;
  url: string;
  width?: number;
  height?: number;
};

export type Message = {
  id: string;
  conv: string;
  seq: number;
  cid: string | null;
  kind: MessageKind;
  body: string;
  attachments: Attachment[];
  sender: { type: 'customer' | 'agent' | 'system' | 'bot'; id: string | null; name: string | null };
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
};

export type ServerFrame =
  | {
      t: 'welcome';
      role: 'agent' | 'customer';
      userId: string | null;
      customerId: string | null;
      conversations?: string[];
      heartbeatMs: number;
    }
  /** A committed message (replayed or live). Deliver in seq order; ignore seq ≤ what you have. */
  | { t: 'msg'; m: Message }
  /** The end of a replay for one conversation: everything up to `seq` has been sent. */
  | { t: 'synced'; conv: string; seq: number }
  | { t: 'ack'; cid: string; conv: string; id: string; seq: number; at: string; duplicate?: boolean }
  | { t: 'typing'; conv: string; from: 'agent' | 'customer'; name: string | null; on: boolean }
  | { t: 'read'; conv: string; by: 'agent' | 'customer'; seq: number }
  | { t: 'conv'; c: ConversationSummary }
  | { t: 'pong' }
  | { t: 'error'; code: string; message: string; cid?: string; conv?: string };
