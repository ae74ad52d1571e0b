/**
 * Who is connecting to /ws: an agent by the console's session cookie (from Kefu's own pages only),
 * or a shopper by a widget token. Refused upgrades get an HTTP status and the usual JSON error.
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { Actor } from '../context.ts';
import type { Services } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { customerConversationIds, verifyWidgetToken, type Sender } from '../modules/conversations/index.ts';
import { customerMayChat } from '../modules/customers/index.ts';
import { actorFromSession, publicAgentName, sessionCookieName } from '../modules/users/index.ts';
import type { Sub } from './fanout.ts';
import { TokenBucket } from './rate-limit.ts';

export type Conn = {
  id: string;
  ws: WebSocket;
  kind: 'agent' | 'customer';
  workspaceId: string;
  sender: Sender;
  canWrite: boolean;
  pii: boolean;
  inboxId: string | null;
  allowed: Set<string>; // conversations this connection may use (checked once each)
  subs: Map<string, Sub>;
  inboxUpdates: boolean;
  alive: boolean;
  chain: Promise<void>; // frames of one connection are handled in order
  acks: Promise<void>; // acks and send errors go out in send order
  /** Acks and send errors queued on `acks` and not yet sent (0: the next one may go out at once). */
  acksWaiting: number;
  /** An agent's session cookie value: the session is checked again when it may have changed. */
  session: string | null;
  /** When the agent's rights were last read from the database (ms). */
  checkedAt: number;
  frames: TokenBucket;
  /** After a `busy` or `rate_limited` send, every send is refused until then (ms), so none overtakes it. */
  pausedUntil: number;
  /**
   * Client ids this connection is sending in conversations it is subscribed to (`conv:cid`),
   * until delivery reaches them: a message read from the database to fill a gap has no sending
   * connection, and the sender has its ack instead (no echo).
   */
  ownCids: Set<string>;
  /** Replays running on this connection (paced by the socket's drain, not cut off as a slow reader). */
  replays: number;
  /** Read back-pressure (read-flow.ts): frames read and not yet handled; reading paused; waiting for a drain. */
  pendingFrames: number;
  readPaused: boolean;
  drainWatched: boolean;
};

/** Whether the connection may open at all, and with which rights, for an agent's current actor. */
export function agentRights(actor: Actor | null): Pick<Conn, 'canWrite' | 'pii'> {
  if (!actor) throw new AppError(401, 'unauthenticated', 'sign in first');
  if (actor.mustChangePassword)
    throw new AppError(403, 'password_change_required', 'change your temporary password first');
  if (!actor.permissions.includes('conversations.read'))
    throw new AppError(403, 'forbidden', 'your role does not allow this');
  return {
    canWrite: actor.permissions.includes('conversations.manage'),
    pii: actor.permissions.includes('customers.pii'),
  };
}

/** The Origin header's host, or null when it is absent; `null` (sandboxed frames, files) and junk are refused. */
function originHost(origin: string | undefined): string | null {
  if (origin === undefined) return null;
  try {
    return new URL(origin).host;
  } catch {
    throw new AppError(403, 'origin_not_allowed', 'cross-origin WebSocket connections need a widget token');
  }
}

/** The connection's identity and rights, before its socket exists; throws an AppError to refuse. */
export async function connectionFor(s: Services, req: IncomingMessage): Promise<Omit<Conn, 'ws'>> {
  const url = new URL(req.url ?? '/', 'http://x');
  const widget = url.searchParams.get('widget');
  const base = {
    id: newId('wsc'),
    allowed: new Set<string>(),
    subs: new Map<string, Sub>(),
    inboxUpdates: false,
    alive: true,
    chain: Promise.resolve(),
    acks: Promise.resolve(),
    acksWaiting: 0,
    session: null,
    checkedAt: Date.now(),
    frames: new TokenBucket(s.config.chatFramesPerSecond, s.config.chatFramesPerSecond * 3, Date.now()),
    pausedUntil: 0,
    ownCids: new Set<string>(),
    replays: 0,
    pendingFrames: 0,
    readPaused: false,
    drainWatched: false,
  };
  if (widget) {
    const c = await verifyWidgetToken(s, widget);
    if (!c) throw new AppError(401, 'invalid_widget_token', 'the widget session is invalid or expired');
    const ids = await customerConversationIds(s, c.w, c.c);
    return {
      ...base,
      kind: 'customer',
      workspaceId: c.w,
      inboxId: c.i,
      canWrite: true,
      pii: false,
      allowed: new Set(ids),
      sender: { type: 'customer', id: c.c, name: null, workspaceId: c.w },
    };
  } else {
    // A browser sends cookies with cross-site WebSocket requests: only our own pages may use them.
    const origin = originHost(req.headers.origin);
    if (origin !== null && origin !== req.headers.host)
      throw new AppError(403, 'origin_not_allowed', 'cross-origin WebSocket connections need a widget token');
    const cookie = parseCookie(req.headers.cookie ?? '')[sessionCookieName(s.config)];
    const actor = cookie ? await actorFromSession(s, cookie) : null;
    const rights = agentRights(actor);
    return {
      ...base,
      kind: 'agent',
      workspaceId: actor!.workspaceId,
      inboxId: null,
      ...rights,
      session: cookie!,
      sender: {
        type: 'agent',
        id: actor!.userId,
        name: actor!.name,
        workspaceId: actor!.workspaceId,
        // Read once here and with the rights (a rename is `user.updated`), not for every message.
        publicName: await publicAgentName(s, actor!.userId),
      },
    };
  }
}

/** The raw HTTP answer that refuses an upgrade. */
export function refusal(err: unknown): string {
  const e = err instanceof AppError ? err : new AppError(500, 'internal', 'internal error');
  const body = JSON.stringify({ error: { code: e.code, message: e.message, requestId: newId('req') } });
  const reason = e.status === 401 ? 'Unauthorized' : e.status === 403 ? 'Forbidden' : 'Error';
  return `HTTP/1.1 ${e.status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}

function parseCookie(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

/**
 * The connection's rights read again (a session change, or `recheckMs` passed): an agent's from
 * their session (throws 401 when it ended or moved to another workspace, 403 without the right to
 * read); a shopper's end when their data was erased (privacy), whatever their token says.
 */
export async function readRightsAgain(s: Services, conn: Conn): Promise<void> {
  if (conn.kind === 'customer') {
    if (!(await customerMayChat(s, conn.workspaceId, conn.sender.id)))
      throw new AppError(401, 'session_ended', "the shopper's data was erased; a new session starts afresh");
    return;
  }
  const actor = await actorFromSession(s, conn.session!);
  if (actor && actor.workspaceId !== conn.workspaceId)
    throw new AppError(401, 'unauthenticated', 'the session moved to another workspace');
  const rights = agentRights(actor);
  conn.canWrite = rights.canWrite;
  conn.pii = rights.pii;
  conn.sender.publicName = await publicAgentName(s, conn.sender.id);
}
