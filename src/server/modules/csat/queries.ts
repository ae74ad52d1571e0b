/**
 * What others read of CSAT. `listRatings` is the reports module's door (ratings of a period);
 * the console reads a subject's requests and an agent's figures.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import { own, type CsatRequestsTable } from './schema.ts';
import { stateOf, surveyOf, type RequestState, type SubjectType } from './service.ts';

type Db = { db: Executor };

export type Rating = {
  requestId: string;
  subjectType: SubjectType;
  subjectId: string;
  conversationId: string | null;
  workspaceId: string;
  inboxId: string | null;
  agentId: string | null;
  customerId: string | null;
  score: number;
  scale: 'stars' | 'faces';
  comment: string | null;
  answers: Record<string, boolean | string>;
  via: 'widget' | 'link';
  requestedAt: string;
  ratedAt: string;
};

export const toRating = (r: CsatRequestsTable): Rating => ({
  requestId: r.id,
  subjectType: r.subject_type as SubjectType,
  subjectId: r.subject_id,
  conversationId: r.conversation_id,
  workspaceId: r.workspace_id,
  inboxId: r.inbox_id,
  agentId: r.agent_id,
  customerId: r.customer_id,
  score: r.score ?? 0,
  scale: surveyOf(r).scale,
  comment: r.comment,
  answers: r.answers ? (JSON.parse(r.answers) as Record<string, boolean | string>) : {},
  via: (r.via ?? 'widget') as 'widget' | 'link',
  requestedAt: r.created_at,
  ratedAt: r.rated_at ?? '',
});

/**
 * The ratings given in [from, to) (rating time, ISO-8601 UTC), newest first, optionally of one
 * agent or inbox; at most `limit` (default 10,000). Served by the (workspace, rated_at) index.
 */
export async function listRatings(
  s: Db,
  q: { workspaceId: string; from?: string; to?: string; agentId?: string; inboxId?: string; limit?: number },
): Promise<Rating[]> {
  let query = own(s.db)
    .selectFrom('csat_requests')
    .selectAll()
    .where('workspace_id', '=', q.workspaceId)
    .where('rated_at', 'is not', null);
  if (q.from) query = query.where('rated_at', '>=', q.from);
  if (q.to) query = query.where('rated_at', '<', q.to);
  if (q.agentId) query = query.where('agent_id', '=', q.agentId);
  if (q.inboxId) query = query.where('inbox_id', '=', q.inboxId);
  const rows = await query
    .orderBy('rated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit ?? 10_000)
    .execute();
  return rows.map(toRating);
}

export type SubjectRequest = {
  id: string;
  state: RequestState;
  byHand: boolean;
  createdAt: string;
  expiresAt: string;
  rating: Rating | null;
};

/** Every request of a conversation or ticket, newest first (the console's CSAT panel). */
export async function requestsOf(s: Db, workspaceId: string, type: SubjectType, id: string, now: Date) {
  const rows = await own(s.db)
    .selectFrom('csat_requests')
    .selectAll()
    .where('subject_type', '=', type)
    .where('subject_id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
  return rows.map((r): SubjectRequest => ({
    id: r.id,
    state: stateOf(r, now),
    byHand: r.requested_by !== null,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    rating: r.rated_at ? toRating(r) : null,
  }));
}

export type AgentCsat = {
  count: number;
  average: number | null;
  /** How many ratings of each score, 1 … 5. */
  distribution: [number, number, number, number, number];
  /** Share of ratings of 4 or 5 (the usual CSAT figure), 0–1. */
  satisfied: number | null;
  recent: Rating[];
};

/** An agent's figures since `from` (all time without): count, average, distribution, recent comments. */
export async function agentCsat(s: Db, workspaceId: string, agentId: string, from?: string): Promise<AgentCsat> {
  let base = own(s.db)
    .selectFrom('csat_requests')
    .where('workspace_id', '=', workspaceId)
    .where('agent_id', '=', agentId)
    .where('rated_at', 'is not', null);
  if (from) base = base.where('rated_at', '>=', from);
  const counts = await base
    .select(['score', sql<number>`count(*)`.as('n')])
    .groupBy('score')
    .execute();
  const distribution: AgentCsat['distribution'] = [0, 0, 0, 0, 0];
  for (const c of counts) if (c.score && c.score >= 1 && c.score <= 5) distribution[c.score - 1] = Number(c.n);
  const count = distribution.reduce((a, b) => a + b, 0);
  const sum = distribution.reduce((a, n, i) => a + n * (i + 1), 0);
  const recent = await base
    .selectAll()
    .where('comment', 'is not', null)
    .orderBy('rated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(10)
    .execute();
  return {
    count,
    average: count ? Math.round((sum / count) * 100) / 100 : null,
    distribution,
    satisfied: count ? Math.round(((distribution[3] + distribution[4]) / count) * 1000) / 1000 : null,
    recent: recent.map(toRating),
  };
}
