/** The bot's settings per inbox (on/off, when it answers, its scripts per language). */
import { BotSettings, defaultBotSettings } from '../../../shared/bot-api.ts';
import type { BotGreeting } from '../../../shared/chat-api.ts';
import { moduleState, publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { notFound } from '../../lib/errors.ts';
import { inboxById, withinBusinessHours } from '../inboxes/index.ts';
import { anyonePresentSince } from '../users/index.ts';
import { surgeOn } from './surge.ts';
import { own } from './schema.ts';

/** The stored settings, or null when the inbox has none (the bot is off there). */
export async function storedSettings(
  s: { db: Executor },
  workspaceId: string,
  inboxId: string,
): Promise<BotSettings | null> {
  const r = await own(s.db)
    .selectFrom('bot_settings')
    .select('settings')
    .where('inbox_id', '=', inboxId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!r) return null;
  const parsed = BotSettings.safeParse(JSON.parse(r.settings));
  return parsed.success ? parsed.data : defaultBotSettings();
}

export async function getBotSettings(ctx: Ctx, inboxId: string): Promise<BotSettings & { stored: boolean }> {
  if (!(await inboxById(ctx, ctx.actor.workspaceId, inboxId))) throw notFound('inbox');
  const stored = await storedSettings(ctx, ctx.actor.workspaceId, inboxId);
  return stored ? { ...stored, stored: true } : { ...defaultBotSettings(), enabled: false, stored: false };
}

export async function saveBotSettings(ctx: Ctx, inboxId: string, input: BotSettings) {
  const ws = ctx.actor.workspaceId;
  if (!(await inboxById(ctx, ws, inboxId))) throw notFound('inbox');
  const now = ctx.clock.now().toISOString();
  await unitOfWork(ctx, async (ctx) => {
    const db = own(ctx.db);
    const settings = JSON.stringify(input);
    const r = await db
      .updateTable('bot_settings')
      .set({ settings, updated_at: now })
      .where('inbox_id', '=', inboxId)
      .where('workspace_id', '=', ws)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0)
      await db
        .insertInto('bot_settings')
        .values({ inbox_id: inboxId, workspace_id: ws, settings, updated_at: now })
        .execute();
    await publish(ctx, 'bot.settings_saved', ws, 'inbox', inboxId, { enabled: input.enabled, mode: input.mode });
  });
  forgetUsesBot(ctx, ws); // this node at once; others when the event reaches them
  return getBotSettings(ctx, inboxId);
}

/**
 * Whether any inbox of the workspace has bot settings: the cheap first check on every shopper
 * message (remembered for 30 s per workspace, forgotten at once when settings are saved anywhere),
 * so workspaces that do not use the bot cost no query per message.
 */
const usesBot = (s: Pick<Services, 'state'>) =>
  moduleState(s, 'bot.uses', () => new Map<string, { any: boolean; at: number }>());

export async function workspaceUsesBot(s: Pick<Services, 'state' | 'db'>, workspaceId: string): Promise<boolean> {
  const cache = usesBot(s);
  const hit = cache.get(workspaceId);
  if (hit && Date.now() - hit.at < 30_000) return hit.any;
  const r = await own(s.db)
    .selectFrom('bot_settings')
    .select('inbox_id')
    .where('workspace_id', '=', workspaceId)
    .limit(1)
    .executeTakeFirst();
  if (cache.size > 10_000) cache.clear();
  cache.set(workspaceId, { any: !!r, at: Date.now() });
  return !!r;
}

/**
 * False only when the cache knows (fresh) that the workspace has no bot settings: the chat bus
 * consumer's check for every message, without a promise. At thousands of messages a second in a
 * workspace without the bot, the asynchronous path cost ~1.3 KB of allocation per message, much
 * of it surviving a young-generation collection (docs/PERFORMANCE.md).
 */
export function mayUseBot(s: Pick<Services, 'state'>, workspaceId: string): boolean {
  const hit = usesBot(s).get(workspaceId);
  return !hit || hit.any || Date.now() - hit.at >= 30_000;
}

export const forgetUsesBot = (s: Pick<Services, 'state'>, workspaceId: string) => usesBot(s).delete(workspaceId);

/**
 * Whether the bot answers a new shopper message in this inbox first, now: it is on, and its mode
 * says so (bot first always; outside business hours only then; agents first only while no agent
 * has been present for two minutes), or surge mode is on. Otherwise it stays silent and people
 * (routing) take the conversation at once.
 */
export async function botGoesFirst(
  s: { db: Executor },
  workspaceId: string,
  inboxId: string,
  settings: BotSettings,
  now: Date,
): Promise<boolean> {
  if (!settings.enabled) return false;
  if (settings.mode === 'bot_first' || (await surgeOn(s, workspaceId))) return true;
  if (settings.mode === 'outside_hours') return outsideHours(s, workspaceId, inboxId, now);
  return !(await anyonePresentSince(s, workspaceId, new Date(now.getTime() - 120_000)));
}

/** Whether the inbox is outside its business hours now (an inbox without hours is always open). */
export async function outsideHours(s: { db: Executor }, workspaceId: string, inboxId: string, now: Date) {
  const inbox = await inboxById(s, workspaceId, inboxId);
  return !(inbox && withinBusinessHours(inbox.settings, now));
}

/**
 * For the widget: when the bot answers a new message in this inbox now, its greeting script per
 * language (the chat opens with it instead of the inbox's greeting); otherwise null.
 */
export async function botInWidget(
  s: { db: Executor },
  workspaceId: string,
  inboxId: string,
  now: Date,
): Promise<{ greeting: BotGreeting } | null> {
  const settings = await storedSettings(s, workspaceId, inboxId);
  if (!settings || !(await botGoesFirst(s, workspaceId, inboxId, settings, now))) return null;
  return { greeting: { 'zh-CN': settings.scripts['zh-CN'].greeting, en: settings.scripts.en.greeting } };
}

/** Whether the bot takes a new conversation in this inbox first (routing queues it at its hand-off instead). */
export async function botAnswersIn(
  s: { db: Executor },
  workspaceId: string,
  inboxId: string,
  now: Date,
): Promise<boolean> {
  return (await botInWidget(s, workspaceId, inboxId, now)) !== null;
}
