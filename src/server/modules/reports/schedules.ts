/**
 * The report schedules (`report_schedules`): per workspace and report type, whether it runs, its
 * time in the workspace's zone, its e-mail recipients and its notification channels. A type
 * without a row runs at 08:00 and mails the workspace's owners and admins (read at each tick, so a
 * new admin gets the next report) and posts to every enabled channel; saving a type stores a row.
 */
import type { ReportSchedule, ReportScheduleInput, ReportSchedules } from '../../../shared/reports-api.ts';
import { publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import { badRequest } from '../../lib/errors.ts';
import { reportTypes, type ReportType } from './periods.ts';
import { across, own } from './schema.ts';

export const defaultLocalTime = '08:00';

/** The e-mail of the workspace's enabled owners and admins: the recipients of a schedule never edited. */
async function managerEmails(s: Pick<Services, 'db'>, workspaceId: string): Promise<string[]> {
  const rows = await across(s.db)
    .selectFrom('users')
    .select('email')
    .where('workspace_id', '=', workspaceId)
    .where('role', 'in', ['owner', 'admin'])
    .where('disabled', '=', 0)
    .orderBy('email')
    .execute();
  return rows.map((r) => r.email);
}

export async function schedulesOf(s: Pick<Services, 'db'>, workspaceId: string): Promise<ReportSchedule[]> {
  const rows = await own(s.db)
    .selectFrom('report_schedules')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .execute();
  const defaults = rows.length < reportTypes.length ? await managerEmails(s, workspaceId) : [];
  return reportTypes.map((type): ReportSchedule => {
    const r = rows.find((x) => x.type === type);
    if (!r)
      return {
        type,
        custom: false,
        enabled: true,
        localTime: defaultLocalTime,
        recipients: defaults,
        channelIds: null,
      };
    return {
      type,
      custom: true,
      enabled: r.enabled === 1,
      localTime: r.local_time,
      recipients: JSON.parse(r.recipients) as string[],
      channelIds: r.channels === null ? null : (JSON.parse(r.channels) as string[]),
    };
  });
}

/** The editor's view: the four schedules, the zone their times are in, and the channels to pick from. */
export async function scheduleView(ctx: Ctx): Promise<ReportSchedules> {
  const ws = ctx.actor.workspaceId;
  const [zone, channels] = await Promise.all([
    across(ctx.db).selectFrom('workspaces').select('timezone').where('id', '=', ws).executeTakeFirstOrThrow(),
    across(ctx.db)
      .selectFrom('incident_channels')
      .select(['id', 'name', 'kind', 'enabled'])
      .where('workspace_id', '=', ws)
      .orderBy('name')
      .execute(),
  ]);
  return {
    zone: zone.timezone,
    schedules: await schedulesOf(ctx, ws),
    channels: channels.map((c) => ({ id: c.id, name: c.name, kind: c.kind, enabled: c.enabled === 1 })),
  };
}

/** Saves a type's schedule; every named channel must be one of the workspace's. */
export async function saveSchedule(ctx: Ctx, type: ReportType, input: ReportScheduleInput): Promise<ReportSchedule> {
  const ws = ctx.actor.workspaceId;
  if (input.channelIds?.length) {
    const known = await across(ctx.db)
      .selectFrom('incident_channels')
      .select('id')
      .where('workspace_id', '=', ws)
      .where('id', 'in', input.channelIds)
      .execute();
    const unknown = input.channelIds.filter((id) => !known.some((k) => k.id === id));
    if (unknown.length) throw badRequest(`unknown notification channel: ${unknown.join(', ')}`);
  }
  const row = {
    enabled: input.enabled ? 1 : 0,
    local_time: input.localTime,
    recipients: JSON.stringify(input.recipients),
    channels: input.channelIds === null ? null : JSON.stringify(input.channelIds),
    updated_at: ctx.clock.now().toISOString(),
  };
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db)
      .insertInto('report_schedules')
      .values({ workspace_id: ws, type, ...row })
      .onConflict((oc) => oc.columns(['workspace_id', 'type']).doUpdateSet(row))
      .execute();
    await publish(ctx, 'report_schedule.saved', ws, 'report_schedule', type, {
      type,
      enabled: input.enabled,
      localTime: input.localTime,
      recipients: input.recipients.length,
      channels: input.channelIds === null ? null : input.channelIds.length,
    });
  });
  return { type, custom: true, ...input };
}
