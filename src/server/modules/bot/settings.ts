/** The bot's settings per inbox (on/off, when it answers, its scripts per language). */
import { BotSettings, defaultBotSettings } from '../../../shared/bot-api.ts';
import { publish, unitOfWork, type Ctx } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { notFound } from '../../lib/errors.ts';
import { inboxById } from '../inboxes/index.ts';
import { own } from './schema.ts';

/** The stored settings, or null when the inbox has none (the bot then answers once the knowledge base has entries). */
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
  return { ...(stored ?? defaultBotSettings()), stored: !!stored };
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
  return getBotSettings(ctx, inboxId);
}
