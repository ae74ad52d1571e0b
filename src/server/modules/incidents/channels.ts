/** A workspace's notification channels: config validated by the notifier, stored encrypted, secrets never returned. */
import { z } from 'zod';
import { publish, unitOfWork, type Ctx } from '../../context.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { problemsOf } from '../../lib/validation.ts';
import { refusedUrl } from '../../lib/outbound.ts';
import { workspaceLanguage } from '../workspaces/index.ts';
import { incidentWords } from './messages.ts';
import { allowListOf, endpointUrls } from './notifiers/endpoint.ts';
import { notifierKinds, notifiers, type NotifierKind } from './notifiers/index.ts';
import { baseUrl, sendContext } from './notify.ts';
import { own, type IncidentChannelsTable } from './schema.ts';

export const ChannelBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(notifierKinds),
  config: z.record(z.string(), z.unknown()),
  enabled: z.boolean().default(true),
});

function view(s: Pick<Ctx, 'cipher'>, r: IncidentChannelsTable) {
  const n = notifiers[r.kind as NotifierKind];
  const config = JSON.parse(s.cipher.decrypt(r.config)) as Record<string, unknown>;
  for (const k of n.secrets) if (config[k] !== undefined) config[k] = '••••••';
  return { id: r.id, name: r.name, kind: r.kind, enabled: r.enabled === 1, config };
}

export async function listChannels(ctx: Ctx) {
  const rows = await own(ctx.db)
    .selectFrom('incident_channels')
    .selectAll()
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .orderBy('name')
    .execute();
  return rows.map((r) => view(ctx, r));
}

/** Creates or replaces a channel. A secret sent back masked keeps the stored one. */
export async function saveChannel(ctx: Ctx, id: string | null, input: z.output<typeof ChannelBody>) {
  const ws = ctx.actor.workspaceId;
  const db = own(ctx.db);
  const existing = id
    ? await db
        .selectFrom('incident_channels')
        .selectAll()
        .where('id', '=', id)
        .where('workspace_id', '=', ws)
        .executeTakeFirst()
    : undefined;
  if (id && !existing) throw notFound('channel');
  const n = notifiers[input.kind];
  const raw = { ...input.config };
  if (existing && existing.kind === input.kind) {
    const stored = JSON.parse(ctx.cipher.decrypt(existing.config)) as Record<string, unknown>;
    for (const k of n.secrets) if (raw[k] === '••••••') raw[k] = stored[k];
  }
  const parsed = n.config.safeParse(raw);
  if (!parsed.success) throw badRequest(`invalid ${input.kind} settings: ${problemsOf(parsed.error).join('; ')}`);
  for (const url of endpointUrls(parsed.data as Record<string, unknown>)) {
    const refused = refusedUrl(url, allowListOf(ctx.config));
    if (refused) throw refused;
  }
  const now = ctx.clock.now().toISOString();
  const channelId = id ?? newId('ich');
  const row = {
    name: input.name,
    kind: input.kind,
    config: ctx.cipher.encrypt(JSON.stringify(parsed.data)),
    enabled: input.enabled ? 1 : 0,
    updated_at: now,
  };
  await unitOfWork(ctx, async (ctx) => {
    if (existing) await own(ctx.db).updateTable('incident_channels').set(row).where('id', '=', channelId).execute();
    else
      await own(ctx.db)
        .insertInto('incident_channels')
        .values({ id: channelId, workspace_id: ws, created_at: now, ...row })
        .execute();
    await publish(ctx, 'incident_channel.saved', ws, 'incident_channel', channelId, {
      name: input.name,
      kind: input.kind,
      enabled: input.enabled,
    });
  });
  return (await listChannels(ctx)).find((c) => c.id === channelId)!;
}

/**
 * Sends a test message through one channel now (not queued, no retries, nothing on any timeline)
 * and says whether the endpoint took it: the editor's "send test" button.
 */
export async function testChannel(ctx: Ctx, id: string): Promise<{ ok: boolean; error: string | null }> {
  const row = await own(ctx.db)
    .selectFrom('incident_channels')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .executeTakeFirst();
  if (!row) throw notFound('channel');
  const n = notifiers[row.kind as NotifierKind];
  const url = `${baseUrl(ctx)}/ops/incidents`;
  const lang = await workspaceLanguage(ctx, ctx.actor.workspaceId);
  const w = incidentWords[lang];
  try {
    await n.send(
      n.config.parse(JSON.parse(ctx.cipher.decrypt(row.config))),
      {
        lang,
        title: w.testTitle(row.name),
        markdown: `**${w.testTitle(row.name)}**\n- ${w.testBody(ctx.actor.name)}`,
        text: `${w.testTitle(row.name)}\n${w.testBody(ctx.actor.name)}`,
        ackUrl: null,
        incidentUrl: url,
        severity: 'P3',
        linkLabel: w.openList,
      },
      sendContext(ctx),
    );
    return { ok: true, error: null };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { ok: false, error: `${e.name === 'TimeoutError' ? 'timed out: ' : ''}${e.message}` };
  }
}
