/**
 * Rotations, overrides and the escalation policy of a workspace, and "who is on call now / next".
 * Inside one of the contract's promotion windows a workspace's promotion roster (rotations of
 * kind `promotion`) takes over from the normal ones (requirements §6).
 */
import { z } from 'zod';
import { publish, unitOfWork, type Ctx, type Services } from '../../../context.ts';
import { badRequest, notFound } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { isValidTimeZone, localDayOf, localToInstant } from '../../../lib/time/index.ts';
import { groupExists } from '../../teams/index.ts';
import { activeMembers, assertActiveMember } from '../../users/index.ts';
import { contractOf } from '../contracts.ts';
import { own, type OncallRotationsTable } from '../schema.ts';
import {
  onCallAt,
  rosterCalendar,
  rotationWarnings,
  upcoming,
  type Layer,
  type Override,
  type Roster,
} from './rotation.ts';

/** How many days the on-call calendar shows, from today's local midnight in the rotation's zone. */
export const calendarDays = 7;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
/** Local hours a layer covers (end ≤ start runs past midnight), on windows starting on these weekdays (0 = Monday). */
const HoursBody = z.strictObject({
  start: hhmm,
  end: hhmm,
  weekdays: z.array(z.number().int().min(0).max(6)).min(1).max(7).default([0, 1, 2, 3, 4, 5, 6]),
});
const layerFields = {
  timezone: z.string().refine(isValidTimeZone, 'unknown time zone').default('Asia/Shanghai'),
  handoff: z.enum(['daily', 'weekly']).default('weekly'),
  handoffTime: hhmm.default('09:00'),
  handoffWeekday: z.number().int().min(0).max(6).default(0),
  startDate: z.iso.date(),
  participants: z.array(z.string().min(1).max(64)).min(1).max(50),
  /** Only these hours (default: around the clock). */
  hours: HoursBody.nullable().default(null),
};
const LayerBody = z.strictObject({ name: z.string().trim().min(1).max(100), ...layerFields });
export const RotationBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(['normal', 'promotion']).default('normal'),
  ...layerFields,
  /** Higher layers over the base one (later = higher): each wins for the hours it covers. */
  layers: z.array(LayerBody).max(5).default([]),
});
export const OverrideBody = z.strictObject({
  userId: z.string().min(1).max(64),
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }),
});
const target = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('rotation'), id: z.string().min(1).max(64) }),
  z.strictObject({ type: z.literal('user'), id: z.string().min(1).max(64) }),
  /** Every active member of a team (teams module). */
  z.strictObject({ type: z.literal('group'), id: z.string().min(1).max(64) }),
  z.strictObject({ type: z.literal('channels') }),
]);
export const EscalationBody = z.strictObject({
  steps: z
    .array(z.strictObject({ notify: z.array(target).min(1).max(10), waitMinutes: z.number().int().min(1).max(1440) }))
    .min(1)
    .max(10),
  /** How many times the whole list runs again while nobody acknowledges. */
  repeat: z.number().int().min(0).max(10).default(0),
  /** An acknowledgement not followed by mitigation or resolution within this re-triggers the incident (0 = never). */
  reackMinutes: z.number().int().min(0).max(1440).default(0),
});
export type EscalationPolicy = z.output<typeof EscalationBody>;

const minuteOf = (t: string) => {
  const [h, m] = t.split(':').map(Number);
  return h * 60 + m;
};
const toLayer = (d: z.output<typeof LayerBody> | z.output<typeof RotationBody>): Layer => ({
  name: d.name,
  timezone: d.timezone,
  handoff: d.handoff,
  handoffMinute: minuteOf(d.handoffTime),
  handoffWeekday: d.handoffWeekday,
  startDate: d.startDate,
  participants: d.participants,
  hours: d.hours ? { start: minuteOf(d.hours.start), end: minuteOf(d.hours.end), weekdays: d.hours.weekdays } : null,
});

const toRotation = (r: OncallRotationsTable): Roster & { id: string; name: string; kind: string } => {
  // Rows saved before layers existed parse with the defaults (no hours, no layers).
  const d = RotationBody.parse(JSON.parse(r.definition));
  return { ...toLayer(d), id: r.id, name: r.name, kind: r.kind, layers: d.layers.map(toLayer) };
};

async function overridesOf(s: Pick<Services, 'db'>, rotationId: string): Promise<Override[]> {
  const rows = await own(s.db)
    .selectFrom('oncall_overrides')
    .selectAll()
    .where('rotation_id', '=', rotationId)
    .orderBy('created_at')
    .execute();
  return rows.map((o) => ({ userId: o.user_id, start: Date.parse(o.start_at), end: Date.parse(o.end_at) }));
}

