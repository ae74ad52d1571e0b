/**
 * Every query a report reads, in one place (reports read across modules' tables, read-only). A
 * report is a pure function of what these return for (workspace, period), so recomputing it later
 * gives the same document and the same SHA-256 — as long as retention has not removed its rows.
 * Everything is read up to the period's end (`asOf`): later events never change a past report.
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../../db/index.ts';
import { across } from './schema.ts';
import type { CsConversation } from './cs-figures.ts';
import type { Pace } from './pace.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const chunk = <T>(xs: readonly T[], n = 500): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
const q = (db: Db) => across(db);

export type CsConversationRow = CsConversation & {
  inboxId: string;
  channel: string;
  inboxName: string;
  assigneeId: string | null;
  firstCustomerText: string | null;
};
export type CsData = { conversations: CsConversationRow[]; agents: Map<string, string> };

/**
 * Conversations that count for a period: created in it, or active in it (a reply or a resolution
 * in the period needs a message or an update after its start), with their messages (internal notes
 * are not replies) and their status history from the audit log (`conversation.updated`); a
 * shopper's message in a resolved conversation reopens it (the chat writer's rule).
 */
export async function loadCsData(
  db: Db,
  workspaceId: string,
  from: number,
  end: number,
  /** The report worker's duty cycle (pace.ts), awaited between batches. */
  pace: Pace = async () => {},
): Promise<CsData> {
  /** The conversations that count (see above), as a filter on `c`. */
  const counted = <Q extends SelectQueryBuilder<any, 'c', any>>(qb: Q): Q =>
    qb
      .where('c.workspace_id', '=', workspaceId)
      .where('c.created_at', '<', iso(end))
      .where((eb) =>
        eb.or([
          eb('c.created_at', '>=', iso(from)),
          eb('c.updated_at', '>=', iso(from)),
          eb('c.last_message_at', '>=', iso(from)),
        ]),
      ) as Q;
  const rows = await counted(
    q(db)
      .selectFrom('conversations as c')
      .innerJoin('inboxes as i', 'i.id', 'c.inbox_id')
      .select(['c.id', 'c.created_at', 'c.assignee_id', 'c.inbox_id', 'i.channel', 'i.name as inbox_name']),
  )
    .orderBy('c.id')
    .execute();
  type Building = CsConversationRow & {
    messages: CsConversation['messages'][number][];
    resolvedAt: number[];
    reopenedAt: number[];
  };
  const byId = new Map<string, Building>();
  for (const r of rows)
    byId.set(r.id, {
      id: r.id,
      createdAt: Date.parse(r.created_at),
      messages: [],
      resolvedAt: [],
      reopenedAt: [],
      inboxId: r.inbox_id,
      channel: r.channel,
      inboxName: r.inbox_name,
      assigneeId: r.assignee_id,
      firstCustomerText: null,
    });
  // Their status changes, in one query: a join, not 500 ids at a time (the planner may read
  // the whole audit log for each such batch).
  const statusEvents = new Map<string, { at: number; to: string }[]>();
  const audits = await counted(
    q(db)
      .selectFrom('audit_log as a')
      .innerJoin('conversations as c', 'c.id', 'a.object_id')
      .select(['a.object_id', 'a.data', 'a.created_at']),
  )
    .where('a.workspace_id', '=', workspaceId)
    .where('a.action', '=', 'conversation.updated')
    .where('a.created_at', '<', iso(end))
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
  for (const a of audits) {
    const to = (JSON.parse(a.data) as { status?: { to?: unknown } }).status?.to;
    if (typeof to !== 'string' || !a.object_id) continue;
    const list = statusEvents.get(a.object_id) ?? [];
    list.push({ at: Date.parse(a.created_at), to });
    statusEvents.set(a.object_id, list);
  }
  for (const ids of chunk([...byId.keys()])) {
    await pace();
    const msgs = await q(db)
      .selectFrom('messages')
      .select(['conversation_id', 'sender_type', 'sender_id', 'created_at', 'seq'])
      .select(sql<string | null>`case when sender_type = 'customer' then body else null end`.as('body'))
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', 'in', ids)
      .where('kind', '!=', 'note')
      .where('created_at', '<', iso(end))
      .orderBy('conversation_id')
      .orderBy('seq')
      .execute();
    for (const m of msgs) {
      const c = byId.get(m.conversation_id)!;
      const from =
        m.sender_type === 'customer'
          ? 'customer'
          : m.sender_type === 'agent'
            ? 'agent'
            : m.sender_type === 'bot'
              ? 'bot'
              : null;
      if (!from) continue;
      if (from === 'customer' && c.firstCustomerText === null) c.firstCustomerText = m.body;
      c.messages.push({ at: Date.parse(m.created_at), from, agentId: from === 'agent' ? m.sender_id : null });
    }
  }
  let n = 0;
  for (const c of byId.values()) {
    if (++n % 1000 === 0) await pace();
    const timeline = [
      ...(statusEvents.get(c.id) ?? []).map((e) => ({ at: e.at, to: e.to })),
      ...c.messages.filter((m) => m.from === 'customer').map((m) => ({ at: m.at, to: 'customer' })),
    ].sort((a, b) => a.at - b.at);
    let resolved = false;
    for (const e of timeline) {
      if (e.to === 'resolved') {
        if (!resolved) c.resolvedAt.push(e.at);
        resolved = true;
      } else if (resolved && e.to !== 'snoozed') {
        // Back to open or pending by an agent, or by the shopper's message.
        c.reopenedAt.push(e.at);
        resolved = false;
      }
    }
  }
  const agentRows = await q(db)
    .selectFrom('users')
    .select(['id', 'name', 'display_name'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  return {
    conversations: [...byId.values()],
    agents: new Map(agentRows.map((u) => [u.id, u.display_name ?? u.name])),
  };
}

export type IncidentRow = {
  id: string;
  number: number;
  title: string;
  severity: string;
  state: string;
  mode: string;
  component: string | null;
  declaredAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
  rootCauseCategory: string | null;
  rootCause: string | null;
};

/** Incidents the workspace declared or is affected by, declared before `end` and not resolved before `start`. */
export async function loadIncidents(db: Db, workspaceId: string, start: number, end: number): Promise<IncidentRow[]> {
  const rows = await q(db)
    .selectFrom('incidents as i')
    .leftJoin('incident_reviews as r', 'r.incident_id', 'i.id')
    .select([
      'i.id',
      'i.number',
      'i.title',
      'i.severity',
      'i.state',
      'i.mode',
      'i.component',
      'i.declared_at',
      'i.acknowledged_at',
      'i.resolved_at',
      'r.root_cause_category',
      'r.root_cause',
    ])
    .where((eb) =>
      eb.or([
        eb('i.workspace_id', '=', workspaceId),
        eb(
          'i.id',
          'in',
          eb
            .selectFrom('incident_clocks')
            .select('incident_id')
            .where('incident_clocks.workspace_id', '=', workspaceId),
        ),
      ]),
    )
    .where('i.declared_at', '<', iso(end))
    .where((eb) => eb.or([eb('i.resolved_at', 'is', null), eb('i.resolved_at', '>=', iso(start))]))
    .orderBy('i.declared_at')
    .execute();
  const at = (v: string | null) => (v === null || Date.parse(v) >= end ? null : Date.parse(v));
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    title: r.title,
    severity: r.severity,
    state: r.state,
    mode: r.mode,
    component: r.component,
    declaredAt: Date.parse(r.declared_at),
    acknowledgedAt: at(r.acknowledged_at),
    resolvedAt: at(r.resolved_at),
    rootCauseCategory: r.root_cause_category ?? null,
    rootCause: r.root_cause ?? null,
  }));
}

