/**
 * Declaring incidents and moving them through their states. Every transition is validated and
 * compared-and-set on the state (and the version when the caller names one): of two people
 * acknowledging at once one wins and the other gets 409 naming who did. Every change is a
 * timeline entry and an event in the same transaction; the clocks are recomputed in it too.
 */
import type { z } from 'zod';
import type {
  DeclareIncidentBody,
  IncidentSeverity,
  IncidentSource,
  IncidentStateName,
  NoteBody,
  UpdateIncidentBody,
} from '../../../shared/incidents-api.ts';
import { actorRef, publish, unitOfWork, type Scope, type Services } from '../../context.ts';
import { AppError, badRequest, forbidden, notFound } from '../../lib/errors.ts';
import type { ActorRef } from '../../lib/events/index.ts';
import { newId } from '../../lib/ids.ts';
import { listComponents, workspacesDependingOn } from '../monitoring/index.ts';
import { getWorkspace } from '../workspaces/index.ts';
import { recomputeClocks } from './clock.ts';
import { contractOf } from './contracts.ts';
import { addTimeline, transitions } from './model.ts';
import { severities, targetsAt, type SeverityTable } from './penalty/index.ts';
import { own, type IncidentsTable } from './schema.ts';

/** The contract's support line answers a merchant's report within 30 minutes (requirements §7). */
export const supportLineMinutes = 30;

export type Declaration = z.output<typeof DeclareIncidentBody> & {
  source: IncidentSource;
  fingerprint?: string | null;
  reportedBy?: string | null;
};

/** The severity table of a workspace's contract in force at `at` (promotion applied), as copied onto a clock. */
async function tableAt(s: Services, workspaceId: string, at: number, source: IncidentSource) {
  const { contract } = await contractOf(s, workspaceId);
  const table = {} as SeverityTable;
  let promotion: string | null = null;
  for (const sev of severities) {
    const t = targetsAt(contract, sev, at);
    table[sev] =
      source === 'merchant' ? { ...t.targets, respond: Math.min(t.targets.respond, supportLineMinutes) } : t.targets;
    if (sev === 'P1') promotion = t.promotion;
  }
  return { table, promotion };
}

/** Whether the actor may declare incidents for workspaces other than its own: the installation's ops (its home workspace's owner, admins, ops engineers) and owner. */
export const mayNameOtherWorkspaces = (actor: Scope['actor']): boolean =>
  !actor || actor.installationOwner || actor.permissions.includes('installation.ops');

/**
 * The workspaces an incident affects when the declaration names none: for the installation's ops
 * naming a component, every workspace that depends on it (as for alerts); otherwise the actor's own.
 */
async function defaultWorkspaces(s: Scope, workspaceId: string, input: Declaration): Promise<string[]> {
  if (input.workspaceIds) return input.workspaceIds;
  if (!input.component || !mayNameOtherWorkspaces(s.actor)) return [workspaceId];
  if (!(await listComponents(s)).some((c) => c.name === input.component))
    throw badRequest(`component: unknown component ${input.component}`);
  const dependents = await workspacesDependingOn(s, input.component);
  return dependents.length ? dependents : [workspaceId];
}

/**
 * Declares an incident in the actor's workspace (the home of whoever runs it) for the affected
 * workspaces (default: all that depend on the named component); each gets a clock with its own
 * contract's targets. Only the installation's ops may name workspaces other than the actor's own
 * (a merchant's report names its own and is managed by the installation's home workspace).
 */
