/**
 * One WebSocket to /ws that stays up: hello → welcome, heartbeat pings, a watchdog that declares
 * the socket dead when nothing arrives for two heartbeats (a phone that slept or a NAT that forgot
 * the flow never sends a close), and reconnects with back-off and jitter. What to say in `hello`
 * and what to do with frames is the owner's business (see controller.ts); the socket, timers and
 * randomness are injected so the whole lifecycle runs under fake timers in tests.
 */
import type { ClientFrame, ServerFrame } from '../../shared/realtime.ts';
import { backoffDelay } from './backoff.ts';

export type SocketLike = {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
};

export type ClientStatus = 'idle' | 'connecting' | 'open' | 'waiting';
type Welcome = Extract<ServerFrame, { t: 'welcome' }>;

/** Why the last socket ended, so the owner can decide to fetch a fresh token before the next one. */
export type LastClose = { code: number; welcomed: boolean; failuresInARow: number };

export type RealtimeOwner = {
  /** The URL to connect to, with a valid token (may refresh the session); a rejection counts as a failed attempt. */
  url(lastClose: LastClose | null): Promise<string>;
  hello(): Extract<ClientFrame, { t: 'hello' }>;
  welcome(frame: Welcome): void;
  frame(frame: ServerFrame): void;
  status(status: ClientStatus, info: { attempt: number; retryInMs?: number }): void;
};

export type RealtimeDeps = {
  createSocket(url: string): SocketLike;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
};

const openState = 1;
/** Until the welcome arrives there is no heartbeat yet: give the handshake this long. */
export const connectTimeoutMs = 15_000;
const defaultHeartbeatMs = 25_000;

export class RealtimeClient {
  private socket: SocketLike | null = null;
  private generation = 0;
  private attempt = 0;
  private failuresInARow = 0;
  private lastClose: LastClose | null = null;
  private welcomed = false;
  private heartbeatMs = defaultHeartbeatMs;
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private watchdog: unknown = null;
  private running = false;
  private current: ClientStatus = 'idle';

  private readonly owner: RealtimeOwner;
  private readonly deps: RealtimeDeps;

  constructor(owner: RealtimeOwner, deps: RealtimeDeps) {
    this.owner = owner;
    this.deps = deps;
  }

  get status(): ClientStatus {
    return this.current;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect();
  }

  stop(): void {
    this.running = false;
    this.generation++;
    this.clearTimers();
    this.detach(1000);
    this.setStatus('idle');
  }

  /** Network came back or the tab became visible: retry now instead of waiting out the back-off, or probe an open socket. */
  nudge(): void {
    if (!this.running) return;
    if (this.current === 'waiting') {
      this.deps.clearTimeout(this.retryTimer);
      this.retryTimer = null;
      void this.connect();
    } else if (this.current === 'open') {
      // After sleep the socket may be dead without knowing it: a ping proves it within one heartbeat.
      this.write({ t: 'ping' });
      this.armWatchdog(this.heartbeatMs);
    }
  }

  /** Writes a frame on the welcomed socket; false when there is none (the caller keeps it for later). */
  send(frame: ClientFrame): boolean {
    if (!this.welcomed) return false;
    return this.write(frame);
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

  private async connect(): Promise<void> {
    const gen = ++this.generation;
    this.welcomed = false;
    this.setStatus('connecting');
    let url: string;
    try {
      url = await this.owner.url(this.lastClose);
    } catch {
      if (gen === this.generation && this.running) this.lost(0);
      return;
    }
    if (gen !== this.generation || !this.running) return;
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
    this.armWatchdog(this.welcomed ? this.heartbeatMs * 2 : connectTimeoutMs);
    if (frame.t === 'welcome') {
      this.welcomed = true;
      this.attempt = 0;
      this.failuresInARow = 0;
      this.lastClose = null;
      this.heartbeatMs = frame.heartbeatMs > 0 ? frame.heartbeatMs : defaultHeartbeatMs;
      this.armWatchdog(this.heartbeatMs * 2);
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
    // 4000: our own code for "silent too long", so the close is recognisable in server logs.
    this.watchdog = this.deps.setTimeout(() => this.lost(4000), ms);
  }

  /** The socket is gone (closed, timed out, or never came up): clean up and schedule the next try. */
  private lost(code: number): void {
    if (!this.running) return;
    const welcomed = this.welcomed;
    this.generation++; // late events of the old socket are ignored from here on
    this.clearTimers();
    this.detach(code === 4000 ? 4000 : undefined);
    this.failuresInARow = welcomed ? 0 : this.failuresInARow + 1;
    this.lastClose = { code, welcomed, failuresInARow: this.failuresInARow };
    const delay = backoffDelay(this.attempt, this.deps.random);
    this.setStatus('waiting', delay);
    this.attempt++;
    this.retryTimer = this.deps.setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
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
    for (const timer of [this.retryTimer, this.pingTimer, this.watchdog]) this.deps.clearTimeout(timer);
    this.retryTimer = this.pingTimer = this.watchdog = null;
  }

  private setStatus(status: ClientStatus, retryInMs?: number): void {
    this.current = status;
    this.owner.status(
      status,
      retryInMs === undefined ? { attempt: this.attempt } : { attempt: this.attempt, retryInMs },
    );
  }
}