export type BackupRunRow = {
  kind: string;
  status: string;
  startedAt: number;
  bytes: number | null;
  durationMs: number | null;
  error: string | null;
};

/** Backup, verification and drill runs started in the period (installation-wide). */
export async function loadBackupRuns(db: Db, start: number, end: number): Promise<BackupRunRow[]> {
  const rows = await q(db)
    .selectFrom('backup_runs')
    .select(['kind', 'status', 'started_at', 'bytes', 'duration_ms', 'error'])
    .where('started_at', '>=', iso(start))
    .where('started_at', '<', iso(end))
    .orderBy('started_at')
    .execute();
  return rows.map((r) => ({
    kind: r.kind,
    status: r.status,
    startedAt: Date.parse(r.started_at),
    bytes: r.bytes,
    durationMs: r.duration_ms,
    error: r.error,
  }));
}

export type SeriesPoints = {
  labels: Record<string, string>;
  points: { t: number; max: number; mean: number; last: number }[];
};

/** Minute (res 60) or hourly (res 3600) rollups of a metric by name, for [start, end). */
export async function loadSeries(
  db: Db,
  name: string,
  start: number,
  end: number,
  res: 60 | 3600,
): Promise<SeriesPoints[]> {
  const rows = await q(db)
    .selectFrom('monitoring_rollups as r')
    .innerJoin('monitoring_series as s', 's.id', 'r.series_id')
    .select(['s.id', 's.labels', 'r.t', 'r.n', 'r.sum', 'r.max', 'r.last'])
    .where('s.name', '=', name)
    .where('r.res', '=', res)
    .where('r.t', '>=', start)
    .where('r.t', '<', end)
    .orderBy('s.id')
    .orderBy('r.t')
    .execute();
  const out = new Map<number, SeriesPoints>();
  for (const r of rows) {
    const s = out.get(r.id) ?? { labels: JSON.parse(r.labels) as Record<string, string>, points: [] };
    s.points.push({ t: Number(r.t), max: r.max, mean: r.n ? r.sum / r.n : r.last, last: r.last });
    out.set(r.id, s);
  }
  return [...out.values()];
}

