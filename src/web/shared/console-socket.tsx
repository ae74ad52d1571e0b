/**
 * The console's one realtime connection per tab (issue #15). Routing counts an agent present while
 * they hold a connection and turns them offline only when the grace period after their last one
 * has passed, so the connection must follow the person, not the page: it opens when someone who
 * takes conversations (`conversations.manage`) is signed in, on every page, closes on sign-out,
 * and is replaced when the workspace changes (the server ties a connection to the workspace it was
 * opened in). Pages that need live data listen to it (`useConsoleSocket`); the inbox also asks for
 * the workspace's conversation summaries while it is mounted. Roles that take no conversations
 * (auditor, read-only) hold it only while a page listens.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { ChatClient, type ChatEvents } from '../../shared/realtime/client.ts';
import {
  browserDeps,
  socketUrl,
  type ClientStatus,
  type RealtimeDeps,
  type StatusInfo,
} from '../../shared/realtime/connection.ts';
import type { Sender } from '../../shared/realtime/protocol.ts';
import { useCan, useMe } from '../features/auth/session.ts';

export type SocketListener = Partial<ChatEvents>;

const eventNames = [
  'status',
  'welcome',
  'message',
  'thread',
  'outbox',
  'conv',
  'typing',
  'read',
  'queue',
  'error',
] as const satisfies readonly (keyof ChatEvents)[];

/** One client shared by the pages of a tab: its events go to every listener; it runs while held or listened to. */
export class ConsoleSocket {
  readonly client: ChatClient;
  private readonly listeners = new Set<SocketListener>();
  private inboxWatchers = 0;
  private held = false;
  private running = false;
  private lastStatus: [ClientStatus, StatusInfo] | null = null;

  constructor(self: () => Sender, deps: RealtimeDeps = browserDeps, url = () => socketUrl(window.location)) {
    const events: Record<string, (...args: unknown[]) => void> = {};
    for (const name of eventNames)
      events[name] = (...args) => {
        if (name === 'status') this.lastStatus = args as [ClientStatus, StatusInfo];
        for (const l of [...this.listeners]) (l[name] as ((...a: unknown[]) => void) | undefined)?.(...args);
      };
    this.client = new ChatClient(events as Partial<ChatEvents>, { url, self }, deps);
  }

  /** Whether the signed-in person takes conversations: then the socket stays open on every page (presence). */
  hold(on: boolean): void {
    this.held = on;
    this.update();
  }

  /**
   * Adds a page's handlers (told the current status at once); `inboxUpdates` asks for the
   * workspace's conversation summaries while this listener is there. Returns the way to remove it.
   */
  listen(listener: SocketListener, opts: { inboxUpdates?: boolean } = {}): () => void {
    this.listeners.add(listener);
    if (opts.inboxUpdates && ++this.inboxWatchers === 1) this.client.watchInbox(true);
    if (this.lastStatus) listener.status?.(...this.lastStatus);
    this.update();
    return () => {
      if (!this.listeners.delete(listener)) return;
      if (opts.inboxUpdates && --this.inboxWatchers === 0) this.client.watchInbox(false);
      this.update();
    };
  }

  /** The browser is back online or the tab visible: retry now rather than after the back-off. */
  nudge(): void {
    this.client.nudge();
  }

  close(): void {
    this.listeners.clear();
    this.held = false;
    this.update();
  }

  get active(): boolean {
    return this.running;
  }

  private update(): void {
    const run = this.held || this.listeners.size > 0;
    if (run === this.running) return;
    this.running = run;
    if (run) this.client.start();
    else this.client.stop();
  }
}

const SocketContext = createContext<ConsoleSocket | null>(null);

/** The tab's connection; only inside the signed-in console. */
export function useConsoleSocket(): ConsoleSocket {
  const socket = useContext(SocketContext);
  if (!socket) throw new Error('useConsoleSocket() outside <ConsoleSocketProvider>');
  return socket;
}

function Holder({ children }: { children: ReactNode }) {
  const me = useMe();
  const presence = useCan()('conversations.manage');
  const [socket] = useState(
    // Our own sent messages carry the name shoppers saw: the display name, or none (no account name).
    () => new ConsoleSocket(() => ({ type: 'agent', id: me.user.id, name: me.user.displayName?.trim() || null })),
  );
  useEffect(() => {
    socket.hold(presence);
  }, [socket, presence]);
  useEffect(() => {
    const nudge = () => socket.nudge();
    const onVisible = () => {
      if (document.visibilityState === 'visible') socket.nudge();
    };
    window.addEventListener('online', nudge);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('online', nudge);
      document.removeEventListener('visibilitychange', onVisible);
      socket.close();
    };
  }, [socket]);
  return <SocketContext.Provider value={socket}>{children}</SocketContext.Provider>;
}

/** Around the signed-in console: one socket per person and workspace (a new one after a switch). */
export function ConsoleSocketProvider({ children }: { children: ReactNode }) {
  const me = useMe();
  return <Holder key={`${me.workspace.id}:${me.user.id}`}>{children}</Holder>;
}