export async function declareIncident(s: Scope, workspaceId: string, input: Declaration): Promise<IncidentsTable> {
  const affected = [...new Set(await defaultWorkspaces(s, workspaceId, input))];
  // A merchant's report is managed by the installation's home workspace and names the reporter's own.
  const actorWorkspace = s.actor?.workspaceId ?? workspaceId;
  if (affected.some((w) => w !== actorWorkspace)) {
    if (!mayNameOtherWorkspaces(s.actor))
      throw forbidden("only the installation's ops declare incidents for other workspaces");
    for (const w of affected)
      await getWorkspace(s, w).catch(() => Promise.reject(badRequest(`unknown workspace ${w}`)));
  }
  const now = s.clock.now();
  const declared = input.declaredAt ? new Date(input.declaredAt) : now;
  if (declared.getTime() > now.getTime()) throw badRequest('declaredAt: in the future');
  const iso = now.toISOString();
  const id = newId('inc');
  const actor = actorRef(s.actor);
  return unitOfWork(s, async (s) => {
    const db = own(s.db);
    const counter = await db
      .insertInto('incident_counters')
      .values({ workspace_id: workspaceId, last_number: 1 })
      .onConflict((oc) =>
        oc.column('workspace_id').doUpdateSet((eb) => ({ last_number: eb('incident_counters.last_number', '+', 1) })),
      )
      .returning('last_number')
      .executeTakeFirstOrThrow();
    const row: IncidentsTable = {
      id,
      workspace_id: workspaceId,
      number: counter.last_number,
      title: input.title,
      description: input.description,
      severity: input.severity,
      state: 'triggered',
      source: input.source,
      mode: input.mode,
      fingerprint: input.fingerprint ?? null,
      component: input.component ?? null,
      declared_at: declared.toISOString(),
      acknowledged_at: null,
      acknowledged_by: null,
      mitigated_at: null,
      resolved_at: null,
      closed_at: null,
      director_engaged_at: null,
      reported_by: input.reportedBy ?? null,
      version: 1,
      created_at: iso,
      updated_at: iso,
    };
    await db.insertInto('incidents').values(row).execute();
    for (const w of affected) {
      const { table, promotion } = await tableAt(s, w, declared.getTime(), input.source);
      await db
        .insertInto('incident_clocks')
        .values({
          incident_id: id,
          workspace_id: w,
          severity_table: JSON.stringify(table),
          promotion,
          respond_by: iso,
          resolve_by: iso,
          state: 'triggered',
          next_check_at: iso,
          updated_at: iso,
        })
        .execute();
    }
    await addTimeline(s.db, row, actor, 'declared', row.declared_at, {
      severity: row.severity,
      source: row.source,
      mode: row.mode,
      title: row.title,
    });
    await publish(s, 'incident.declared', workspaceId, 'incident', id, {
      number: row.number,
      title: row.title,
      severity: row.severity,
      source: row.source,
      mode: row.mode,
      workspaceIds: affected,
    });
    await recomputeClocks(s, id);
    return row;
  });
}

