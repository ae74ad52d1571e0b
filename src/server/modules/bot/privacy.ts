/** For the privacy module: a shopper's questions to the bot (and a pending lookup) emptied by an erasure. */
import type { Services } from '../../context.ts';
import { own } from './schema.ts';

/** Empties the bot's record of what was asked in these conversations (the caller's unit of work); returns how many turns. */
export async function eraseBotTurns(
  s: Pick<Services, 'db'>,
  workspaceId: string,
  conversationIds: readonly string[],
): Promise<number> {
  if (!conversationIds.length) return 0;
  const r = await own(s.db)
    .updateTable('bot_turns')
    .set({ query: '' })
    .where('workspace_id', '=', workspaceId)
    .where('conversation_id', 'in', [...conversationIds])
    .executeTakeFirst();
  await own(s.db)
    .updateTable('bot_sessions')
    .set({ pending: null })
    .where('workspace_id', '=', workspaceId)
    .where('conversation_id', 'in', [...conversationIds])
    .execute();
  return Number(r.numUpdatedRows);
}
