/**
 * The learning loop's inputs: shoppers' "useful / not useful" on bot answers (over the widget
 * token), and the labelled examples an index build learns from — rated answers (useful: the
 * question belongs to the entry; not useful: the bot should not have answered it) and agents'
 * corrections (`corrections.ts`: an unanswered question tied to the entry that answers it).
 */
import type { Services } from '../../context.ts';
import { publish } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { isCustomersConversation, verifyWidgetToken } from '../conversations/index.ts';
import type { Example } from './engine/matcher.ts';
import { own } from './schema.ts';

/** Ratings older than this no longer train the bot (the knowledge base has moved on). */
const feedbackDays = 180;
/** The most recent rated answers one index build learns from. */
const feedbackLimit = 5000;

/** Records a shopper's rating of a bot answer in their own conversation; re-rating replaces it. */
export async function rateAnswer(
  s: Services,
  widgetToken: string | undefined,
  body: { messageId: string; useful: boolean },
): Promise<{ ok: true; rating: 1 | -1 }> {
  const c = widgetToken ? await verifyWidgetToken(s, widgetToken) : null;
  if (!c) throw new AppError(401, 'invalid_widget_token', 'the widget session is invalid or expired');
  const turn = await own(s.db)
    .selectFrom('bot_turns')
    .select(['message_id', 'conversation_id', 'entry_id', 'rating'])
    .where('workspace_id', '=', c.w)
    .where('reply_id', '=', body.messageId)
    // A pending turn with an entry is an answer whose reply is out while its turn finishes.
    .where('outcome', 'in', ['answered', 'pending'])
    .executeTakeFirst();
  // Another shopper's answer looks exactly like one that does not exist.
  if (!turn || !turn.entry_id || !(await isCustomersConversation(s, c.w, c.c, turn.conversation_id)))
    throw new AppError(404, 'not_found', 'no bot answer with this id in your conversations');
  const rating = body.useful ? 1 : -1;
  await own(s.db).updateTable('bot_turns').set({ rating }).where('message_id', '=', turn.message_id).execute();
  if (turn.rating !== rating)
    await publish(s, 'bot.rated', c.w, 'conversation', turn.conversation_id, {
      entryId: turn.entry_id,
      useful: body.useful,
    });
  return { ok: true, rating };
}

/**
 * The workspace's training examples, newest first: agents' corrections, then rated answers (each
 * source its newest `feedbackLimit`; erased questions left out).
 */
export async function feedbackExamples(s: Pick<Services, 'db' | 'clock'>, workspaceId: string): Promise<Example[]> {
  const since = new Date(s.clock.now().getTime() - feedbackDays * 86_400_000).toISOString();
  const corrected = await own(s.db)
    .selectFrom('bot_turns')
    .select(['query', 'corrected_entry_id'])
    .where('workspace_id', '=', workspaceId)
    .where('corrected_entry_id', 'is not', null)
    .where('corrected_at', '>=', since)
    .orderBy('corrected_at', 'desc')
    .limit(feedbackLimit)
    .execute();
  const rows = await own(s.db)
    .selectFrom('bot_turns')
    .select(['query', 'entry_id', 'rating'])
    .where('workspace_id', '=', workspaceId)
    .where('rating', 'is not', null)
    .where('entry_id', 'is not', null)
    .where('created_at', '>=', since)
    .orderBy('created_at', 'desc')
    .limit(feedbackLimit)
    .execute();
  return [
    ...corrected.map((r) => ({ query: r.query, label: r.corrected_entry_id ?? null })),
    ...rows.map((r) => ({ query: r.query, label: r.rating! > 0 ? r.entry_id : null })),
  ].filter((x) => x.query.trim());
}
