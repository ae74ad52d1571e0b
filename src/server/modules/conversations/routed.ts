import { afterCommit, publish, type Services } from '../../context.ts';
import { chatChannel, type ChatBusMessage } from './chat-bus.ts';
import { own } from './schema.ts';

/**
 * Routing sets (or clears) a conversation's assignee inside its own unit of work (the caller's
 * transaction), so the queue and the conversation never disagree. Returns false when the
 * conversation does not exist (routing also routes work it was handed directly, e.g. the benchmark).
 */
export async function setRoutedAssignee(
  s: Services,
  workspaceId: string,
  id: string,
  agentId: string | null,
): Promise<boolean> {
  const db = own(s.db);
  const cur = await db
    .selectFrom('conversations')
    .select('assignee_id')
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!cur) return false;
  if (cur.assignee_id === agentId) return true;
  await db
    .updateTable('conversations')
    .set({ assignee_id: agentId, updated_at: s.clock.now().toISOString() })
    .where('id', '=', id)
    .execute();
  await publish(s, 'conversation.updated', workspaceId, 'conversation', id, {
    assignee: { from: cur.assignee_id, to: agentId },
  });
  await afterCommit(s, () => s.bus.publish(chatChannel, { k: 'conv', ws: workspaceId, id } satisfies ChatBusMessage));
  return true;
}