export async function saveRotation(ctx: Ctx, id: string | null, input: z.output<typeof RotationBody>) {
  const ws = ctx.actor.workspaceId;
  for (const u of new Set([...input.participants, ...input.layers.flatMap((l) => l.participants)]))
    await assertActiveMember(ctx, ws, u);
  const now = ctx.clock.now().toISOString();
  const rotationId = id ?? newId('rot');
  await unitOfWork(ctx, async (ctx) => {
    const db = own(ctx.db);
    const row = { name: input.name, kind: input.kind, definition: JSON.stringify(input), updated_at: now };
    if (id) {
      const r = await db
        .updateTable('oncall_rotations')
        .set(row)
        .where('id', '=', id)
        .where('workspace_id', '=', ws)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw notFound('rotation');
    } else
      await db
        .insertInto('oncall_rotations')
        .values({ id: rotationId, workspace_id: ws, created_at: now, ...row })
        .execute();
    await publish(ctx, 'oncall_rotation.saved', ws, 'oncall_rotation', rotationId, {
      name: input.name,
      kind: input.kind,
    });
  });
  const saved = (await listOnCall(ctx, ws)).rotations.find((r) => r.id === rotationId)!;
  return saved;
}

export async function addOverride(ctx: Ctx, rotationId: string, input: z.output<typeof OverrideBody>) {
  const ws = ctx.actor.workspaceId;
  const rot = await own(ctx.db)
    .selectFrom('oncall_rotations')
    .select('id')
    .where('id', '=', rotationId)
    .where('workspace_id', '=', ws)
    .executeTakeFirst();
  if (!rot) throw notFound('rotation');
  await assertActiveMember(ctx, ws, input.userId);
  if (Date.parse(input.end) <= Date.parse(input.start)) throw badRequest('end: must be after start');
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db)
      .insertInto('oncall_overrides')
      .values({
        id: newId('ovr'),
        workspace_id: ws,
        rotation_id: rotationId,
        user_id: input.userId,
        start_at: new Date(input.start).toISOString(),
        end_at: new Date(input.end).toISOString(),
        created_at: ctx.clock.now().toISOString(),
      })
      .execute();
    await publish(ctx, 'oncall_rotation.saved', ws, 'oncall_rotation', rotationId, {
      name: 'override',
      kind: 'override',
    });
  });
  return (await listOnCall(ctx, ws)).rotations.find((r) => r.id === rotationId)!;
}

/** Whether `at` is inside one of the workspace contract's promotion windows (its name, or null). */
export async function promotionAt(
  s: Pick<Services, 'db' | 'clock'>,
  workspaceId: string,
  at: number,
): Promise<string | null> {
  const { contract } = await contractOf(s, workspaceId);
  return contract.promotions.find((p) => at >= p.start && at < p.end)?.name ?? null;
}

