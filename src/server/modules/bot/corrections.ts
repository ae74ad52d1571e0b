/**
 * Agents' corrections as training. When the bot did not answer a question (suggested, missed,
 * handed off) and an agent then ties it to the knowledge entry that answers it, that
 * (question → entry) pair is a labelled example the next index build learns from, like a
 * shopper's "useful" rating (`feedbackExamples` in `ratings.ts`). Two ways in:
 * - **link**: from the console's unanswered-questions list (`POST /api/bot/unanswered/link`);
 * - **agent reply**: an agent answers in a handed-off conversation with an entry's answer (pasted
 *   from the knowledge base): the conversation's last unanswered question is tied to that entry.
 */
import type { Message } from '../../../shared/realtime/protocol.ts';
import type { Entry } from '../../../shared/knowledge-api.ts';
import { publish, type Ctx, type Services } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { detectIntent } from './engine/intents.ts';
import { normalize } from './engine/text.ts';
import { indexFor } from './knowledge-index.ts';
import { own } from './schema.ts';

/** The bot's outcomes that leave a question unanswered (what an agent may correct). */
export const unansweredOutcomes = ['suggested', 'missed', 'handed_off'] as const;
/** An agent's reply ties to the conversation's unanswered question of at most this long ago. */
const replyWindowMs = 24 * 3_600_000;
/** Shorter answers are too generic ("好的", "OK") to say which entry an agent meant. */
const minAnswerChars = 8;

/** Links unanswered questions (their shopper message ids) to the entry that answers them. */
export async function linkUnanswered(
  ctx: Ctx,
  body: { messageIds: string[]; entryId: string },
): Promise<{ linked: number }> {
  const ws = ctx.actor.workspaceId;
  const idx = await indexFor(ctx, ws);
  if (!idx.entries.has(body.entryId)) throw new AppError(404, 'not_found', 'no knowledge entry with this id');
  const r = await own(ctx.db)
    .updateTable('bot_turns')
    .set({
      corrected_entry_id: body.entryId,
      corrected_by: ctx.actor.userId,
      correction: 'link',
      corrected_at: ctx.clock.now().toISOString(),
    })
    .where('workspace_id', '=', ws)
    .where('message_id', 'in', [...new Set(body.messageIds)])
    .where('outcome', 'in', [...unansweredOutcomes])
    .executeTakeFirst();
  const linked = Number(r.numUpdatedRows);
  if (!linked) throw new AppError(404, 'not_found', 'none of these is an unanswered question of this workspace');
  await publish(ctx, 'bot.corrected', ws, 'knowledge_entry', body.entryId, { count: linked, via: 'link' });
  return { linked };
}

/** Plain text of an answer (quick-reply tokens, markup, links' targets and spaces dropped), normalised. */
export function plainAnswer(text: string): string {
  return text
    .slice(0, 12_000)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\[\[[^\]]*\]\]/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[*_`#>\s]/g, '');
}

/**
 * The entry whose answer an agent's reply gives: the reply contains the entry's whole answer, or
 * (an agent who trimmed it) is a long enough part of it. The longest such answer wins.
 */
export function entryAnsweredBy(reply: string, entries: Iterable<Entry>): string | null {
  const r = plainAnswer(reply);
  if (r.length < minAnswerChars) return null;
  let best: { id: string; len: number } | null = null;
  for (const e of entries) {
    const a = plainAnswer(e.answer);
    if (a.length < minAnswerChars) continue;
    if ((r.includes(a) || a.includes(r)) && (!best || a.length > best.len)) best = { id: e.id, len: a.length };
  }
  return best?.id ?? null;
}

/**
 * An agent's text message: in a conversation the bot handed off, when it gives a knowledge entry's
 * answer, the conversation's last unanswered question (not a request for a person or a complaint,
 * not corrected yet) is tied to that entry. Never throws (a correction is worth less than a reply).
 */
export async function onAgentMessage(s: Services, ws: string, m: Message): Promise<void> {
  try {
    const session = await own(s.db)
      .selectFrom('bot_sessions')
      .select('state')
      .where('conversation_id', '=', m.conv)
      .where('workspace_id', '=', ws)
      .executeTakeFirst();
    if (session?.state !== 'handed_off') return;
    const since = new Date(s.clock.now().getTime() - replyWindowMs).toISOString();
    const turns = await own(s.db)
      .selectFrom('bot_turns')
      .select(['message_id', 'query', 'corrected_entry_id'])
      .where('workspace_id', '=', ws)
      .where('conversation_id', '=', m.conv)
      .where('outcome', 'in', [...unansweredOutcomes])
      .where('created_at', '>=', since)
      .orderBy('created_at', 'desc')
      .limit(5)
      .execute();
    const turn = turns.find((t) => {
      const intent = detectIntent(t.query).intent;
      return intent !== 'handoff' && intent !== 'complaint' && normalize(t.query).length > 0;
    });
    if (!turn || turn.corrected_entry_id) return;
    const idx = await indexFor(s, ws);
    const entryId = entryAnsweredBy(m.body, idx.entries.values());
    if (!entryId) return;
    const r = await own(s.db)
      .updateTable('bot_turns')
      .set({
        corrected_entry_id: entryId,
        corrected_by: m.sender.id,
        correction: 'agent_reply',
        corrected_at: s.clock.now().toISOString(),
      })
      .where('message_id', '=', turn.message_id)
      .where('corrected_entry_id', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows))
      await publish(s, 'bot.corrected', ws, 'knowledge_entry', entryId, { count: 1, via: 'agent_reply' });
  } catch (err) {
    s.log.warn({ err, conversationId: m.conv }, "could not record an agent's reply as a bot correction");
  }
}
