/** Incident rows ↔ API views, the state machine, and the append-only timeline. */
import type {
  IncidentSeverity,
  IncidentSource,
  IncidentStateName,
  IncidentView,
  TimelineEntry,
} from '../../../shared/incidents-api.ts';
import type { Executor } from '../../db/index.ts';
import type { ActorRef } from '../../lib/events/index.ts';
import { newId } from '../../lib/ids.ts';
import type { IncidentEvent } from '../sla/index.ts';
import { own, type IncidentClocksTable, type IncidentsTable, type IncidentTimelineTable } from './schema.ts';

/** Which states each state may move to. Closed and cancelled are final. */
export const transitions: Record<IncidentStateName, readonly IncidentStateName[]> = {
  triggered: ['acknowledged', 'mitigated', 'resolved', 'cancelled'],
  acknowledged: ['mitigated', 'resolved', 'cancelled', 'triggered'],
  mitigated: ['resolved', 'triggered', 'cancelled'],
  resolved: ['closed', 'triggered'],
  closed: [],
  cancelled: [],
};

export const doneStates: readonly IncidentStateName[] = ['resolved', 'closed', 'cancelled'];
export const openStates: readonly IncidentStateName[] = ['triggered', 'acknowledged', 'mitigated'];

/** Appends one entry to an incident's timeline (the table refuses updates and deletes). */
export async function addTimeline(db: Executor, ...entry: Parameters<typeof timelineRow>): Promise<void> {
  await addTimelines(db, [timelineRow(...entry)]);
}

/** A timeline entry as stored (its id orders it after every entry built before it). */
export function timelineRow(
  incident: Pick<IncidentsTable, 'id' | 'workspace_id'>,
  actor: ActorRef,
  type: string,
  at: string,
  data: Record<string, unknown>,
  isPublic = false,
): IncidentTimelineTable {
  return {
    id: newId('itl'),
    incident_id: incident.id,
    workspace_id: incident.workspace_id,
    type,
    actor_id: actor.id,
    actor_name: actor.name,
    data: JSON.stringify(data),
    public: isPublic ? 1 : 0,
    at,
  };
}

/** Appends entries (of one or several incidents) in one statement. */
export async function addTimelines(db: Executor, rows: IncidentTimelineTable[]): Promise<void> {
  if (rows.length) await own(db).insertInto('incident_timeline').values(rows).execute();
}

export function toTimelineEntry(r: IncidentTimelineTable): TimelineEntry {
  return {
    id: r.id,
    type: r.type,
    at: r.at,
    actorName: r.actor_name,
    public: r.public === 1,
    data: JSON.parse(r.data) as Record<string, unknown>,
  };
}

/** The clock history of an incident: its declaration and every state change, from the timeline. */
export function clockEventsOf(incident: IncidentsTable, timeline: readonly IncidentTimelineTable[]): IncidentEvent[] {
  const out: IncidentEvent[] = [{ at: incident.declared_at, type: 'declared' }];
  for (const r of timeline) {
    if (r.type !== 'state') continue;
    const d = JSON.parse(r.data) as { to: IncidentStateName };
    out.push({ at: r.at, type: 'status', status: d.to });
  }
  return out;
}

export function toView(
  r: IncidentsTable,
  clocks: readonly IncidentClocksTable[],
  viewerWorkspaceId: string,
): IncidentView {
  const mine = clocks.find((c) => c.workspace_id === viewerWorkspaceId) ?? clocks[0];
  return {
    id: r.id,
    number: r.number,
    severity: r.severity as IncidentSeverity,
    state: r.state as IncidentStateName,
    title: r.title,
    description: r.description,
    source: r.source as IncidentSource,
    mode: r.mode as 'real' | 'drill',
    component: r.component,
    declaredAt: r.declared_at,
    respondBy: mine?.respond_by ?? r.declared_at,
    resolveBy: mine?.resolve_by ?? r.declared_at,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    mitigatedAt: r.mitigated_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    directorEngagedAt: r.director_engaged_at,
    // A workspace that is only affected does not learn which other merchants were.
    workspaceIds: r.workspace_id === viewerWorkspaceId ? clocks.map((c) => c.workspace_id) : [viewerWorkspaceId],
    version: r.version,
  };
}
