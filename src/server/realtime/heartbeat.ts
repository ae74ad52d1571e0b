/**
 * Pings every connection once per `heartbeatMs`, a slice at a time (pinging 10,000 sockets in one
 * task held the event loop for ~100 ms). A connection that said nothing since its last ping, a
 * full interval ago, is dead: terminated and forgotten.
 */
import type { Conn } from './connect.ts';

export const heartbeatSlices = 25;

export class Heartbeat {
  private readonly conns: Set<Conn>;
  private readonly dead: (conn: Conn) => void;
  private queue: Conn[] = [];
  private slice = 0;

  /** `conns`: the live connections; `dead`: forgets a terminated one. Call `tick` every heartbeatMs / heartbeatSlices. */
  constructor(conns: Set<Conn>, dead: (conn: Conn) => void) {
    this.conns = conns;
    this.dead = dead;
  }

  /** Pings the next 1/heartbeatSlices of the connections. */
  tick(): void {
    if (!this.queue.length) {
      this.queue = [...this.conns];
      this.slice = Math.ceil(this.queue.length / heartbeatSlices);
    }
    for (const c of this.queue.splice(0, this.slice)) {
      if (!this.conns.has(c)) continue;
      if (!c.alive) {
        c.ws.terminate();
        this.dead(c);
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }
}
