/**
 * Frame coalescing: the first frame for a socket in a turn of the event loop corks its TCP
 * socket, and all are uncorked together right after the turn, so the frames a socket gets from
 * one commit batch (acks, messages of its conversations) leave in one write instead of one
 * system call each. Adds no wait beyond the current turn.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

// Sockets written to in this turn of the event loop.
let corked: Socket[] = [];

/** Corks the socket under `ws` until the end of this turn (call before each send). */
export function cork(ws: WebSocket): void {
  const socket = (ws as unknown as { _socket?: Socket })._socket;
  if (!socket || socket.writableCorked) return;
  socket.cork();
  if (corked.push(socket) === 1) setImmediate(uncork);
}

function uncork(): void {
  const list = corked;
  corked = [];
  for (const socket of list) while (socket.writableCorked) socket.uncork();
}
