/**
 * The widget's public side: config, shopper sessions (with HMAC identity verification and the
 * allowed-origins check), and offline messages. A session is a signed token naming the customer,
 * workspace and inbox; it authorises the shopper's WebSocket and uploads, and nothing else.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { BotGreeting, OfflineMessageBody, WidgetSessionBody } from '../../../shared/chat-api.ts';
import { publish, type Services } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { randomToken } from '../../lib/crypto.ts';
import { customerByIdFill, customerForVisitor, customerMayChat } from '../customers/index.ts';
import { inboxByPublicId, withinBusinessHours, type InboxRow } from '../inboxes/index.ts';
import { agentAvatarPath } from '../../../shared/avatars.ts';
import { anyonePresentSince, publicAgentName } from '../users/index.ts';
import { conversationForCustomer, postMessage } from './service.ts';
import { savePreChatOrderNo } from './shopper-context.ts';

export type WidgetClaims = { k: 'w'; c: string; w: string; i: string; e: number };
const sessionTtlMs = 30 * 86400_000;
const onlineWindowMs = 90_000;

/**
 * The session a widget token names, or null: a bad signature, an expired token, or a customer who
 * no longer exists or was erased (a token issued before an erasure ends with it).
 */
export async function verifyWidgetToken(s: Services, token: string): Promise<WidgetClaims | null> {
  const c = s.cipher.verify<WidgetClaims>(token);
  if (!c || c.k !== 'w' || c.e <= s.clock.now().getTime()) return null;
  return (await customerMayChat(s, c.w, c.c)) ? c : null;
}

/** Whether any agent of the workspace has been connected within the last 90 s. */
export async function agentsOnline(s: Services, workspaceId: string): Promise<boolean> {
  return anyonePresentSince(s, workspaceId, new Date(s.clock.now().getTime() - onlineWindowMs));
}

/**
 * Whether the bot answers a new message in an inbox now, with its greeting per language, or null
 * (the bot module registers it: it builds on this one).
 */
export type BotProbe = (
  s: Services,
  workspaceId: string,
  inboxId: string,
  now: Date,
) => Promise<{ greeting: BotGreeting } | null>;
let botProbe: BotProbe = () => Promise.resolve(null);
export function setWidgetBotProbe(p: BotProbe): void {
  botProbe = p;
}

export async function widgetConfig(s: Services, publicId: string) {
  const inbox = await inboxByPublicId(s, publicId);
  const st = inbox.settings;
  const now = s.clock.now();
  const bot = await botProbe(s, inbox.workspace_id, inbox.id, now);
  return {
    inboxId: inbox.public_id,
    name: inbox.name,
    color: st.color,
    greeting: st.greeting,
    offlineMessage: st.offlineMessage,
    preChat: st.preChat,
    online: await agentsOnline(s, inbox.workspace_id),
    withinBusinessHours: withinBusinessHours(st, now),
    // Out of hours or with nobody online, a shopper can still chat when the bot answers.
    bot: bot !== null,
    botGreeting: bot?.greeting ?? null,
  };
}

function checkOrigin(inbox: InboxRow, origin: string): void {
  if (!inbox.settings.allowAnyOrigin && !inbox.settings.allowedOrigins.includes(origin))
    throw new AppError(403, 'origin_not_allowed', `the widget of this inbox may not be embedded on ${origin}`);
}

