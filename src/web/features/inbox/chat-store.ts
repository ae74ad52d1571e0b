/**
 * The live part of the inbox that is not HTTP cache: the messages of the conversations opened in
 * this tab and their pending sends (both held by the shared realtime client, copied here when it
 * says they changed), the shopper's typing, and the connection state. A tiny external store read
 * with useSyncExternalStore: a thread object is replaced whenever it changes, so a component
 * re-renders only for its own conversation.
 */
import { useSyncExternalStore } from 'react';
import type { ChatClient } from '../../../shared/realtime/client.ts';
import type { ClientStatus } from '../../../shared/realtime/connection.ts';
import type { OutboxEntry } from '../../../shared/realtime/outbox.ts';
import type { Message } from '../../../shared/realtime/protocol.ts';

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'stopped';
export type Typing = { name: string | null; until: number };

export type Thread = {
  messages: readonly Message[];
  /** The first replay has finished: an empty list now means an empty conversation. */
  synced: boolean;
  pending: readonly OutboxEntry[];
  typing: Typing | null;
};

type ThreadSource = Pick<ChatClient, 'messages' | 'pending' | 'isSynced'>;

const emptyThread: Thread = { messages: [], synced: false, pending: [], typing: null };

/** What the console says about the connection (before the first welcome it is "connecting", after it "reconnecting"). */
export function connectionStatus(status: ClientStatus, everOpen: boolean): ConnectionStatus {
  if (status === 'open') return 'online';
  if (status === 'idle') return 'stopped';
  return everOpen ? 'reconnecting' : 'connecting';
}

export class ChatStore {
  private readonly threads = new Map<string, Thread>();
  private readonly listeners = new Set<() => void>();
  private currentStatus: ConnectionStatus = 'connecting';

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  setStatus(status: ConnectionStatus): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    this.emit();
  }

  thread(conv: string): Thread {
    return this.threads.get(conv) ?? emptyThread;
  }

  /** The client's messages, pending sends or synced state of `conv` changed. */
  refresh(conv: string, source: ThreadSource): void {
    this.update(conv, (t) => ({
      ...t,
      messages: source.messages(conv),
      pending: source.pending(conv),
      synced: source.isSynced(conv),
    }));
  }

  /** A message arrived: if the shopper sent it, whatever they were typing has arrived. */
  messageArrived(m: Message): void {
    if (m.sender.type === 'customer') this.setTyping(m.conv, null);
  }

  setTyping(conv: string, typing: Typing | null): void {
    this.update(conv, (t) => (t.typing === typing ? t : { ...t, typing }));
  }

  /** Clears typing indicators that have not been refreshed in time. */
  expireTyping(now: number): void {
    for (const [conv, t] of this.threads) if (t.typing && t.typing.until <= now) this.setTyping(conv, null);
  }

  private update(conv: string, fn: (t: Thread) => Thread): void {
    const before = this.thread(conv);
    const after = fn(before);
    if (after === before) return;
    this.threads.set(conv, after);
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

export function useThread(store: ChatStore, conv: string): Thread {
  return useSyncExternalStore(store.subscribe, () => store.thread(conv));
}

export function useConnectionStatus(store: ChatStore): ConnectionStatus {
  return useSyncExternalStore(store.subscribe, () => store.status);
}
