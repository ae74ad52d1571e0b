/**
 * The one back-off of the realtime client (reconnects, and sends the server asked to repeat):
 * exponential from 1 s, capped at 30 s, each delay scaled by a random factor in [0.5, 1) ("equal
 * jitter"). The jitter spreads the reconnect storm when a server node restarts and every socket
 * drops at once; the floor of 0.5 s keeps a flapping network from turning into a hot loop.
 */
export const backoffMinMs = 500;
export const backoffMaxMs = 30_000;
const backoffBaseMs = 1000;

/** Delay before retry number `attempt` (0 = the first retry). */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(backoffMaxMs, backoffBaseMs * 2 ** Math.max(0, Math.min(attempt, 16)));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.max(backoffMinMs, Math.round(ceiling * (0.5 + r / 2)));
}
