/**
 * Sockets follow their session (security finding 1): every change that ends or narrows an
 * agent's session — signing out, being disabled, a role change, a password change or reset, a
 * lockout, a workspace switch — is a domain event, and every delivered event is put on the bus
 * for every node (`eventsChannel`). Each gateway re-reads the session of its sockets of that
 * user: a session that ended closes the socket (4401), one without the right to read
 * conversations closes it (4403), a narrower role narrows what the socket may do from its next
 * frame. Rights are also re-read when a socket has not been checked for `recheckMs`, so expiry
 * and anything without an event are caught as well.
 */
import type { DomainEvent } from '../lib/events/index.ts';

/** The events after which a user's sessions are read again. */
const sessionEvents = new Set<string>([
  'user.updated',
  'user.password_changed',
  'user.password_reset',
  'user.logged_out',
  'user.locked_out',
  'user.switched_workspace',
  'user.totp_enabled',
  'user.totp_disabled',
  'token.revoked',
  // A shopper's data erased: their widget sockets close (the token ends with the profile).
  'customer.erased',
]);

/** Rights are read again before a subscribe or send when they are older than this. */
export const recheckMs = 30_000;

/** The user (or shopper) whose sockets must be re-authorised after this event, or null. */
export function sessionChangeOf(e: DomainEvent): string | null {
  if (!sessionEvents.has(e.type)) return null;
  if (e.objectType === 'user' || e.objectType === 'customer') return e.objectId;
  // A workspace switch is the acting user's; a revoked token is its owner's (the actor revoked it).
  return e.actor.type === 'user' ? e.actor.id : null;
}
