/**
 * Read back-pressure: the gateway stops reading a connection's frames while that connection is
 * behind, so an overloaded node holds its clients' frames in the kernel's and the clients' buffers
 * (TCP flow control) instead of its own memory. Behind means either
 * - more than `maxPendingFrames` of its frames read but not yet handled (frames are handled in
 *   order, one at a time: a replay paced by the socket, a slow database read, a starved event loop), or
 * - more than `pauseBytes` of frames to it waiting in its send buffer (the client is not reading
 *   what it asked for: its acks, errors and replies).
 * Reading resumes once both are at most half their limit. Nothing is refused or dropped: the
 * frames are read later, in order. A connection paused for its send buffer that stays unread is
 * still cut off as a slow consumer (gateway `send`) or by the heartbeat (its pongs are not read).
 */
import type { Socket } from 'node:net';
import type { Conn } from './connect.ts';

export type ReadLimits = { maxPendingFrames: number; pauseBytes: number };

export const defaultReadLimits: ReadLimits = { maxPendingFrames: 64, pauseBytes: 256 * 1024 };

export class ReadFlow {
  private readonly limits: ReadLimits;
  private readonly paused: (reason: 'frames' | 'buffer') => void;

  constructor(limits: ReadLimits, paused: (reason: 'frames' | 'buffer') => void) {
    this.limits = limits;
    this.paused = paused;
  }

  /** A frame of the connection was read; it waits for the ones before it. */
  received(conn: Conn): void {
    if (++conn.pendingFrames > this.limits.maxPendingFrames && !conn.readPaused) this.pause(conn, 'frames');
  }

  /** A frame of the connection was handled. */
  handled(conn: Conn): void {
    conn.pendingFrames--;
    if (conn.readPaused) this.check(conn);
  }

  /** A frame to the connection was buffered (call when its `bufferedAmount` may have grown). */
  sent(conn: Conn): void {
    if (!conn.readPaused && conn.ws.bufferedAmount > this.limits.pauseBytes) this.pause(conn, 'buffer');
  }

  private pause(conn: Conn, reason: 'frames' | 'buffer'): void {
    conn.readPaused = true;
    conn.ws.pause();
    this.paused(reason);
    this.check(conn);
  }

  /** Resumes reading when the connection has caught up; otherwise waits for its send buffer to drain. */
  private check(conn: Conn): void {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    if (conn.ws.bufferedAmount > this.limits.pauseBytes / 2) {
      const socket = (conn.ws as unknown as { _socket?: Socket })._socket;
      if (socket && !conn.drainWatched) {
        conn.drainWatched = true;
        socket.once('drain', () => {
          conn.drainWatched = false;
          if (conn.readPaused) this.check(conn);
        });
      }
      return;
    }
    if (conn.pendingFrames > this.limits.maxPendingFrames / 2) return; // `handled` checks again
    conn.readPaused = false;
    conn.ws.resume();
  }
}
