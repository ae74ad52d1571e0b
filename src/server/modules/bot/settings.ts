/** The bot's settings per inbox (on/off, when it answers, its scripts per language). */
import { BotSettings, defaultBotSettings } from '../../../shared/bot-api.ts';
import { moduleState, publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { notFound } from '../../lib/errors.ts';
import { inboxById } from '../inboxes/index.ts';
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

export const forgetUsesBot = (s: Pick<Services, 'state'>, workspaceId: string) => usesBot(s).delete(workspaceId);

/** Whether an admin turned the bot on in this inbox: it answers first there and hands off to people. */
export async function botAnswersIn(s: { db: Executor }, workspaceId: string, inboxId: string): Promise<boolean> {
  return (await storedSettings(s, workspaceId, inboxId))?.enabled ?? false;
}
