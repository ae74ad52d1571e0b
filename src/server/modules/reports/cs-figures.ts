/**
 * The customer-service figures (docs/REPORTS.md states every definition): a pure function of a
 * period and its conversations and ratings. The monthly CS report, the console and the audit CLI
 * (`kefu report compute`) all call `computeCsFigures`, so the three can never disagree.
 */
import { businessTimeBetween, type Calendar } from '../../lib/time/index.ts';

export type CsMessage = { at: number; from: 'customer' | 'agent' | 'bot'; agentId?: string | null };
export type CsConversation = {
  id: string;
  createdAt: number;
  messages: readonly CsMessage[];
  resolvedAt: readonly number[];
  reopenedAt: readonly number[];
};
export type CsRating = { conversationId: string; score: number; at: number };
export type CsInput = {
  period: { start: number; end: number };
  conversations: readonly CsConversation[];
  ratings: readonly CsRating[];
};
export type Distribution = { count: number; p50: number | null; p90: number | null };
export type CsFigures = {
  frt: Distribution;
  resolution: Distribution;
  /** Percent 0–100 with two decimals; null when nothing was created in the period. */
  resolutionRate: number | null;
  /** Percent 0–100 with two decimals; null when nothing was first resolved in the period. */
  fcr: number | null;
  csat: { count: number; percent: number | null };
};
/** What each figure counted, for drilling from a figure to the conversations behind it. */
export type CsMembers = {
  frt: string[];
  resolved: string[];
  created: string[];
  createdResolved: string[];
  fcr: string[];
};

/** Nearest rank: the value at rank ⌈p/100 · n⌉ (1-based) of the ascending values; null when empty. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  // p·n is an integer for integer p, so the division is exact whenever the result is whole.
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** num/den as a percentage rounded half-up to two decimals; null for an empty denominator. */
export function percent(num: number, den: number): number | null {
  if (den === 0) return null;
  // Exact for integers: a tie k + 0.5 is representable, so Math.round rounds it up.
  return Math.round((num * 10_000) / den) / 100;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: nearestRank(sorted, 50), p90: nearestRank(sorted, 90) };
}

const inPeriod = (t: number, p: CsInput['period']) => t >= p.start && t < p.end;

type FirstResponse = { askedAt: number; repliedAt: number; agentId: string } | null;
/**
 * A monthly report asks for each conversation's first response eight times (the figures, the
 * previous month's, business hours, four breakdowns): answered once per messages list (its
 * identity and length, so a list grown since is read again).
 */
const firstResponses = new WeakMap<CsConversation, { messages: readonly CsMessage[]; n: number; r: FirstResponse }>();

/** First shopper message and the first agent (human) message at or after it; bots never count. */
export function firstResponse(c: CsConversation): FirstResponse {
  const known = firstResponses.get(c);
  if (known && known.messages === c.messages && known.n === c.messages.length) return known.r;
  const r = firstResponseOf(c);
  firstResponses.set(c, { messages: c.messages, n: c.messages.length, r });
  return r;
}

function firstResponseOf(c: CsConversation): FirstResponse {
  const msgs = [...c.messages].sort((a, b) => a.at - b.at);
  const asked = msgs.find((m) => m.from === 'customer');
  if (!asked) return null;
  const reply = msgs.find((m) => m.from === 'agent' && m.at >= asked.at);
  return reply ? { askedAt: asked.at, repliedAt: reply.at, agentId: reply.agentId ?? '' } : null;
}

const firstResolution = (c: CsConversation) => (c.resolvedAt.length ? Math.min(...c.resolvedAt) : null);

/** Resolved at `t` when the latest resolution or reopening before `t` is a resolution. */
export function resolvedAtInstant(c: CsConversation, t: number): boolean {
  const lastResolved = Math.max(-Infinity, ...c.resolvedAt.filter((x) => x < t));
  const lastReopened = Math.max(-Infinity, ...c.reopenedAt.filter((x) => x < t));
  return lastResolved > -Infinity && lastResolved >= lastReopened;
}

/** Distinct agents who wrote in the conversation (a message without agentId counts as one unknown agent). */
export function agentsOf(c: CsConversation): Set<string> {
  return new Set(c.messages.filter((m) => m.from === 'agent').map((m) => m.agentId ?? ''));
}