function verifiedUserId(
  s: Services,
  inbox: InboxRow,
  identity: { userId: string; hash: string } | undefined,
): string | undefined {
  if (!identity) {
    if (inbox.settings.requireIdentity)
      throw new AppError(
        401,
        'identity_required',
        'this inbox accepts only shoppers whose identity the shop has signed',
      );
    return undefined;
  }
  const expected = createHmac('sha256', s.cipher.decrypt(inbox.identity_secret)).update(identity.userId).digest();
  const given = Buffer.from(identity.hash, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new AppError(401, 'identity_invalid', 'the identity hash does not match the user id');
  return identity.userId;
}

export async function startWidgetSession(s: Services, publicId: string, body: z.infer<typeof WidgetSessionBody>) {
  const inbox = await inboxByPublicId(s, publicId);
  checkOrigin(inbox, body.origin);
  const externalId = verifiedUserId(s, inbox, body.identity);
  const pre = body.preChat ?? {};
  const customer = await customerForVisitor(s, {
    workspaceId: inbox.workspace_id,
    visitorId: body.visitorId,
    externalId,
    pii: { name: pre.name, phone: pre.phone, email: pre.email },
  });
  // What agents see about the shopper (shopper-context.ts): the order they are asking about.
  if (pre.orderNo) await savePreChatOrderNo(s, inbox.workspace_id, customer.id, pre.orderNo);
  const conv = await conversationForCustomer(s, inbox.workspace_id, inbox.id, customer.id, false);
  const e = s.clock.now().getTime() + sessionTtlMs;
  const token = s.cipher.sign({ k: 'w', c: customer.id, w: inbox.workspace_id, i: inbox.id, e } satisfies WidgetClaims);
  // The agent who has the conversation, as shoppers know them: display name and avatar (the widget's header).
  const agentName = conv?.assignee_id ? await publicAgentName(s, conv.assignee_id) : null;
  return {
    token,
    customerId: customer.id,
    conversationId: conv?.id ?? null,
    // No display name: an empty name, and the widget says its own word for support.
    agent: conv?.assignee_id ? { name: agentName ?? '', avatar: agentAvatarPath(conv.assignee_id) } : null,
    expiresAt: new Date(e).toISOString(),
  };
}

/**
 * A message left while nobody could answer: stored in the shopper's conversation like any
 * message, and announced as `conversation.offline_message` (the tickets module turns it into a ticket).
 * The name and contact go to the customer's profile only (encrypted, shown masked to roles
 * without customers.pii), never into the message text, the inbox preview or the sender name.
 */
export async function leaveOfflineMessage(
  s: Services,
  publicId: string,
  claims: WidgetClaims | null,
  body: z.infer<typeof OfflineMessageBody>,
  ip: string,
) {
  const inbox = await inboxByPublicId(s, publicId);
  const contact = /@/.test(body.contact) ? { email: body.contact } : { phone: body.contact };
  const session = claims && claims.i === inbox.id ? claims : null;
  // Without a session, what a session would have checked: the page's origin (when the widget says
  // it) and the shopper's identity (an inbox that requires it accepts no anonymous message).
  if (!session && body.origin !== undefined) checkOrigin(inbox, body.origin);
  const externalId = session ? undefined : verifiedUserId(s, inbox, body.identity);
  // The contact left here is where the shopper wants the answer: it replaces an older one.
  const customerId = session
    ? (await customerByIdFill(s, inbox.workspace_id, session.c, { name: body.name, ...contact }, ['phone', 'email'])).id
    : (
        await customerForVisitor(s, {
          workspaceId: inbox.workspace_id,
          visitorId: `offline_${randomToken(12)}`,
          externalId,
          pii: { name: body.name, ...contact },
        })
      ).id;
  const conv = (await conversationForCustomer(s, inbox.workspace_id, inbox.id, customerId, true))!;
  const ack = await postMessage(
    s,
    { type: 'customer', id: customerId, name: null, workspaceId: inbox.workspace_id },
    conv.id,
    { clientId: `offline_${randomToken(9)}`, kind: 'text', body: body.body },
  );
  await publish({ ...s, ip }, 'conversation.offline_message', inbox.workspace_id, 'conversation', conv.id, {
    inboxId: inbox.id,
    customerId,
    messageId: ack.id,
    ...(body.callback ? { callback: true } : {}),
  });
  return { conversationId: conv.id, messageId: ack.id };
}
