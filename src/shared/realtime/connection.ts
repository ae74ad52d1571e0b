/**
 * One WebSocket to /ws that stays up: hello → welcome, heartbeat pings, a watchdog that declares
 * the socket dead when nothing arrives for two heartbeats (a phone that slept or a NAT that forgot
 * the flow never sends a close), and reconnects with back-off and jitter. What to say in `hello`
 * and what to do with frames is the owner's business (client.ts); the socket, timers and
 * randomness are injected so the whole lifecycle runs under fake timers in tests.
 */
import { backoffDelay } from './backoff.ts';
import {
  closeCodes,
  connectTimeoutMs,
  defaultHeartbeatMs,
  silentHeartbeats,
  type ClientFrame,
  type ServerFrame,
  type WelcomeFrame,
} from './protocol.ts';

/** The few members of a browser WebSocket the client uses. */
export type SocketLike = {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
};

/** idle: not started or stopped; waiting: for the next attempt after a failure. */
export type ClientStatus = 'idle' | 'connecting' | 'open' | 'waiting';
export type StatusInfo = { attempt: number; retryInMs?: number; everOpen: boolean };

/** Why the last socket ended, so the owner can decide to fetch a fresh token before the next one. */
export type LastClose = { code: number; welcomed: boolean; failuresInARow: number };

export type ConnectionOwner = {
  /** The URL to connect to (may refresh a token first); a rejection counts as a failed attempt. */
  url(lastClose: LastClose | null): string | Promise<string>;
  hello(): ClientFrame;
  welcome(frame: WelcomeFrame): void;
  frame(frame: ServerFrame): void;
  status(status: ClientStatus, info: StatusInfo): void;
};

export type RealtimeDeps = {
  createSocket(url: string): SocketLike;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
};

/** The dependencies in a browser (the console and the widget): the DOM's WebSocket and timers. */
export const browserDeps: RealtimeDeps = {
  // The DOM's handler types are narrower than the few fields the client reads.
  createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  random: Math.random,
};

const openState = 1;

export class Connection {
  private socket: SocketLike | null = null;
  private generation = 0;
  private attempt = 0;
  private failuresInARow = 0;
  private lastClose: LastClose | null = null;
  private welcomed = false;
  private everOpen = false;
  private heartbeatMs = defaultHeartbeatMs;
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private watchdog: unknown = null;
  private running = false;
  private current: ClientStatus = 'idle';
  private readonly owner: ConnectionOwner;
  private readonly deps: RealtimeDeps;

  constructor(owner: ConnectionOwner, deps: RealtimeDeps) {
    this.owner = owner;
    this.deps = deps;
  }

  get status(): ClientStatus {
    return this.current;
  }

