/**
 * An incident's clocks, one per affected workspace: the history (declaration and state changes
 * from the timeline) run through the shared SLA engine with the targets copied at declaration.
 * Deadlines are rows (`next_check_at`, indexed) the worker scans every minute; warnings and
 * breaches are raised through the sla module (recorded once per target, whoever computes).
 */
import type { IncidentClockView, IncidentSeverity } from '../../../shared/incidents-api.ts';
import { unitOfWork, type Services } from '../../context.ts';
import { alwaysOpenCalendar } from '../../lib/time/index.ts';
import {
  computeClock,
  incidentPolicySchema,
  incidentProfile,
  nextCheckAt,
  raiseAlerts,
  type IncidentClockResult,
} from '../sla/index.ts';
import { clockEventsOf } from './model.ts';
import type { SeverityTable } from './penalty/index.ts';
import { own, type IncidentClocksTable, type IncidentsTable, type IncidentTimelineTable } from './schema.ts';

/** Share of a target after which it is at risk (a warning goes out). */
export const warnAtShare = 0.75;

/**
 * The clock at `now`. A `now` before the declaration (a clock set back by hand, a node whose clock
 * lags the declaring one's) reads as at the declaration: nothing has elapsed yet. The SLA engine
 * refuses a history that starts after `now`, which made every read of such an incident a 500.
 */
export function computeIncidentClock(
  incident: IncidentsTable,
  clock: Pick<IncidentClocksTable, 'severity_table'>,
  timeline: readonly IncidentTimelineTable[],
  at: Date,
): IncidentClockResult {
  const declared = Date.parse(incident.declared_at);
  const now = at.getTime() < declared ? new Date(declared) : at;
  const table = JSON.parse(clock.severity_table) as SeverityTable;
  const policy = incidentPolicySchema.parse({ targets: table[incident.severity as IncidentSeverity], warnAtShare });
  return computeClock(
    clockEventsOf(incident, timeline),
    policy,
    alwaysOpenCalendar('Asia/Shanghai'),
    now,
    incidentProfile,
  );
}

export function clockView(
  incident: IncidentsTable,
  clock: IncidentClocksTable,
  result: IncidentClockResult,
): IncidentClockView {
  const table = JSON.parse(clock.severity_table) as SeverityTable;
  const t = table[incident.severity as IncidentSeverity];
  const target = (name: 'respond' | 'resolve') => {
    const c = result.targets[name]!;
    return {
      minutes: t[name],
      dueAt: c.dueAt.toISOString(),
      fulfilledAt: c.fulfilledAt?.toISOString() ?? null,
      breached: c.breached,
      warning: c.warning,
      remainingMs: c.remainingMs,
    };
  };
  return {
    workspaceId: clock.workspace_id,
    respondBy: clock.respond_by,
    resolveBy: clock.resolve_by,
    promotion: clock.promotion,
    respond: target('respond'),
    resolve: target('resolve'),
    table,
  };
}

export async function timelineOf(s: Pick<Services, 'db'>, incidentId: string): Promise<IncidentTimelineTable[]> {
  return own(s.db)
    .selectFrom('incident_timeline')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('id')
    .execute();
}

/**
 * Recomputes every clock of an incident (in the caller's unit of work, or its own): stores the
 * deadlines and the next check, and raises the warnings and breaches now due.
 */
export async function recomputeClocks(s: Services, incidentId: string): Promise<void> {
  await unitOfWork(s, async (s) => {
    const db = own(s.db);
    const incident = await db.selectFrom('incidents').selectAll().where('id', '=', incidentId).executeTakeFirst();
    if (!incident) return;
    const clocks = await db.selectFrom('incident_clocks').selectAll().where('incident_id', '=', incidentId).execute();
    const timeline = await timelineOf(s, incidentId);
    const now = s.clock.now();
    for (const c of clocks) {
      const r = computeIncidentClock(incident, c, timeline, now);
      const next = nextCheckAt(r, now);
      await db
        .updateTable('incident_clocks')
        .set({
          respond_by: r.targets.respond!.dueAt.toISOString(),
          resolve_by: r.targets.resolve!.dueAt.toISOString(),
          state: incident.state,
          next_check_at: next ? next.toISOString() : null,
          updated_at: now.toISOString(),
        })
        .where('incident_id', '=', incidentId)
        .where('workspace_id', '=', c.workspace_id)
        .execute();
      await raiseAlerts(
        s,
        {
          workspaceId: c.workspace_id,
          subject: { type: 'incident', id: incident.id, number: incident.number, title: incident.title },
          policyId: `contract:${c.workspace_id}`,
          notify: [],
        },
        r,
      );
    }
  });
}

/** Recomputes the clocks whose next check is due; returns how many incidents it looked at. */
export async function checkDueIncidents(s: Services, limit: number): Promise<number> {
  const due = await own(s.db)
    .selectFrom('incident_clocks')
    .select('incident_id')
    .distinct()
    .where('next_check_at', '<=', s.clock.now().toISOString())
    .limit(limit)
    .execute();
  for (const { incident_id } of due) await recomputeClocks(s, incident_id);
  return due.length;
}
