/**
 * A `send` frame: rights, the pause after a refusal, the sender's rate limit, the writer's bound,
 * then the commit. Acks and errors of one connection go out in the order of its sends; a send
 * refused as `busy` or `rate_limited` pauses the connection's sends until its `retryInMs` has
 * passed, so a later message cannot overtake the refused one.
 */
import type { SendFrame } from '../../shared/realtime/protocol.ts';
import { AppError } from '../lib/errors.ts';
import {
  BusyError,
  checkPost,
  commitMessage,
  conversationForCustomer,
  prepareMessage,
  sendRefusal,
  type Ack,
  type PendingMessage,
} from '../modules/conversations/index.ts';
import { assertWritesAllowed, writeRefusalNow } from '../modules/backups/index.ts';
import type { Conn } from './connect.ts';
import type { Gateway } from './gateway.ts';

/**
 * `receivedAt`: when the frame arrived (`performance.now()`), for the ack latency. Returns a
 * promise only when the send must wait for a read first (the write stop's cached row is stale, a
 * conversation not yet known to the connection, attachments, an agent's display name); never for
 * the commit, whose ack goes out on its own. Under overload sends arrive twice as fast as they
 * commit: the common case allocates only what it must.
 */
export function onSend(g: Gateway, conn: Conn, f: SendFrame, receivedAt: number): Promise<void> | void {
  if (!conn.canWrite) throw new AppError(403, 'forbidden', 'your role does not allow this');
  const stopped = writeRefusalNow(g.s);
  if (stopped) throw stopped;
  const conv = f.conv;
  if (stopped === undefined || !conv || !conn.allowed.has(conv) || (conn.kind === 'customer' && !conn.subs.has(conv)))
    return onSendAfterReads(g, conn, f, receivedAt);
  if (!admit(g, conn, f)) return;
  const prepared = prepareMessage(g.s, conn.sender, conv, chatPost(f));
  if (prepared instanceof Promise) return prepared.then((pm) => submit(g, conn, f, pm, receivedAt));
  submit(g, conn, f, prepared, receivedAt);
}

async function onSendAfterReads(g: Gateway, conn: Conn, f: SendFrame, receivedAt: number): Promise<void> {
  await assertWritesAllowed(g.s);
  if (!admit(g, conn, f)) return;
  const post = chatPost(f);
  checkPost(conn.sender, post);
  let conv = f.conv;
  if (!conv) {
    if (conn.kind !== 'customer') throw new AppError(400, 'invalid_frame', 'conv: required');
    const row = (await conversationForCustomer(g.s, conn.workspaceId, conn.inboxId!, conn.sender.id, true))!;
    conv = row.id;
  }
  if (!conn.allowed.has(conv)) await g.authorize(conn, conv);
  // A shopper's first message (or one to a conversation another tab started): subscribe with its
  // history first, so this tab shows the whole conversation, then the message.
  if (conn.kind === 'customer' && !conn.subs.has(conv)) await g.subscribe(conn, conv, 0);
  submit(g, conn, f, await prepareMessage(g.s, conn.sender, conv, post), receivedAt);
}

const chatPost = (f: SendFrame) => ({ clientId: f.cid, kind: f.kind, body: f.body, attachments: f.attachments });

/** The pause after a refusal and the sender's rate limit: false when the send was refused (and answered). */
function admit(g: Gateway, conn: Conn, f: SendFrame): boolean {
  const now = Date.now();
  if (now < conn.pausedUntil) {
    refuse(g, conn, f, 'busy', 'send again after the pause', conn.pausedUntil - now);
    return false;
  }
  const wait = g.senders.take(`${conn.sender.type}:${conn.sender.id}`, now);
  if (wait <= 0) return true;
  g.metrics.rateLimited.inc({ what: 'messages' });
  refuse(g, conn, f, 'rate_limited', 'too many messages; send again shortly', wait);
  return false;
}

/** The writer's bound, then the commit; the ack (or the error) follows the connection's earlier ones. */
function submit(g: Gateway, conn: Conn, f: SendFrame, pending: PendingMessage, receivedAt: number): void {
  const conv = pending.conversationId;
  const busy = sendRefusal(g.s, pending, conn.id);
  if (busy instanceof BusyError) return refuse(g, conn, f, 'busy', busy.message, busy.retryInMs, conv);
  // Not awaited: the next frame of this connection is prepared while this one commits, in order.
  // Noted before the commit: a gap fill from the database must not echo it back; forgotten when
  // nothing goes on the bus for it (a refused message or a resend).
  const own = conn.subs.has(conv) ? `${conv}:${f.cid}` : null;
  const noted = own !== null && !conn.ownCids.has(own);
  if (noted) conn.ownCids.add(own);
  const committed = commitMessage(g.s, pending, conn.id);
  const acked = (ack: Ack) => {
    conn.acksWaiting--;
    if (ack.duplicate && noted) conn.ownCids.delete(own!);
    g.send(conn, ackFrame(ack));
    g.metrics.ackLatency.observe(receivedAt);
  };
  const failed = (err: unknown) => {
    conn.acksWaiting--;
    if (noted) conn.ownCids.delete(own!);
    if (err instanceof BusyError) {
      conn.pausedUntil = Math.max(conn.pausedUntil, Date.now() + err.retryInMs);
      g.error(conn, err.code, err.message, { cid: f.cid, conv, retryInMs: err.retryInMs });
    } else if (err instanceof AppError) g.error(conn, err.code, err.message, { cid: f.cid, conv });
    else {
      g.s.log.error({ err }, 'message commit failed');
      g.error(conn, 'not_stored', 'the message was not stored; send it again', { cid: f.cid, conv });
    }
  };
  // Acks and errors go out in send order: straight from the commit when nothing is waiting ahead.
  if (++conn.acksWaiting === 1) conn.acks = committed.then(acked, failed);
  else {
    committed.catch(ignore); // handled once the earlier acks are out; not an unhandled rejection meanwhile
    conn.acks = conn.acks.then(() => committed.then(acked, failed));
  }
}

const ignore = () => {};

function ackFrame(ack: Ack) {
  return {
    t: 'ack' as const,
    cid: ack.cid,
    conv: ack.conv,
    id: ack.id,
    seq: ack.seq,
    at: ack.at,
    ...(ack.duplicate ? { duplicate: true } : {}),
    ...(ack.prev !== null ? { prev: ack.prev } : {}),
  };
}

/** Refuses a send for now (retryable), after the acks of the earlier sends, and pauses the connection. */
function refuse(g: Gateway, conn: Conn, f: SendFrame, code: string, message: string, retryInMs: number, conv = f.conv) {
  conn.pausedUntil = Math.max(conn.pausedUntil, Date.now() + retryInMs);
  const extra = conv
    ? { cid: f.cid, conv, retryInMs: Math.max(1, retryInMs) }
    : { cid: f.cid, retryInMs: Math.max(1, retryInMs) };
  const error = () => g.error(conn, code, message, extra);
  if (conn.acksWaiting === 0) return error();
  conn.acksWaiting++;
  conn.acks = conn.acks.then(() => {
    conn.acksWaiting--;
    error();
  });
}