  /** Welcomed: frames other than hello may be written. */
  get open(): boolean {
    return this.welcomed;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  stop(): void {
    this.running = false;
    this.generation++;
    this.clearTimers();
    this.detach(closeCodes.normal);
    this.setStatus('idle');
  }

  /** Network came back or the tab became visible: retry now instead of waiting out the back-off, or probe an open socket. */
  nudge(): void {
    if (!this.running) return;
    if (this.current === 'waiting') {
      this.deps.clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.connect();
    } else if (this.current === 'open') {
      // After sleep the socket may be dead without knowing it: a ping proves it within one heartbeat.
      this.write({ t: 'ping' });
      this.armWatchdog(this.heartbeatMs);
    }
  }

  /** Writes a frame on the welcomed socket; false when there is none (the caller keeps it for later). */
  send(frame: ClientFrame): boolean {
    return this.welcomed && this.write(frame);
  }

  private write(frame: ClientFrame): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== openState) return false;
    try {
      socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  private connect(): void {
    const gen = ++this.generation;
    this.welcomed = false;
    this.setStatus('connecting');
    let url: string | Promise<string>;
    try {
      url = this.owner.url(this.lastClose);
    } catch {
      this.lost(0);
      return;
    }
    if (typeof url === 'string') return this.attach(gen, url);
    url.then(
      (u) => {
        if (gen === this.generation && this.running) this.attach(gen, u);
      },
      () => {
        if (gen === this.generation && this.running) this.lost(0);
      },
    );
  }

  private attach(gen: number, url: string): void {
    let socket: SocketLike;
    try {
      socket = this.deps.createSocket(url);
    } catch {
      this.lost(0);
      return;
    }
    this.socket = socket;
    this.armWatchdog(connectTimeoutMs);
    socket.onopen = () => {
      if (gen === this.generation) this.write(this.owner.hello());
    };
    socket.onmessage = (event) => {
      if (gen === this.generation) this.receive(event.data);
    };
    socket.onclose = (event) => {
      if (gen === this.generation) this.lost(event.code);
    };
    socket.onerror = () => {
      /* a close event follows */
    };
  }

  private receive(data: unknown): void {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(data)) as ServerFrame;
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object' || typeof frame.t !== 'string') return;
    // Any frame proves the connection alive.
    this.armWatchdog(this.welcomed ? this.heartbeatMs * silentHeartbeats : connectTimeoutMs);
    if (frame.t === 'welcome') {
      this.welcomed = true;
      this.everOpen = true;
      this.attempt = 0;
      this.failuresInARow = 0;
      this.lastClose = null;
      this.heartbeatMs = frame.heartbeatMs > 0 ? frame.heartbeatMs : defaultHeartbeatMs;
      this.armWatchdog(this.heartbeatMs * silentHeartbeats);
      this.schedulePing();
      this.setStatus('open');
      this.owner.welcome(frame);
      return;
    }
    if (frame.t === 'pong') return;
    this.owner.frame(frame);
  }

  private schedulePing(): void {
    this.deps.clearTimeout(this.pingTimer);
    this.pingTimer = this.deps.setTimeout(() => {
      this.write({ t: 'ping' });
      this.schedulePing();
    }, this.heartbeatMs);
  }

  private armWatchdog(ms: number): void {
    this.deps.clearTimeout(this.watchdog);
    this.watchdog = this.deps.setTimeout(() => this.lost(closeCodes.silent), ms);
  }

  /** The socket is gone (closed, timed out, or never came up): clean up and schedule the next try. */
  private lost(code: number): void {
    if (!this.running) return;
    const welcomed = this.welcomed;
    this.generation++; // late events of the old socket are ignored from here on
    this.clearTimers();
    // Our own code for "silent too long", so the close is recognisable in server logs.
    this.detach(code === closeCodes.silent ? closeCodes.silent : undefined);
    this.failuresInARow = welcomed ? 0 : this.failuresInARow + 1;
    this.lastClose = { code, welcomed, failuresInARow: this.failuresInARow };
    const delay = backoffDelay(this.attempt, this.deps.random);
    this.setStatus('waiting', delay);
    this.attempt++;
    this.retryTimer = this.deps.setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private detach(code?: number): void {
    const socket = this.socket;
    this.socket = null;
    this.welcomed = false;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close(code);
    } catch {
      /* already closing */
    }
  }

  private clearTimers(): void {
    for (const timer of [this.retryTimer, this.pingTimer, this.watchdog])
      if (timer !== null) this.deps.clearTimeout(timer);
    this.retryTimer = this.pingTimer = this.watchdog = null;
  }

  private setStatus(status: ClientStatus, retryInMs?: number): void {
    this.current = status;
    const info: StatusInfo = { attempt: this.attempt, everOpen: this.everOpen };
    if (retryInMs !== undefined) info.retryInMs = retryInMs;
    this.owner.status(status, info);
  }
}

/** The /ws URL of the page's own host (wss on https); the widget adds its token. */
export function socketUrl(location: { protocol: string; host: string }, widgetToken?: string): string {
  const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  return widgetToken === undefined ? base : `${base}?widget=${encodeURIComponent(widgetToken)}`;
}
