/**
 * The inbox's use of the tab's realtime connection (`shared/console-socket.tsx`, open on every
 * page): while the inbox is open its frames go into the chat store (threads) and the query cache
 * (inbox rows), and changed rows may alert the agent. Lists are refetched only when a
 * row appears or changes view (status, assignee); other changes are patched in place.
 */
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ChatClient } from '../../../shared/realtime/client.ts';
import type { ConversationSummary } from '../../../shared/realtime/protocol.ts';
import { useConsoleSocket } from '../../shared/console-socket.tsx';
import { useMe } from '../auth/session.ts';
import { alertFor, beep, notify } from './alerts.ts';
import { conversationsKey, storeSummary, type ConversationPage } from './api.ts';
import { ChatStore, connectionStatus } from './chat-store.ts';

export type Chat = { client: ChatClient; store: ChatStore };

const ChatContext = createContext<Chat | null>(null);

export function useChat(): Chat {
  const chat = useContext(ChatContext);
  if (!chat) throw new Error('useChat() outside <ChatProvider>');
  return chat;
}

/** How long a "typing…" lasts without a refresh (the widget repeats it while the shopper types). */
const typingMs = 6000;

function cachedSummary(client: QueryClient, id: string): ConversationSummary | undefined {
  const one = client.getQueryData<ConversationSummary>(['conversation', id]);
  if (one) return one;
  for (const [, data] of client.getQueriesData<InfiniteData<ConversationPage>>({ queryKey: conversationsKey })) {
    for (const page of data?.pages ?? []) {
      const row = page.items.find((item) => item.id === id);
      if (row) return row;
    }
  }
  return undefined;
}

type Live = { openConv: string | null; muted: boolean; onOpen: (conv: string) => void };

export function ChatProvider({ openConv, muted, onOpen, children }: Live & { children: ReactNode }) {
  const client = useQueryClient();
  const me = useMe();
  const { t } = useTranslation();
  const live = useRef<Live & { t: typeof t }>({ openConv, muted, onOpen, t });
  useEffect(() => {
    live.current = { openConv, muted, onOpen, t };
  });

  const meId = me.user.id;
  const socket = useConsoleSocket();
  const [chat] = useState<Chat>(() => {
    const store = new ChatStore();
    const realtime = socket.client;
    // Threads this tab's client already holds (the inbox was open before): shown at once.
    for (const conv of realtime.conversations()) store.refresh(conv, realtime);
    return { client: realtime, store };
  });

  useEffect(() => {
    const { client: realtime, store } = chat;
    const known = new Map<string, ConversationSummary>();
    let refresh: ReturnType<typeof setTimeout> | null = null;
    const refreshLists = () => {
      if (refresh) return;
      refresh = setTimeout(() => {
        refresh = null;
        void client.invalidateQueries({ queryKey: conversationsKey });
      }, 400);
    };

    const onSummary = (c: ConversationSummary) => {
      const prev = known.get(c.id) ?? cachedSummary(client, c.id);
      known.set(c.id, c);
      storeSummary(client, c, !!prev && prev.lastMessageAt !== c.lastMessageAt);
      // A row new to this tab, or one that may have moved between views and counts: ask again.
      if (!prev || prev.status !== c.status || prev.assigneeId !== c.assigneeId) refreshLists();
      const { openConv: open, muted: quiet, onOpen: openIt, t: tr } = live.current;
      const kind = alertFor(prev, c, {
        meId,
        openConv: open,
        visible: document.visibilityState === 'visible',
        now: Date.now(),
      });
      if (!kind) return;
      if (!quiet) beep();
      const name = c.customerName ?? tr('customers.visitor');
      notify(tr(`inbox.alert.${kind}`, { name }), c.lastMessagePreview ?? '', c.id, () => openIt(c.id));
    };

    // The tab's one connection (shared with the other pages); the inbox adds its handlers while it is open.
    const stopListening = socket.listen(
      {
        status: (clientStatus, info) => {
          const status = connectionStatus(clientStatus, info.everOpen);
          // Back after a gap: `conv` frames were missed meanwhile, so the lists and rows are asked for again.
          if (status === 'online' && store.status === 'reconnecting') {
            void client.invalidateQueries({ queryKey: conversationsKey });
            void client.invalidateQueries({ queryKey: ['conversation'] });
          }
          store.setStatus(status);
        },
        message: (m) => store.messageArrived(m),
        thread: (conv) => {
          if (conv) store.refresh(conv, realtime);
        },
        conv: onSummary,
        typing: (f) => {
          if (f.from === 'customer')
            store.setTyping(f.conv, f.on ? { name: f.name, until: Date.now() + typingMs } : null);
        },
        read: (f) => {
          if (f.by !== 'customer') return;
          const c = cachedSummary(client, f.conv);
          if (c && f.seq > c.customerLastReadSeq) storeSummary(client, { ...c, customerLastReadSeq: f.seq });
        },
      },
      { inboxUpdates: true },
    );
    const timer = window.setInterval(() => store.expireTyping(Date.now()), 1000);
    return () => {
      stopListening();
      if (refresh) clearTimeout(refresh);
      window.clearInterval(timer);
    };
  }, [chat, socket, client, meId]);

  return <ChatContext.Provider value={chat}>{children}</ChatContext.Provider>;
}
