/** The console's view of the bot: the "try it" box and the unanswered questions, grouped. */
import type { Ctx } from '../../context.ts';
import { unansweredOutcomes } from './corrections.ts';
import { refinerFor } from './assist.ts';
import { detectIntent } from './engine/intents.ts';
import { longestCommonSubstring } from './engine/learn.ts';
import { normalize } from './engine/text.ts';
import { entryFilter, indexFor } from './knowledge-index.ts';
import { workspaceTimeZone } from '../workspaces/index.ts';
import { own } from './schema.ts';

/** What the bot would answer to `text` now on `channel`, with its confidence and the runners-up. */
export async function tryIt(ctx: Ctx, text: string, channel: string) {
  const idx = await indexFor(ctx, ctx.actor.workspaceId);
  const now = ctx.clock.now();
  const allow = entryFilter(now, channel, await workspaceTimeZone(ctx, ctx.actor.workspaceId));
  const found = idx.matcher.search(text, { k: 5, allow: (e) => allow(idx.entries.get(e.id)) });
  // The dense stream and the LLM, as in conversations (the LLM sees the text masked).
  const refined = found.candidates.length
    ? await refinerFor(ctx, ctx.actor.workspaceId, idx, allow)(text, found)
    : { ranked: found, answer: null, by: [] as string[] };
  const r = refined.ranked;
  const { intent, orderNo } = detectIntent(text);
  const top = r.candidates[0];
  return {
    intent,
    orderNo,
    band: r.band,
    confidence: Math.round(r.confidence * 1000) / 1000,
    threshold: Math.round(idx.matcher.calibration.answerAt * 1000) / 1000,
    answer: top && r.band === 'answer' ? (refined.answer ?? idx.entries.get(top.id)?.answer ?? null) : null,
    /** What re-ranked the engine's result ('dense', 'llm'); empty when neither changed it. */
    refinedBy: refined.by,
    candidates: r.candidates.map((c) => ({
      id: c.id,
      question: c.question,
      category: idx.entries.get(c.id)?.category ?? '',
      score: Math.round(c.score * 1000) / 1000,
    })),
    entries: idx.entries.size,
    /** Shoppers' rated answers the bot learned from at its last build. */
    learnedFrom: idx.feedback,
  };
}

/**
 * Questions the bot did not answer (suggested, missed, handed off; not yet linked to an entry by an
 * agent) in the last 30 days, grouped
 * by similarity (greedy: a question joins the first group whose sample shares half its characters
 * in one run), biggest groups first.
 */
export async function unanswered(ctx: Ctx) {
  const since = new Date(ctx.clock.now().getTime() - 30 * 86_400_000).toISOString();
  const rows = await own(ctx.db)
    .selectFrom('bot_turns')
    .select(['message_id', 'query', 'outcome', 'created_at'])
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .where('outcome', 'in', [...unansweredOutcomes])
    .where('corrected_entry_id', 'is', null)
    .where('created_at', '>=', since)
    .orderBy('created_at', 'desc')
    .limit(2000)
    .execute();
  const groups: {
    sample: string;
    key: string;
    count: number;
    queries: string[];
    /** The group's shopper messages (for linking the group to an entry), newest first, at most 200. */
    messageIds: string[];
    lastAt: string;
  }[] = [];
  for (const r of rows) {
    const key = normalize(r.query);
    if (!key || detectIntent(r.query).intent === 'handoff') continue;
    const g = groups.find(
      (x) => longestCommonSubstring(x.key, key) >= Math.max(2, Math.ceil(Math.min(x.key.length, key.length) / 2)),
    );
    if (g) {
      g.count++;
      if (g.queries.length < 10 && !g.queries.includes(r.query)) g.queries.push(r.query);
      if (g.messageIds.length < 200) g.messageIds.push(r.message_id);
    } else
      groups.push({
        sample: r.query,
        key,
        count: 1,
        queries: [r.query],
        messageIds: [r.message_id],
        lastAt: r.created_at,
      });
  }
  return {
    items: groups
      .sort((a, b) => b.count - a.count)
      .slice(0, 100)
      .map(({ key: _k, ...g }) => g),
  };
}
