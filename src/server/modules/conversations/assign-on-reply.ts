import { afterCommit, publish, unitOfWork, type Actor, type Services } from '../../context.ts';
import { chatChannel, type ChatBusMessage } from './chat-bus.ts';
import { own } from './schema.ts';
import type { PendingMessage } from './writer.ts';

/** The agent who wrote a message, as the actor of what it causes: the audit entry names them (only the reference fields of an actor are read). */
export const senderActor = (pm: PendingMessage, agentId: string): Actor => ({
  type: 'user',
  userId: agentId,
  name: pm.senderName ?? '',
  workspaceId: pm.workspaceId,
  email: '',
  role: 'agent',
  installationOwner: false,
  permissions: [],
});

/**
 * An agent who answers an unassigned conversation takes it (config `assignOnReply`, on by default),
 * so the team sees who is on it; notes do not count. Only when still unassigned: a race with
 * another agent's assignment keeps theirs.
 */
export async function takeOnReply(s: Services, pm: PendingMessage): Promise<void> {
  const agentId = pm.senderId;
  if (!agentId) return;
  await unitOfWork({ ...s, actor: senderActor(pm, agentId) }, async (ctx) => {
    const r = await own(ctx.db)
      .updateTable('conversations')
      .set({ assignee_id: agentId })
      .where('id', '=', pm.conversationId)
      .where('workspace_id', '=', pm.workspaceId)
      .where('assignee_id', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return;
    await publish(ctx, 'conversation.updated', pm.workspaceId, 'conversation', pm.conversationId, {
      assignee: { from: null, to: agentId },
    });
    await afterCommit(ctx, () =>
      ctx.bus.publish(chatChannel, { k: 'conv', ws: pm.workspaceId, id: pm.conversationId } satisfies ChatBusMessage),
    );
  });
}
