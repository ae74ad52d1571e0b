/**
 * The live part of the inbox that is not HTTP cache: the messages of the conversations opened in
 * this tab, their pending sends, the shopper's typing, and the connection state. A tiny external
 * store read with useSyncExternalStore: a thread object is replaced whenever it changes, so a
 * component re-renders only for its own conversation.
 */
import { useSyncExternalStore } from 'react';
import type { Message } from '../../../shared/realtime.ts';
import { insertMessage, type ConnectionStatus, type OutboxEntry } from './realtime.ts';

export type Typing = { name: string | null; until: number };

export type Thread = {
  messages: readonly Message[];
  /** The first replay has finished: an empty list now means an empty conversation. */
  synced: boolean;
  pending: readonly OutboxEntry[];
  typing: Typing | null;
};

const emptyThread: Thread = { messages: [], synced: false, pending: [], typing: null };

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
    this.currentStatus = status;
    this.emit();
  }

  thread(conv: string): Thread {
    return this.threads.get(conv) ?? emptyThread;
  }

  addMessage(m: Message): void {
    this.update(m.conv, (t) => {
      const messages = insertMessage(t.messages, m);
      // The shopper sent something: whatever they were typing has arrived.
      const typing = m.sender.type === 'customer' ? null : t.typing;
      return messages === t.messages && typing === t.typing ? t : { ...t, messages, typing };
    });
  }

  markSynced(conv: string): void {
    this.update(conv, (t) => (t.synced ? t : { ...t, synced: true }));
  }

  setPending(conv: string, pending: readonly OutboxEntry[]): void {
    this.update(conv, (t) => ({ ...t, pending }));
  }

  setTyping(conv: string, typing: Typing | null): void {
    this.update(conv, (t) => (t.typing === typing ? t : { ...t, typing }));
  }

  /** Clears typing indicators that have not been refreshed in time; true when something changed. */
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
