/** What the panel shows, as one immutable snapshot, and the small pure mappings into it. */
import type { ClientStatus } from '../../shared/realtime/connection.ts';
import { ApiError } from './api.ts';
import type { TimelineItem } from './chat-state.ts';
import type { Lang, Strings } from './i18n.ts';
import type { PreChatField, WidgetConfig } from './settings.ts';

/** Where the shopper stands in routing's queue; `offer` once they waited the inbox's maximum. */
export type QueueState = {
  position: number;
  waitSeconds: number | null;
  maxWaitSeconds: number;
  notice: string;
  offer: boolean;
};
export type QueueForm = 'message' | 'callback' | null;

export type View = 'loading' | 'unavailable' | 'offline' | 'prechat' | 'chat';
export type Connection = 'idle' | 'connecting' | 'open' | 'reconnecting';
export type Snapshot = {
  view: View;
  lang: Lang;
  t: Strings;
  config: WidgetConfig | null;
  open: boolean;
  connection: Connection;
  timeline: TimelineItem[];
  /** The agent is typing (some shops keep agents' names private, so the indicator never shows one). */
  agentTyping: boolean;
  /** A problem to show plainly (an `error` frame, a refused upload). */
  notice: string | null;
  unavailable: string | null;
  /** The pre-chat fields to ask (those kefuSettings did not already answer). */
  preChatFields: PreChatField[];
  offlineSent: boolean;
  uploading: number;
  queue: QueueState | null;
  /** The form the waiting shopper chose instead of waiting on (a message → ticket, or a callback). */
  queueForm: QueueForm;
};

export function connectionFor(status: ClientStatus, everOpen: boolean): Connection {
  if (status === 'open') return 'open';
  if (status === 'idle') return 'idle';
  return everOpen || status === 'waiting' ? 'reconnecting' : 'connecting';
}

/** A failed request in the shopper's words. */
export function errorText(t: Strings, error: unknown, fallback = t.failedGeneric): string {
  if (!(error instanceof ApiError)) return fallback;
  if (error.code === 'origin_not_allowed') return t.notAllowed;
  if (error.status === 429) return t.rateLimited;
  if (error.status === 400) return t.invalidInput;
  return fallback;
}
