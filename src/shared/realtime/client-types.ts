/** The realtime client's public types: its options, dependencies, events and send input. */
import type { ClientStatus, LastClose, RealtimeDeps, StatusInfo } from './connection.ts';
import type {
  Attachment,
  ConversationSummary,
  ErrorFrame,
  Message,
  Sender,
  SendKind,
  ServerFrame,
  WelcomeFrame,
} from './protocol.ts';

export type ChatClientOptions = {
  /** The URL to connect to (the widget refreshes its token here); a rejection counts as a failed attempt. */
  url(lastClose: LastClose | null): string | Promise<string>;
  /** Who this client writes as: the sender of its own messages when they are built from an ack. */
  self(): Sender;
  /** Agents: also receive `conv` summaries of the workspace's conversations. */
  inboxUpdates?: boolean;
};

export type ChatClientDeps = RealtimeDeps & { newCid?: () => string };

export type ChatEvents = {
  status(status: ClientStatus, info: StatusInfo): void;
  welcome(frame: WelcomeFrame): void;
  /** A message new to this client (replayed, live, or our own built from its ack); `thread` follows. */
  message(m: Message): void;
  /** The messages, pending sends or synced state of `conv` changed (null: sends waiting for a conversation). */
  thread(conv: string | null): void;
  /** The outbox changed (the widget keeps it across page loads). */
  outbox(): void;
  conv(c: ConversationSummary): void;
  typing(f: Extract<ServerFrame, { t: 'typing' }>): void;
  read(f: Extract<ServerFrame, { t: 'read' }>): void;
  /** A waiting shopper's place in routing's queue (position 0: an agent took the conversation). */
  queue(f: Extract<ServerFrame, { t: 'queue' }>): void;
  /** An error the client did not settle by retrying: a send it marked failed, a subscription it dropped, or other. */
  error(f: ErrorFrame): void;
};

export type SendInput = { conv: string | null; kind: SendKind; body: string; attachments?: Attachment[]; cid?: string };
