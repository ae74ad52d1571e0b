/** The survey: one for the workspace (`*`) and optionally one per inbox that replaces it. */
import { CsatSettings, csatScopeAll } from '../../../shared/csat-api.ts';
import { publish, unitOfWork, type Ctx } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { notFound } from '../../lib/errors.ts';
import { inboxById } from '../inboxes/index.ts';
import { own } from './schema.ts';

type Db = { db: Executor };
export const defaultSettings: CsatSettings = CsatSettings.parse({});

export type AllSettings = { base: CsatSettings; byInbox: Record<string, CsatSettings> };

const parse = (d: string) => CsatSettings.parse(JSON.parse(d));

export async function allSettings(s: Db, workspaceId: string): Promise<AllSettings> {
  const rows = await own(s.db)
    .selectFrom('csat_settings')
    .select(['inbox_id', 'definition'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  const base = rows.find((r) => r.inbox_id === csatScopeAll);
  return {
    base: base ? parse(base.definition) : defaultSettings,
    byInbox: Object.fromEntries(
      rows.filter((r) => r.inbox_id !== csatScopeAll).map((r) => [r.inbox_id, parse(r.definition)]),
    ),
  };
}

/** The survey that applies to an inbox's conversations (the inbox's own, else the workspace's). */
export async function settingsFor(s: Db, workspaceId: string, inboxId: string | null): Promise<CsatSettings> {
  const all = await allSettings(s, workspaceId);
  return (inboxId && all.byInbox[inboxId]) || all.base;
}

export async function saveSettings(ctx: Ctx, inboxId: string, settings: CsatSettings): Promise<CsatSettings> {
  const ws = ctx.actor.workspaceId;
  if (inboxId !== csatScopeAll && !(await inboxById(ctx, ws, inboxId))) throw notFound('inbox');
  const now = ctx.clock.now().toISOString();
  const definition = JSON.stringify(settings);
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db)
      .insertInto('csat_settings')
      .values({ workspace_id: ws, inbox_id: inboxId, definition, updated_at: now })
      .onConflict((oc) => oc.columns(['workspace_id', 'inbox_id']).doUpdateSet({ definition, updated_at: now }))
      .execute();
    await publish(ctx, 'csat.settings_saved', ws, 'csat_settings', inboxId, {
      inboxId,
      enabled: settings.enabled,
      scale: settings.scale,
    });
  });
  return settings;
}
