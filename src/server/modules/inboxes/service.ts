/** Inboxes: a channel's settings (the web widget today): colour, greeting, pre-chat form, hours, origins. */
import { randomBytes } from 'node:crypto';
import {
  Inbox,
  InboxSettings,
  originsChosen,
  originsMessage,
  type InboxSettings as Settings,
} from '../../../shared/chat-api.ts';
import { publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { memoParse } from '../../lib/parse-memo.ts';
import { isBusinessTime, validateCalendar, type Calendar } from '../../lib/time/index.ts';
import type { Validation } from '../../lib/validation.ts';
import type { Executor } from '../../db/index.ts';
import { own, type InboxesTable } from './schema.ts';

export type InboxRow = Omit<InboxesTable, 'settings'> & { settings: Settings };

/** Parsed once per distinct settings text (lib/parse-memo.ts: the widget's session reads it per shopper). */
const parseSettings = memoParse((text) => InboxSettings.parse(JSON.parse(text)));
const parse = (r: InboxesTable): InboxRow => ({ ...r, settings: parseSettings(r.settings) });

export function embedSnippet(publicUrl: string, publicId: string): string {
  return `<script src="${publicUrl}/widget.js" data-inbox="${publicId}" async></script>`;
}

function toInbox(ctx: Ctx, r: InboxRow, publicUrl: string): Inbox {
  return {
    id: r.id,
    publicId: r.public_id,
    name: r.name,
    channel: 'web',
    settings: r.settings,
    ...(ctx.actor.permissions.includes('settings.manage')
      ? { identitySecret: ctx.cipher.decrypt(r.identity_secret) }
      : {}),
    embedSnippet: embedSnippet(publicUrl, r.public_id),
    createdAt: r.created_at,
  };
}

export async function listInboxes(ctx: Ctx, publicUrl: string): Promise<Inbox[]> {
  const rows = await own(ctx.db)
    .selectFrom('inboxes')
    .selectAll()
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => toInbox(ctx, parse(r), publicUrl));
}

/** The public id of a workspace's first inbox (the demo shop page embeds it), or null. */
export async function firstInboxPublicId(s: { db: Ctx['db'] }, workspaceId: string): Promise<string | null> {
  const r = await own(s.db)
    .selectFrom('inboxes')
    .select('public_id')
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  return r?.public_id ?? null;
}

async function getRow(ctx: Ctx, id: string): Promise<InboxRow> {
  const r = await own(ctx.db)
    .selectFrom('inboxes')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .executeTakeFirst();
  if (!r) throw notFound('inbox');
  return parse(r);
}

export async function getInbox(ctx: Ctx, id: string, publicUrl: string): Promise<Inbox> {
  return toInbox(ctx, await getRow(ctx, id), publicUrl);
}

const hoursChecked = new WeakMap<object, Validation<Calendar>>();
/**
 * An inbox's weekly hours as a calendar of the engine that reads them (no holidays: a shop decides
 * its own days off), checked once per settings object (the widget and the bot read them per request).
 */
function hoursCalendar(bh: NonNullable<Settings['businessHours']>): Validation<Calendar> {
  let v = hoursChecked.get(bh);
  if (!v) hoursChecked.set(bh, (v = validateCalendar({ ...bh, holidays: [], overrides: [] })));
  return v;
}

/**
 * The settings as they will be stored, their business hours checked: a zone the engine does not
 * know, or a week without any hours, would otherwise be saved and then fail every widget's config
 * request.
 */
function checkedSettings(input: unknown): Settings {
  const settings = InboxSettings.parse(input);
  const v = settings.businessHours && hoursCalendar(settings.businessHours);
  if (v && !v.ok)
    throw badRequest(`settings.businessHours: ${v.problems.join('; ')}`, {
      problems: v.problems.map((p) => `settings.businessHours.${p}`),
    });
  return settings;
}

export async function createInbox(
  ctx: Ctx,
  input: { name: string; settings?: Partial<Settings> },
  publicUrl: string,
): Promise<Inbox> {
  const now = ctx.clock.now().toISOString();
  const row: InboxesTable = {
    id: newId('inb'),
    workspace_id: ctx.actor.workspaceId,
    public_id: `wi_${randomBytes(12).toString('base64url')}`,
    name: input.name,
    channel: 'web',
    settings: JSON.stringify(checkedSettings(input.settings ?? {})),
    identity_secret: ctx.cipher.encrypt(randomBytes(32).toString('hex')),
    created_at: now,
    updated_at: now,
  };
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db).insertInto('inboxes').values(row).execute();
    await publish(ctx, 'inbox.created', row.workspace_id, 'inbox', row.id, { name: row.name });
  });
  return toInbox(ctx, parse(row), publicUrl);
}

export async function updateInbox(
  ctx: Ctx,
  id: string,
  patch: { name?: string; settings?: Partial<Settings> },
  publicUrl: string,
): Promise<Inbox> {
  const cur = await getRow(ctx, id);
  const settings = checkedSettings({ ...cur.settings, ...(patch.settings ?? {}) });
  if (!originsChosen(settings)) throw badRequest(originsMessage);
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db)
      .updateTable('inboxes')
      .set({
        name: patch.name ?? cur.name,
        settings: JSON.stringify(settings),
        updated_at: ctx.clock.now().toISOString(),
      })
      .where('id', '=', id)
      .execute();
    await publish(ctx, 'inbox.updated', cur.workspace_id, 'inbox', id, {
      fields: [...(patch.name ? ['name'] : []), ...Object.keys(patch.settings ?? {})],
    });
  });
  return getInbox(ctx, id, publicUrl);
}

/** For the widget's public endpoints: the inbox behind a public id. */
export async function inboxByPublicId(s: Services, publicId: string): Promise<InboxRow> {
  const r = await own(s.db).selectFrom('inboxes').selectAll().where('public_id', '=', publicId).executeTakeFirst();
  if (!r) throw notFound('inbox');
  return parse(r);
}

/** An inbox by id within a workspace (the bot reads its business hours), or null. */
export async function inboxById(s: Pick<Services, 'db'>, workspaceId: string, id: string): Promise<InboxRow | null> {
  const r = await own(s.db)
    .selectFrom('inboxes')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return r ? parse(r) : null;
}

/**
 * Whether `now` falls in the inbox's weekly hours, in its zone: the same calendar engine as SLA
 * clocks (half-open intervals), without holidays (a shop decides its own days off).
 */
export function withinBusinessHours(settings: Settings, now: Date): boolean {
  if (!settings.businessHours) return true;
  const v = hoursCalendar(settings.businessHours);
  // Hours stored before they were checked on save (an empty week, an unknown zone): always open,
  // rather than a widget whose every config request fails.
  return v.ok ? isBusinessTime(v.value, now) : true;
}

/** Every inbox's name in a workspace, by id (the war room and other lists show names, not ids). */
export async function inboxNames(s: { db: Executor }, workspaceId: string): Promise<Map<string, string>> {
  const rows = await own(s.db)
    .selectFrom('inboxes')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
