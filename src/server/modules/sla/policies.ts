/**
 * Calendars and SLA policies of a workspace. Policies form an ordered list: the first enabled one
 * whose conditions all match a ticket applies. What applies is copied onto the ticket (policy and
 * calendar), so editing a policy later never rewrites a running clock.
 */
import type { z } from 'zod';
import type { CalendarBody, SlaPolicyBody } from '../../../shared/tickets-api.ts';
import { publish, unitOfWork, type Ctx } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { AppError, badRequest, conflict, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { validateCalendar, type Calendar } from '../../lib/time/index.ts';
import { assertActiveMember } from '../users/index.ts';
import { own, type CalendarsTable, type SlaPoliciesTable } from './schema.ts';
import { validatePolicy, type SlaPolicy } from './ticket-profile.ts';

type PolicyInput = z.output<typeof SlaPolicyBody>;
export type Conditions = PolicyInput['conditions'];
export type Escalation = PolicyInput['escalation'];
/** What a ticket keeps: enough to recompute its clock forever, with the code the server uses. */
export type TicketSla = {
  policyId: string;
  policyName: string;
  policy: SlaPolicy;
  calendar: Calendar;
  escalation: Escalation;
};

function checkedCalendar(definition: unknown): Calendar {
  const v = validateCalendar(definition);
  if (!v.ok)
    throw new AppError(400, 'invalid_calendar', `the calendar is invalid: ${v.problems.join('; ')}`, v.problems);
  return v.value;
}

const toCalendar = (r: CalendarsTable) => ({
  id: r.id,
  name: r.name,
  definition: JSON.parse(r.definition) as Calendar,
  createdAt: r.created_at,
});

export async function listCalendars(ctx: Ctx) {
  return (
    await own(ctx.db)
      .selectFrom('calendars')
      .selectAll()
      .where('workspace_id', '=', ctx.actor.workspaceId)
      .orderBy('created_at')
      .execute()
  ).map(toCalendar);
}

export async function saveCalendar(ctx: Ctx, id: string | null, input: z.output<typeof CalendarBody>) {
  const definition = checkedCalendar(input.definition);
  const now = ctx.clock.now().toISOString();
  const existing = id;
  id ??= newId('cal');
  await unitOfWork(ctx, async (ctx) => {
    if (existing) {
      const r = await own(ctx.db)
        .updateTable('calendars')
        .set({ name: input.name, definition: JSON.stringify(definition), updated_at: now })
        .where('id', '=', id)
        .where('workspace_id', '=', ctx.actor.workspaceId)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw notFound('calendar');
    } else {
      await own(ctx.db)
        .insertInto('calendars')
        .values({
          id,
          workspace_id: ctx.actor.workspaceId,
          name: input.name,
          definition: JSON.stringify(definition),
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    await publish(ctx, 'calendar.saved', ctx.actor.workspaceId, 'calendar', id, { name: input.name });
  });
  return toCalendar(
    await own(ctx.db).selectFrom('calendars').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
  );
}

function toPolicy(r: SlaPoliciesTable) {
  const p = JSON.parse(r.policy) as SlaPolicy & { targets: PolicyInput['targets']; warnAtShare: number };
  return {
    id: r.id,
    name: r.name,
    position: r.position,
    enabled: r.enabled === 1,
    conditions: JSON.parse(r.conditions) as Conditions,
    targets: p.targets,
    businessHours: p.businessHours,
    pauseStatuses: p.pauseStatuses as PolicyInput['pauseStatuses'],
    warnAtShare: p.warnAtShare,
    calendarId: r.calendar_id,
    escalation: JSON.parse(r.escalation) as Escalation,
    createdAt: r.created_at,
  };
}

export async function listPolicies(ctx: Ctx) {
  return (
    await own(ctx.db)
      .selectFrom('sla_policies')
      .selectAll()
      .where('workspace_id', '=', ctx.actor.workspaceId)
      .orderBy('position')
      .execute()
  ).map(toPolicy);
}

export async function savePolicy(ctx: Ctx, id: string | null, input: PolicyInput) {
  const ws = ctx.actor.workspaceId;
  const cal = await own(ctx.db)
    .selectFrom('calendars')
    .select('id')
    .where('id', '=', input.calendarId)
    .where('workspace_id', '=', ws)
    .executeTakeFirst();
  if (!cal) throw badRequest('the calendar does not exist in this workspace');
  const v = validatePolicy({
    targets: input.targets,
    businessHours: input.businessHours,
    pauseStatuses: input.pauseStatuses,
    warnAtShare: input.warnAtShare,
  });
  if (!v.ok) throw new AppError(400, 'invalid_policy', `the policy is invalid: ${v.problems.join('; ')}`, v.problems);
  if (input.escalation.reassignTo)
    await assertActiveMember(
      ctx,
      ws,
      input.escalation.reassignTo,
      'escalation.reassignTo is not a user of this workspace',
    );
  const now = ctx.clock.now().toISOString();
  const existing = id;
  id ??= newId('slp');
  const row = {
    name: input.name,
    enabled: input.enabled ? 1 : 0,
    conditions: JSON.stringify(input.conditions),
    policy: JSON.stringify(v.value),
    calendar_id: input.calendarId,
    escalation: JSON.stringify(input.escalation),
    updated_at: now,
  };
  await unitOfWork(ctx, async (ctx) => {
    if (existing) {
      const r = await own(ctx.db)
        .updateTable('sla_policies')
        .set(row)
        .where('id', '=', id)
        .where('workspace_id', '=', ws)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw notFound('SLA policy');
    } else {
      const last = await own(ctx.db)
        .selectFrom('sla_policies')
        .select((eb) => eb.fn.max('position').as('p'))
        .where('workspace_id', '=', ws)
        .executeTakeFirst();
      await own(ctx.db)
        .insertInto('sla_policies')
        .values({ ...row, id, workspace_id: ws, position: Number(last?.p ?? 0) + 1, created_at: now })
        .execute();
    }
    await publish(ctx, 'sla_policy.saved', ws, 'sla_policy', id, { name: input.name });
  });
  return toPolicy(
    await own(ctx.db).selectFrom('sla_policies').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
  );
}

/** Sets the order of the whole list (first match wins). */
export async function reorderPolicies(ctx: Ctx, ids: string[]) {
  const ws = ctx.actor.workspaceId;
  const existing = (
    await own(ctx.db).selectFrom('sla_policies').select('id').where('workspace_id', '=', ws).execute()
  ).map((r) => r.id);
  if (existing.length !== ids.length || !existing.every((x) => ids.includes(x)))
    throw conflict('the list must name every policy of the workspace exactly once');
  await unitOfWork(ctx, async (ctx) => {
    for (const [i, pid] of ids.entries())
      await own(ctx.db)
        .updateTable('sla_policies')
        .set({ position: i + 1 })
        .where('id', '=', pid)
        .execute();
    await publish(ctx, 'sla_policy.reordered', ws, 'sla_policy', null, { ids });
  });
  return listPolicies(ctx);
}

export type TicketFacts = {
  priority: string;
  type: string;
  channel: string;
  groupId: string | null;
  tags: string[];
  customerTier?: string | null;
};

export function matches(c: Conditions, t: TicketFacts): boolean {
  return (
    (!c.priorities?.length || c.priorities.includes(t.priority as never)) &&
    (!c.types?.length || c.types.includes(t.type)) &&
    (!c.channels?.length || c.channels.includes(t.channel)) &&
    (!c.groupIds?.length || (t.groupId !== null && c.groupIds.includes(t.groupId))) &&
    (!c.tags?.length || c.tags.some((x) => t.tags.includes(x))) &&
    (!c.customerTiers?.length || (!!t.customerTier && c.customerTiers.includes(t.customerTier)))
  );
}

/** The snapshot of the first enabled policy matching the ticket, or null. */
export async function applicablePolicy(
  s: { db: Executor },
  workspaceId: string,
  t: TicketFacts,
): Promise<TicketSla | null> {
  const db = own(s.db);
  const rows = await db
    .selectFrom('sla_policies')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('enabled', '=', 1)
    .orderBy('position')
    .execute();
  for (const r of rows) {
    const p = toPolicy(r);
    if (!matches(p.conditions, t)) continue;
    const cal = await db
      .selectFrom('calendars')
      .select('definition')
      .where('id', '=', r.calendar_id)
      .executeTakeFirstOrThrow();
    return {
      policyId: r.id,
      policyName: r.name,
      policy: JSON.parse(r.policy) as SlaPolicy,
      calendar: JSON.parse(cal.definition) as Calendar,
      escalation: p.escalation,
    };
  }
  return null;
}