export type ProbeRow = { id: string; name: string; component: string | null };
export async function loadProbes(db: Db): Promise<ProbeRow[]> {
  return q(db).selectFrom('monitoring_probes').select(['id', 'name', 'component']).orderBy('name').execute();
}

/** Knowledge entries (for clustering hot questions). */
export async function loadKnowledge(
  db: Db,
  workspaceId: string,
): Promise<{ id: string; question: string; similar: string[] }[]> {
  const rows = await q(db)
    .selectFrom('knowledge_entries')
    .select(['id', 'question', 'similar'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, question: r.question, similar: JSON.parse(r.similar) as string[] }));
}

/** Ticket SLA outcomes per target for the period's local days (the SLA module's daily rollup). */
export async function loadSlaOutcomes(
  db: Db,
  workspaceId: string,
  firstDay: string,
  lastDay: string,
): Promise<{ target: string; outcome: string; n: number }[]> {
  const rows = await q(db)
    .selectFrom('sla_daily')
    .select(['target', 'outcome'])
    .select((eb) => eb.fn.sum<number>('n').as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('subject_type', '=', 'ticket')
    .where('day', '>=', firstDay)
    .where('day', '<=', lastDay)
    .where('target', '!=', '*')
    .groupBy(['target', 'outcome'])
    .orderBy('target')
    .orderBy('outcome')
    .execute();
  return rows.map((r) => ({ target: r.target, outcome: r.outcome, n: Number(r.n) }));
}

/** The workspace's time zone (reports' periods are in it), or null for an unknown workspace. */
export async function loadWorkspaceZone(db: Db, workspaceId: string): Promise<string | null> {
  const r = await q(db).selectFrom('workspaces').select('timezone').where('id', '=', workspaceId).executeTakeFirst();
  return r?.timezone ?? null;
}

/** A workspace by slug; without one, the only workspace or the demo workspace (`kefu report render`). */
export async function loadWorkspaceBySlug(
  db: Db,
  slug: string | null,
): Promise<{ ok: true; id: string } | { ok: false; problem: string }> {
  const rows = await q(db).selectFrom('workspaces').select(['id', 'slug']).orderBy('created_at').execute();
  const hit = slug
    ? rows.find((r) => r.slug === slug)
    : rows.length === 1
      ? rows[0]
      : rows.find((r) => r.slug === 'demo');
  if (hit) return { ok: true, id: hit.id };
  return {
    ok: false,
    problem: slug
      ? `no workspace ${JSON.stringify(slug)}`
      : `several workspaces: name one with --workspace (${rows.map((r) => r.slug).join(', ')})`,
  };
}

/** Shoppers' first messages of the conversations created in [from, to) (live hot questions). */
export async function loadFirstMessages(
  db: Db,
  workspaceId: string,
  from: number,
  to: number,
): Promise<{ conversationId: string; at: number; text: string }[]> {
  const rows = await q(db)
    .selectFrom('conversations as c')
    .innerJoin('messages as m', (j) => j.onRef('m.conversation_id', '=', 'c.id'))
    .select(['c.id', 'm.created_at', 'm.body', 'm.seq'])
    .where('c.workspace_id', '=', workspaceId)
    .where('c.created_at', '>=', iso(from))
    .where('c.created_at', '<', iso(to))
    .where('m.sender_type', '=', 'customer')
    .where('m.kind', '=', 'text')
    .orderBy('c.id')
    .orderBy('m.seq')
    .execute();
  const seen = new Set<string>();
  const out: { conversationId: string; at: number; text: string }[] = [];
  for (const r of rows) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    out.push({ conversationId: r.id, at: Date.parse(r.created_at), text: r.body });
  }
  return out;
}
