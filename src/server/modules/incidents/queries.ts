/** Reading incidents: the list (by state), one incident with its clocks and timeline. */
import type { z } from 'zod';
import type { IncidentListQuery, IncidentStateName, IncidentView } from '../../../shared/incidents-api.ts';
import type { Services } from '../../context.ts';
import { clockView, computeIncidentClock, timelineOf } from './clock.ts';
import { openStates, toTimelineEntry, toView } from './model.ts';
import { onCallForPolicy } from './oncall/who.ts';
import { own } from './schema.ts';
import { visibleIncident } from './service.ts';

type Db = Pick<Services, 'db'>;

/** Incidents the workspace declared or is affected by, newest first. */
export async function listIncidents(
  s: Db,
  workspaceId: string,
  q: z.output<typeof IncidentListQuery>,
): Promise<IncidentView[]> {
  const states = q.state
    ? [...new Set(q.state.split(',').flatMap((x) => (x === 'open' ? openStates : [x as IncidentStateName])))]
    : null;
  const db = own(s.db);
  let query = db
    .selectFrom('incidents')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('workspace_id', '=', workspaceId),
        eb(
          'id',
          'in',
          eb
            .selectFrom('incident_clocks')
            .select('incident_id')
            .where('incident_clocks.workspace_id', '=', workspaceId),
        ),
      ]),
    );
  if (states) query = query.where('state', 'in', states);
  if (q.mode) query = query.where('mode', '=', q.mode);
  const rows = await query.orderBy('declared_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  if (!rows.length) return [];
  const clocks = await db
    .selectFrom('incident_clocks')
    .selectAll()
    .where(
      'incident_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  return rows.map((r) =>
    toView(
      r,
      clocks.filter((c) => c.incident_id === r.id),
      workspaceId,
    ),
  );
}

/** One incident as the workspace sees it: the view, each clock live as of now, and the timeline. */
export async function incidentDetail(s: Pick<Services, 'db' | 'clock'>, workspaceId: string, id: string) {
  const row = await visibleIncident(s, workspaceId, id);
  const clocks = await own(s.db).selectFrom('incident_clocks').selectAll().where('incident_id', '=', id).execute();
  const timeline = await timelineOf(s, id);
  const now = s.clock.now();
  // An affected workspace sees its own clock only (another merchant's contract is not its business).
  const shown = row.workspace_id === workspaceId ? clocks : clocks.filter((c) => c.workspace_id === workspaceId);
  return {
    ...toView(row, clocks, workspaceId),
    managed: row.workspace_id === workspaceId,
    now: now.toISOString(),
    // Who the escalation policy calls now and next (the managing workspace's people only).
    onCall: row.workspace_id === workspaceId ? await onCallForPolicy(s, workspaceId) : null,
    clocks: shown.map((c) => clockView(row, c, computeIncidentClock(row, c, timeline, now))),
    timeline: [...timeline]
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1))
      .filter((t) => row.workspace_id === workspaceId || t.public === 1 || t.type !== 'note')
      .map(toTimelineEntry),
  };
}
