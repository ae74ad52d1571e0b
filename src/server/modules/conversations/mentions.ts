/**
 * @mentions in agents' notes (issue 16): the console's picker inserts "@name" (the display name,
 * else the account name; the account name typed by hand counts too); after the note is durable, the people it names are announced as
 * `conversation.mentioned` (ids only), which the notifications module turns into a notification
 * and a Web Push for each of them. The author is never told about themselves.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { publish, unitOfWork, type Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { mentionableMembers } from '../users/index.ts';
import { senderActor } from './assign-on-reply.ts';
import type { PendingMessage } from './writer.ts';

/**
 * The people `body` names as "@name". A longer name wins where one name starts another ("@林" and
 * "@林小雨"); the name must end at the text's end, a space or punctuation, or run into Chinese text
 * (Chinese has no spaces: "@林小雨请看一下").
 */
export function mentionedIn(body: string, people: { id: string; name: string }[]): string[] {
  const found = new Set<string>();
  const byLength = [...people].filter((p) => p.name.trim()).sort((a, b) => b.name.length - a.name.length);
  for (let i = body.indexOf('@'); i >= 0; i = body.indexOf('@', i + 1)) {
    const rest = body.slice(i + 1);
    const p = byLength.find((x) => {
      if (!rest.startsWith(x.name)) return false;
      const next = rest.charAt(x.name.length);
      return !next || !/[\p{L}\p{N}_-]/u.test(next) || /\p{Script=Han}/u.test(next);
    });
    if (p) found.add(p.id);
  }
  return [...found];
}

/** After an agent's note is durable: announce the people it mentions (other than its author). */
export async function announceMentions(s: Services, pm: PendingMessage, messageId: string): Promise<void> {
  const authorId = pm.senderId;
  if (!authorId || !pm.body.includes('@')) return;
  // By the display name the picker inserts, or by the account name typed by hand.
  const people = (await mentionableMembers(s, pm.workspaceId)).flatMap((p) => [p, { id: p.id, name: p.accountName }]);
  const userIds = mentionedIn(pm.body, people).filter((id) => id !== authorId);
  if (!userIds.length) return;
  await unitOfWork({ ...s, actor: senderActor(pm, authorId) }, async (ctx) =>
    publish(ctx, 'conversation.mentioned', pm.workspaceId, 'conversation', pm.conversationId, { messageId, userIds }),
  );
}

export function mentionRoutes(app: FastifyInstance, s: Services): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/mentionable-users',
    {
      config: { permission: 'conversations.read' },
      schema: {
        tags: ['conversations'],
        summary: 'people a note can @mention: id and the name colleagues know them by',
        response: {
          200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), accountName: z.string() })) }),
        },
      },
    },
    async (req) => ({ items: await mentionableMembers(s, ctxOf(s, req).actor.workspaceId) }),
  );
}