export function computeCsMembers(input: CsInput): CsMembers & { frtSeconds: number[]; resolutionSeconds: number[] } {
  const { period } = input;
  const m: CsMembers & { frtSeconds: number[]; resolutionSeconds: number[] } = {
    frt: [],
    resolved: [],
    created: [],
    createdResolved: [],
    fcr: [],
    frtSeconds: [],
    resolutionSeconds: [],
  };
  for (const c of input.conversations) {
    const fr = firstResponse(c);
    if (fr && inPeriod(fr.repliedAt, period)) {
      m.frt.push(c.id);
      m.frtSeconds.push((fr.repliedAt - fr.askedAt) / 1000);
    }
    const first = firstResolution(c);
    if (first !== null && inPeriod(first, period)) {
      m.resolved.push(c.id);
      m.resolutionSeconds.push((first - c.createdAt) / 1000);
      if (c.reopenedAt.length === 0 && agentsOf(c).size === 1) m.fcr.push(c.id);
    }
    if (inPeriod(c.createdAt, period)) {
      m.created.push(c.id);
      if (resolvedAtInstant(c, period.end)) m.createdResolved.push(c.id);
    }
  }
  return m;
}

export function computeCsFigures(input: CsInput): CsFigures {
  return csFiguresOf(input, computeCsMembers(input));
}

/** The figures from the members `computeCsMembers(input)` gave (callers that need both compute the members once). */
export function csFiguresOf(input: CsInput, m: ReturnType<typeof computeCsMembers>): CsFigures {
  const ratings = input.ratings.filter((r) => inPeriod(r.at, input.period));
  return {
    frt: distribution(m.frtSeconds),
    resolution: distribution(m.resolutionSeconds),
    resolutionRate: percent(m.createdResolved.length, m.created.length),
    fcr: percent(m.fcr.length, m.resolved.length),
    csat: { count: ratings.length, percent: percent(ratings.filter((r) => r.score >= 4).length, ratings.length) },
  };
}

/**
 * The two times in business hours of each conversation's calendar (the SLA engine's timeline):
 * same conversations as `frt` and `resolution`, elapsed working time instead of wall time.
 */
export function businessHoursTimes(
  input: CsInput,
  calendarOf: (c: CsConversation) => Calendar,
): { frt: Distribution; resolution: Distribution } {
  const frt: number[] = [];
  const resolution: number[] = [];
  for (const c of input.conversations) {
    const fr = firstResponse(c);
    if (fr && inPeriod(fr.repliedAt, input.period))
      frt.push(businessTimeBetween(calendarOf(c), fr.askedAt, fr.repliedAt) / 1000);
    const first = firstResolution(c);
    if (first !== null && inPeriod(first, input.period))
      resolution.push(businessTimeBetween(calendarOf(c), c.createdAt, first) / 1000);
  }
  return { frt: distribution(frt), resolution: distribution(resolution) };
}

/**
 * The figures per group (channel, inbox, agent, team…): conversations go to the group `keyOf`
 * gives them, ratings follow their conversation (ratings of unknown conversations go to no group).
 */
export function computeCsBreakdown(
  input: CsInput,
  keyOf: (c: CsConversation) => string | null,
): { key: string; figures: CsFigures }[] {
  const groups = new Map<string, CsConversation[]>();
  const keyById = new Map<string, string>();
  for (const c of input.conversations) {
    const key = keyOf(c);
    if (key === null) continue;
    keyById.set(c.id, key);
    const list = groups.get(key) ?? [];
    list.push(c);
    groups.set(key, list);
  }
  // Ratings to their conversation's group in one pass (in their order), not one pass per group.
  const ratings = new Map<string, CsRating[]>();
  for (const r of input.ratings) {
    const key = keyById.get(r.conversationId);
    if (key === undefined) continue;
    const list = ratings.get(key);
    if (list) list.push(r);
    else ratings.set(key, [r]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, conversations]) => ({
      key,
      figures: computeCsFigures({ period: input.period, conversations, ratings: ratings.get(key) ?? [] }),
    }));
}