/** An incident the workspace may see: its own, or one that affects it. */
export async function visibleIncident(
  s: Pick<Services, 'db'>,
  workspaceId: string,
  id: string,
): Promise<IncidentsTable> {
  const db = own(s.db);
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('incident');
  if (row.workspace_id === workspaceId) return row;
  const clock = await db
    .selectFrom('incident_clocks')
    .select('workspace_id')
    .where('incident_id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!clock) throw notFound('incident');
  return row;
}

/**
 * An incident the workspace manages (declared in it); affected workspaces only read. Every write
 * goes through here: one at a time before the declaration (a clock set back by hand, a node whose
 * clock lags the declaring one's) would put the timeline out of order and break the clocks, so it
 * is refused with a 409 and nothing is written.
 */
async function managedIncident(
  s: Pick<Services, 'db' | 'clock'>,
  workspaceId: string,
  id: string,
): Promise<IncidentsTable> {
  const row = await visibleIncident(s, workspaceId, id);
  if (row.workspace_id !== workspaceId) throw forbidden('this incident is managed by the workspace that declared it');
  const now = s.clock.now();
  if (now.getTime() < Date.parse(row.declared_at))
    throw new AppError(
      409,
      'clock_before_declaration',
      `the server clock (${now.toISOString()}) is before the incident was declared (${row.declared_at}): check the clock`,
      { now: now.toISOString(), declaredAt: row.declared_at },
    );
  return row;
}

const stamp: Partial<Record<IncidentStateName, keyof IncidentsTable>> = {
  acknowledged: 'acknowledged_at',
  mitigated: 'mitigated_at',
  resolved: 'resolved_at',
  closed: 'closed_at',
};

/**
 * Moves an incident to `to` if its current state allows it. `via` says how (console, link,
 * alert, api) for the timeline. Throws 409 `invalid_transition` or `conflict` (with who won).
 */
export async function transitionIncident(
  s: Scope,
  workspaceId: string,
  id: string,
  to: IncidentStateName,
  opts: { version?: number; note?: string; via: string; actor?: ActorRef },
): Promise<IncidentsTable> {
  const actor = opts.actor ?? actorRef(s.actor);
  return unitOfWork(s, async (s) => {
    const db = own(s.db);
    const cur = await managedIncident(s, workspaceId, id);
    const from = cur.state as IncidentStateName;
    if (opts.version !== undefined && opts.version !== cur.version) throw staleOrTaken(cur, to);
    if (!transitions[from].includes(to)) {
      if (to === 'acknowledged' && from === 'acknowledged') throw staleOrTaken(cur, to);
      throw new AppError(409, 'invalid_transition', `an incident cannot go from ${from} to ${to}`, { from, to });
    }
    const now = s.clock.now().toISOString();
    const set: Partial<IncidentsTable> = { state: to, version: cur.version + 1, updated_at: now };
    const field = stamp[to];
    if (field && !(to === 'acknowledged' && cur.acknowledged_at)) (set as Record<string, unknown>)[field] = now;
    if (to === 'acknowledged') set.acknowledged_by = actor.name ?? 'system';
    // Re-triggering or reopening clears the later stamps: the resolve clock resumes.
    if (to === 'triggered') Object.assign(set, { resolved_at: null, closed_at: null, mitigated_at: null });
    const r = await db
      .updateTable('incidents')
      .set(set)
      .where('id', '=', id)
      .where('state', '=', from)
      .where('version', '=', cur.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      const now2 = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      throw staleOrTaken(now2, to);
    }
    const next = { ...cur, ...set } as IncidentsTable;
    await addTimeline(s.db, next, actor, 'state', now, {
      from,
      to,
      via: opts.via,
      ...(opts.note ? { note: opts.note } : {}),
    });
    const ref = { number: cur.number, title: cur.title };
    if (to === 'acknowledged')
      await publish(s, 'incident.acknowledged', workspaceId, 'incident', id, { ...ref, by: actor.name, via: opts.via });
    else await publish(s, 'incident.state_changed', workspaceId, 'incident', id, { ...ref, from, to, via: opts.via });
    await recomputeClocks(s, id);
    return next;
  });
}

function staleOrTaken(cur: IncidentsTable, to: IncidentStateName): AppError {
  const who =
    cur.acknowledged_by && cur.acknowledged_at
      ? ` (acknowledged by ${cur.acknowledged_by} at ${cur.acknowledged_at})`
      : '';
  return new AppError(409, 'conflict', `the incident changed meanwhile: it is ${cur.state} now${who}`, {
    state: cur.state,
    version: cur.version,
    acknowledgedBy: cur.acknowledged_by,
    acknowledgedAt: cur.acknowledged_at,
    wanted: to,
  });
}

/** Title, description or severity; a severity change re-targets the clocks from the original start. */
export async function updateIncident(
  s: Scope,
  workspaceId: string,
  id: string,
  input: z.output<typeof UpdateIncidentBody>,
): Promise<IncidentsTable> {
  return unitOfWork(s, async (s) => {
    const cur = await managedIncident(s, workspaceId, id);
    if (cur.version !== input.version) throw staleOrTaken(cur, cur.state as IncidentStateName);
    const now = s.clock.now().toISOString();
    const set: Partial<IncidentsTable> = { version: cur.version + 1, updated_at: now };
    const fields: string[] = [];
    for (const key of ['title', 'description', 'severity'] as const) {
      const v = input[key];
      if (v === undefined || v === cur[key]) continue;
      set[key] = v;
      fields.push(key);
    }
    if (!fields.length) return cur;
    const r = await own(s.db)
      .updateTable('incidents')
      .set(set)
      .where('id', '=', id)
      .where('version', '=', cur.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw staleOrTaken(cur, cur.state as IncidentStateName);
    const next = { ...cur, ...set } as IncidentsTable;
    if (set.severity)
      await addTimeline(s.db, next, actorRef(s.actor), 'severity', now, { from: cur.severity, to: set.severity });
    await publish(s, 'incident.updated', workspaceId, 'incident', id, {
      number: next.number,
      title: next.title,
      fields,
      severity: next.severity as IncidentSeverity,
    });
    await recomputeClocks(s, id);
    return next;
  });
}

export async function addNote(s: Scope, workspaceId: string, id: string, input: z.output<typeof NoteBody>) {
  return unitOfWork(s, async (s) => {
    const cur = await managedIncident(s, workspaceId, id);
    await addTimeline(
      s.db,
      cur,
      actorRef(s.actor),
      'note',
      s.clock.now().toISOString(),
      { body: input.body },
      input.public,
    );
    await publish(s, 'incident.noted', workspaceId, 'incident', id, {
      number: cur.number,
      title: cur.title,
      public: input.public,
    });
  });
}