/** Every rotation with who is on call now and the next shifts (names resolved), and warnings. */
export async function listOnCall(s: Pick<Services, 'db' | 'clock'>, workspaceId: string, shifts = 4) {
  const rows = await own(s.db)
    .selectFrom('oncall_rotations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('name')
    .execute();
  const now = s.clock.now().getTime();
  const promotion = await promotionAt(s, workspaceId, now);
  const out = [];
  for (const row of rows) {
    const r = toRotation(row);
    const overrides = await overridesOf(s, r.id);
    const list = upcoming(r, overrides, now, shifts);
    const today = localDayOf(r.timezone, now);
    const from = localToInstant(r.timezone, today, 0);
    const until = localToInstant(r.timezone, today + calendarDays, 0);
    const cal = rosterCalendar(r, overrides, from, until);
    const everyone = [r, ...(r.layers ?? [])].flatMap((l) => l.participants);
    const people = await activeMembers(s, workspaceId, [
      ...new Set(
        [...everyone, ...list.map((x) => x.userId ?? ''), ...cal.overrides.map((o) => o.userId)].filter(Boolean),
      ),
    ]);
    const name = (id: string | null) => people.find((p) => p.id === id)?.name ?? null;
    const layerName = (i: number | null | undefined) => (i ? (r.layers?.[i - 1]?.name ?? null) : null);
    const bar = (b: { userId: string; start: number; end: number }) => ({
      userId: b.userId,
      name: name(b.userId),
      start: new Date(b.start).toISOString(),
      end: new Date(b.end).toISOString(),
    });
    out.push({
      id: r.id,
      name: r.name,
      kind: r.kind,
      active:
        r.kind === (promotion ? 'promotion' : 'normal') ||
        !rows.some((x) => x.kind === (promotion ? 'promotion' : 'normal')),
      definition: JSON.parse(row.definition) as unknown,
      participants: r.participants.map((id) => ({ id, name: name(id) })),
      layers: (r.layers ?? []).map((l) => ({
        name: l.name ?? '',
        timezone: l.timezone,
        participants: l.participants.map((id) => ({ id, name: name(id) })),
      })),
      shifts: list.map((x) => ({
        userId: x.userId,
        name: name(x.userId),
        start: new Date(x.start).toISOString(),
        end: new Date(x.end).toISOString(),
        override: x.override,
        layer: layerName(x.layer),
      })),
      // The calendar of the next days: each layer, the overrides, and who is on call as a result.
      calendar: {
        timezone: r.timezone,
        from: new Date(from).toISOString(),
        until: new Date(until).toISOString(),
        layers: cal.layers.map((bars, i) => ({ name: i === 0 ? r.name : layerName(i), bars: bars.map(bar) })),
        overrides: cal.overrides.map(bar),
        final: cal.final.map((b) => ({ ...bar(b), override: b.override, layer: layerName(b.layer) })),
      },
      warnings: rotationWarnings(r, now, overrides).map((w) =>
        w.code === 'gap' ? { ...w, start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString() } : w,
      ),
    });
  }
  return { promotion, rotations: out };
}

/** The user on call for a rotation target now; inside a promotion window a promotion rotation replaces a normal one. */
export async function onCallUser(
  s: Pick<Services, 'db' | 'clock'>,
  workspaceId: string,
  rotationId: string,
): Promise<string | null> {
  const db = own(s.db);
  const rows = await db.selectFrom('oncall_rotations').selectAll().where('workspace_id', '=', workspaceId).execute();
  let row = rows.find((r) => r.id === rotationId);
  if (!row) return null;
  const now = s.clock.now().getTime();
  if (row.kind === 'normal' && (await promotionAt(s, workspaceId, now)))
    row = rows.find((r) => r.kind === 'promotion') ?? row;
  return onCallAt(toRotation(row), await overridesOf(s, row.id), now).userId;
}

/**
 * Who is on call now for the rotations the escalation policy calls (in step order, each once): the
 * names that channel notifications print, so a group chat knows whom the incident is waiting for.
 */
export async function onCallNames(s: Pick<Services, 'db' | 'clock'>, workspaceId: string): Promise<string[]> {
  const policy = await escalationPolicyOf(s, workspaceId);
  if (!policy) return [];
  const rotations = [
    ...new Set(policy.steps.flatMap((st) => st.notify.flatMap((t) => (t.type === 'rotation' ? [t.id] : [])))),
  ];
  const ids: string[] = [];
  for (const r of rotations) {
    const u = await onCallUser(s, workspaceId, r);
    if (u && !ids.includes(u)) ids.push(u);
  }
  const people = await activeMembers(s, workspaceId, ids);
  return ids.flatMap((id) => people.filter((p) => p.id === id).map((p) => p.name));
}

export async function escalationPolicyOf(
  s: Pick<Services, 'db'>,
  workspaceId: string,
): Promise<EscalationPolicy | null> {
  const row = await own(s.db)
    .selectFrom('escalation_policies')
    .select('definition')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return row ? EscalationBody.parse(JSON.parse(row.definition)) : null;
}

export async function saveEscalationPolicy(ctx: Ctx, input: EscalationPolicy) {
  const ws = ctx.actor.workspaceId;
  const rotations = await own(ctx.db)
    .selectFrom('oncall_rotations')
    .select('id')
    .where('workspace_id', '=', ws)
    .execute();
  for (const step of input.steps)
    for (const t of step.notify) {
      if (t.type === 'rotation' && !rotations.some((r) => r.id === t.id)) throw badRequest(`unknown rotation ${t.id}`);
      if (t.type === 'user') await assertActiveMember(ctx, ws, t.id);
      if (t.type === 'group' && !(await groupExists(ctx, ws, t.id))) throw badRequest(`unknown group ${t.id}`);
    }
  const now = ctx.clock.now().toISOString();
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db)
      .insertInto('escalation_policies')
      .values({ workspace_id: ws, definition: JSON.stringify(input), updated_at: now })
      .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ definition: JSON.stringify(input), updated_at: now }))
      .execute();
    await publish(ctx, 'escalation_policy.saved', ws, 'escalation_policy', ws, { steps: input.steps.length });
  });
  return input;
}
