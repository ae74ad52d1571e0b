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
} from '../modules/conversations/index.ts';
import { assertWritesAllowed } from '../modules/backups/index.ts';
import type { Conn } from './connect.ts';
import type { Gateway } from './gateway.ts';

/** `receivedAt`: when the frame arrived (`performance.now()`), for the ack latency. */
export async function onSend(g: Gateway, conn: Conn, f: SendFrame, receivedAt: number): Promise<void> {
  if (!conn.canWrite) throw new AppError(403, 'forbidden', 'your role does not allow this');
  await assertWritesAllowed(g.s);
  const now = Date.now();
  if (now < conn.pausedUntil) return refuse(g, conn, f, 'busy', 'send again after the pause', conn.pausedUntil - now);
  const wait = g.senders.take(`${conn.sender.type}:${conn.sender.id}`, now);
  if (wait > 0) {
    g.metrics.rateLimited.inc({ what: 'messages' });
    return refuse(g, conn, f, 'rate_limited', 'too many messages; send again shortly', wait);
  }
  const post = { clientId: f.cid, kind: f.kind, body: f.body, attachments: f.attachments };
  checkPost(conn.sender, post);
  let conv = f.conv;
  if (!conv) {
    if (conn.kind !== 'customer') throw new AppError(400, 'invalid_frame', 'conv: required');
    const row = (await conversationForCustomer(g.s, conn.workspaceId, conn.inboxId!, conn.sender.id, true))!;
    conv = row.id;
  }
  await g.authorize(conn, conv);
  // A shopper's first message (or one to a conversation another tab started): subscribe with its
  // history first, so this tab shows the whole conversation, then the message.
  if (conn.kind === 'customer' && !conn.subs.has(conv)) await g.subscribe(conn, conv, 0);
  const pending = await prepareMessage(g.s, conn.sender, conv, post);
  const busy = sendRefusal(g.s, pending, conn.id);
  if (busy instanceof BusyError) return refuse(g, conn, f, 'busy', busy.message, busy.retryInMs, conv);
  // Not awaited: the next frame of this connection is prepared while this one commits, in order.
  // Noted before the commit: a gap fill from the database must not echo it back.
  const own = `${conv}:${f.cid}`;
  const noted = conn.subs.has(conv) && !conn.ownCids.has(own);
  if (noted) conn.ownCids.add(own);
  const committed = commitMessage(g.s, pending, conn.id);
  const target = conv;
  // Nothing goes on the bus for a refused message or a resend: forget it.
  committed.then(
    (ack) => void (ack.duplicate && noted && conn.ownCids.delete(own)),
    () => void (noted && conn.ownCids.delete(own)),
  );
  conn.acks = conn.acks.then(() =>
    committed.then(
      (ack) => {
        g.send(conn, ackFrame(ack));
        g.metrics.ackLatency.observe(receivedAt);
      },
      (err: unknown) => {
        if (err instanceof BusyError) {
          conn.pausedUntil = Math.max(conn.pausedUntil, Date.now() + err.retryInMs);
          g.error(conn, err.code, err.message, { cid: f.cid, conv: target, retryInMs: err.retryInMs });
        } else if (err instanceof AppError) g.error(conn, err.code, err.message, { cid: f.cid, conv: target });
        else {
          g.s.log.error({ err }, 'message commit failed');
          g.error(conn, 'not_stored', 'the message was not stored; send it again', { cid: f.cid, conv: target });
        }
      },
    ),
  );
}

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
  conn.acks = conn.acks.then(() =>
    g.error(conn, code, message, { cid: f.cid, ...(conv ? { conv } : {}), retryInMs: Math.max(1, retryInMs) }),
  );
}
