/**
 * Web Push: a notification also reaches the person's phone or desktop while the console is closed.
 * The installation's VAPID key pair is made at first start (the private key encrypted); browsers
 * subscribe from the console; each notification that should push enqueues a durable job
 * (`notifications.push`) which encrypts the message for each of the person's browsers (aes128gcm,
 * RFC 8291, by `web-push`) and posts it to the browser's push service through the SSRF-guarded
 * outbound path. A push service answering 404 or 410 means the subscription is gone: it is deleted.
 */
import type { Ctx, Services } from '../../context.ts';
import { notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { enqueue } from '../../lib/jobs/queue.ts';
import { outboundRequest, parseAllowList } from '../../lib/outbound.ts';
import { resealRows, type ResealBatch } from '../../lib/reseal.ts';
import { getWorkspace } from '../workspaces/index.ts';
import { own } from './schema.ts';

type Scope = Pick<Services, 'db' | 'cipher' | 'clock'>;
/** web-push loads when keys are made or a push is sent, not with the server. */
const webPushLib = async () => (await import('web-push')).default;
export type VapidKeys = { publicKey: string; privateKey: string };

/** The installation's VAPID keys, made and stored on first use (first start; a race keeps the first row). */
export async function vapidKeys(s: Scope): Promise<VapidKeys> {
  const read = () => own(s.db).selectFrom('push_vapid').selectAll().where('id', '=', 'vapid').executeTakeFirst();
  let row = await read();
  if (!row) {
    const made = (await webPushLib()).generateVAPIDKeys();
    await own(s.db)
      .insertInto('push_vapid')
      .values({
        id: 'vapid',
        public_key: made.publicKey,
        private_key_enc: s.cipher.encrypt(made.privateKey),
        created_at: s.clock.now().toISOString(),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    row = (await read())!;
  }
  return { publicKey: row.public_key, privateKey: s.cipher.decrypt(row.private_key_enc) };
}

export type SubscriptionInput = { endpoint: string; keys: { p256dh: string; auth: string } };

/** Stores (or moves to this person and workspace) a browser's subscription. */
export async function subscribe(ctx: Ctx, sub: SubscriptionInput): Promise<void> {
  const now = ctx.clock.now().toISOString();
  const values = {
    workspace_id: ctx.actor.workspaceId,
    user_id: ctx.actor.userId,
    p256dh: sub.keys.p256dh,
    auth: sub.keys.auth,
  };
  // One browser is one endpoint: signing in as someone else there moves the subscription to them.
  await own(ctx.db)
    .insertInto('push_subscriptions')
    .values({ id: newId('psub'), endpoint: sub.endpoint, created_at: now, ...values })
    .onConflict((oc) => oc.column('endpoint').doUpdateSet(values))
    .execute();
}

/** Removes this person's subscription for that endpoint (404 when it is not theirs). */
export async function unsubscribe(ctx: Ctx, endpoint: string): Promise<void> {
  const r = await own(ctx.db)
    .deleteFrom('push_subscriptions')
    .where('endpoint', '=', endpoint)
    .where('user_id', '=', ctx.actor.userId)
    .executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw notFound('subscription');
}

/** How many browsers this person receives pushes on, in this workspace. */
export async function subscriptionCount(ctx: Ctx): Promise<number> {
  const rows = await own(ctx.db)
    .selectFrom('push_subscriptions')
    .select('id')
    .where('user_id', '=', ctx.actor.userId)
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .execute();
  return rows.length;
}

/** Enqueues the push of a stored notification (inside the transaction that stored it). */
export async function queuePush(s: Pick<Services, 'db' | 'clock'>, notificationId: string, workspaceId: string) {
  await enqueue(s.db, s.clock, {
    type: 'notifications.push',
    payload: { notificationId },
    workspaceId,
    maxAttempts: 3,
    uniqueKey: `push:${notificationId}`,
  });
}

type Words = { title: string; body: string };
type Subject = { number?: number; title?: string };
const texts: Record<string, (d: { subject?: Subject; by?: string; excerpt?: string }, zh: boolean) => Words> = {
  'conversation.assigned': (_d, zh) => ({
    title: zh ? '新会话分配给你' : 'A conversation was assigned to you',
    body: zh ? '打开会话回复顾客' : 'Open it to answer the shopper',
  }),
  'ticket.assigned': (d, zh) => ({
    title: zh ? `工单 #${d.subject?.number} 分配给你` : `Ticket #${d.subject?.number} was assigned to you`,
    body: d.subject?.title ?? '',
  }),
  mention: (d, zh) => ({
    title: zh ? `${d.by ?? ''} 在备注中提到了你` : `${d.by ?? ''} mentioned you in a note`,
    body: d.excerpt ?? '',
  }),
};

/** The job: sends one notification to each of its person's browsers; gone subscriptions are deleted. */
export async function sendPush(s: Services, notificationId: string): Promise<{ sent: number; gone: number }> {
  const n = await own(s.db).selectFrom('notifications').selectAll().where('id', '=', notificationId).executeTakeFirst();
  if (!n) return { sent: 0, gone: 0 };
  const subs = await own(s.db)
    .selectFrom('push_subscriptions')
    .selectAll()
    .where('user_id', '=', n.user_id)
    .where('workspace_id', '=', n.workspace_id)
    .execute();
  if (!subs.length) return { sent: 0, gone: 0 };
  const ws = await getWorkspace(s, n.workspace_id);
  const zh = ws.defaultLanguage !== 'en';
  const data = JSON.parse(n.data) as Parameters<(typeof texts)[string]>[0];
  const words = texts[n.type]?.(data, zh) ?? { title: 'Kefu', body: '' };
  const payload = JSON.stringify({ ...words, url: n.link ?? '/', tag: n.id });
  const keys = await vapidKeys(s);
  const subject = s.config.publicUrl ?? 'mailto:admin@kefu.local';
  const allow = parseAllowList(s.config.outboundAllowList);
  let sent = 0;
  let gone = 0;
  const webPush = await webPushLib();
  for (const sub of subs) {
    const req = webPush.generateRequestDetails(
      { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
      payload,
      {
        vapidDetails: { subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
        TTL: 3600,
        contentEncoding: 'aes128gcm',
      },
    );
    const res = await outboundRequest(req.endpoint, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.body ?? undefined,
      allow,
      timeoutMs: 10_000,
      maxBytes: 4096,
      maxRedirects: 0,
    });
    if (res.status === 404 || res.status === 410) {
      await own(s.db).deleteFrom('push_subscriptions').where('id', '=', sub.id).execute();
      gone++;
    } else if (res.status >= 400) {
      s.log.warn({ status: res.status, subscription: sub.id }, 'push service refused a notification');
    } else sent++;
  }
  return { sent, gone };
}

/** Key rotation: the VAPID private key resealed under the current key. */
export async function resealVapid(
  s: Pick<Services, 'db' | 'cipher'>,
  after: string | null,
  limit: number,
): Promise<ResealBatch> {
  let q = own(s.db).selectFrom('push_vapid').select(['id', 'private_key_enc']).orderBy('id').limit(limit);
  if (after) q = q.where('id', '>', after);
  return resealRows(s.cipher, await q.execute(), { private_key_enc: 'value' }, (id, set, was) =>
    own(s.db)
      .updateTable('push_vapid')
      .set(set)
      .where('id', '=', id)
      .where('private_key_enc', '=', was.private_key_enc!)
      .execute(),
  );
}
