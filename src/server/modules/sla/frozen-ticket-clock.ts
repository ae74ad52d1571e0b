/**
 * TEST-ONLY. A frozen copy of the ticket SLA clock as it was before the engine became generic
 * (commit ba95f60, `src/server/modules/sla/clock.ts`), kept so that `ticket-equivalence.property.test.ts`
 * can prove the generic engine with the ticket profile gives exactly the same results. Do not
 * edit it to follow the engine: it is the reference. Only the imports, this comment and the
 * names of the two exported functions differ from the original; the constants the original
 * imported from `policy.ts` are copied in below.
 */
import { badRequest } from '../../lib/errors.ts';
import { timelineOf, toEpochMs, type Calendar, type Instant, type Timeline } from '../../lib/time/index.ts';
import type { SlaEvent, SlaPolicy, TargetName, TicketStatus } from './ticket-profile.ts';

const doneStatuses: readonly TicketStatus[] = ['solved', 'closed'];
const defaultPauseStatuses: TicketStatus[] = ['pending', 'on_hold'];

export type TargetClock = {
  /** When this target's (current cycle's) clock started; counting begins at the next opening. */
  startedAt: Date;
  targetMs: number;
  /** When the budget runs out. While paused: as if the pause ended now (it moves while paused). */
  dueAt: Date;
  /** When `warnAtShare` of the budget is used; null without `warnAtShare`. */
  warnAt: Date | null;
  /** Counted time (business or calendar per policy) from start to fulfilment or now, pauses excluded. */
  elapsedMs: number;
  /** targetMs − elapsedMs; negative when overdue. */
  remainingMs: number;
  /** Unfulfilled and the ticket is now in a pause status (or solved/closed). */
  paused: boolean;
  fulfilledAt: Date | null;
  /** = dueAt when breached: fulfilled after dueAt, or unfulfilled and now is after dueAt. */
  breachedAt: Date | null;
  breached: boolean;
  /** Unfulfilled, not breached, and past warnAt. */
  warning: boolean;
  /** 1 for first response and resolution; the cycle's number for next response / periodic update. */
  cycle: number;
  /** Earlier cycles of this target that were breached (cyclic targets only; else 0). */
  earlierBreaches: number;
};

export type ClockResult = {
  now: Date;
  /** The ticket's status at `now`; null when it was not created yet. */
  status: TicketStatus | null;
  /** Only the policy's targets whose clock has started (next response starts with a customer's follow-up). */
  targets: Partial<Record<TargetName, TargetClock>>;
};

type Ev = { at: number; type: SlaEvent['type']; status?: TicketStatus };
type Span = [number, number];
type Cycle = { start: number; end: number | null };

/**
 * Computes every target of `policy` for a ticket with history `events`, as of `now`.
 * Events after `now` are ignored (not known yet); events are sorted by time, ties keep their
 * input order; events before the first `created` are ignored.
 */
export function frozenComputeClock(
  events: readonly SlaEvent[],
  policy: SlaPolicy,
  calendar: Calendar,
  now: Instant,
): ClockResult {
  const tz = calendar.timezone;
  const nowMs = toEpochMs(now, tz);
  const all: Ev[] = events.map((e) => ({ at: toEpochMs(e.at, tz), type: e.type, status: e.status }));
  const sorted = all
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map((x) => x.e);
  const created = sorted.find((e) => e.type === 'created');
  if (!created) throw badRequest('the history has no "created" event');
  if (created.at > nowMs) return { now: new Date(nowMs), status: null, targets: {} };
  const history = sorted.filter((e) => e.at >= created.at && e.at <= nowMs);

  const runs = statusRuns(created, history);
  const stopSet = new Set<TicketStatus>([...(policy.pauseStatuses ?? defaultPauseStatuses), ...doneStatuses]);
  const stops = stopSpans(runs, stopSet);
  const status = runs[runs.length - 1].status;
  const doneSince = doneStatuses.includes(status) ? trailingRunStart(runs, (s) => doneStatuses.includes(s)) : null;

  const ctx: EvalCtx = {
    line: timelineOf(calendar, { businessHours: policy.businessHours }),
    stops,
    now: nowMs,
    pausedNow: stopSet.has(status),
    warnAtShare: policy.warnAtShare,
  };
  const agentReplies = history.filter((e) => e.type === 'agent_reply').map((e) => e.at);
  const cyclesOf: Record<TargetName, () => Cycle[]> = {
    firstResponse: () => [{ start: created.at, end: agentReplies[0] ?? null }],
    resolution: () => [{ start: created.at, end: doneSince }],
    nextResponse: () => nextResponseCycles(history),
    periodicUpdate: () => {
      const starts = [created.at, ...agentReplies];
      return starts.map((start, i) => ({
        start,
        end: starts[i + 1] ?? (doneSince === null ? null : Math.max(doneSince, start)),
      }));
    },
  };

  const targets: ClockResult['targets'] = {};
  for (const name of ['firstResponse', 'nextResponse', 'periodicUpdate', 'resolution'] as const) {
    const minutes = policy.targets[name];
    if (minutes === undefined) continue;
    const cycles = cyclesOf[name]();
    if (!cycles.length) continue;
    const targetMs = Math.round(minutes * 60_000);
    const earlierBreaches = cycles.slice(0, -1).filter((c) => evaluate(ctx, c, targetMs).breached).length;
    targets[name] = { ...evaluate(ctx, cycles[cycles.length - 1], targetMs), cycle: cycles.length, earlierBreaches };
  }
  return { now: new Date(nowMs), status, targets };
}

/** Consecutive runs of one status, from creation; a status set twice at one instant keeps the last. */
function statusRuns(created: Ev, history: Ev[]): { from: number; status: TicketStatus }[] {
  const runs = [{ from: created.at, status: created.status ?? ('new' as TicketStatus) }];
  for (const e of history) {
    if (e === created || !e.status) continue;
    const last = runs[runs.length - 1];
    if (e.status === last.status) continue;
    if (e.at === last.from) {
      runs.pop();
      const prev = runs[runs.length - 1];
      if (prev && prev.status === e.status) continue;
    }
    runs.push({ from: e.at, status: e.status });
  }
  return runs;
}

/** Maximal intervals in stopped statuses; the last one is open (Infinity) if still stopped. */
function stopSpans(runs: { from: number; status: TicketStatus }[], stopSet: Set<TicketStatus>): Span[] {
  const out: Span[] = [];
  runs.forEach((r, i) => {
    if (!stopSet.has(r.status)) return;
    const to = runs[i + 1]?.from ?? Infinity;
    const last = out[out.length - 1];
    if (last && last[1] === r.from) last[1] = to;
    else out.push([r.from, to]);
  });
  return out;
}

function trailingRunStart(runs: { from: number; status: TicketStatus }[], pred: (s: TicketStatus) => boolean): number {
  let i = runs.length - 1;
  while (i > 0 && pred(runs[i - 1].status)) i--;
  return runs[i].from;
}

/**
 * Next-response cycles: after the first agent reply, the first customer reply with no open
 * cycle opens one (later customer replies do not restart it); the next agent reply closes it.
 */
function nextResponseCycles(history: Ev[]): Cycle[] {
  const cycles: Cycle[] = [];
  let responded = false;
  let open: number | null = null;
  for (const e of history) {
    if (e.type === 'agent_reply') {
      if (open !== null) cycles.push({ start: open, end: e.at });
      open = null;
      responded = true;
    } else if (e.type === 'customer_reply' && responded && open === null) {
      open = e.at;
    }
  }
  if (open !== null) cycles.push({ start: open, end: null });
  return cycles;
}

type EvalCtx = { line: Timeline; stops: Span[]; now: number; pausedNow: boolean; warnAtShare?: number };

function evaluate(ctx: EvalCtx, cycle: Cycle, targetMs: number): Omit<TargetClock, 'cycle' | 'earlierBreaches'> {
  const { line } = ctx;
  const start = cycle.start;
  const end = cycle.end ?? ctx.now;
  // Pauses that matter: those inside [start, end). After the end the clock is treated as running,
  // which gives a fulfilled target its deadline as it stood, and a paused one its projection.
  const pauses: Span[] = [];
  for (const [p, q] of ctx.stops) {
    const lo = Math.max(p, start);
    const hi = Math.min(q, end);
    if (hi > lo) pauses.push([lo, hi]);
  }
  const elapsedMs = Math.max(
    0,
    line.between(start, end) - pauses.reduce((sum, [lo, hi]) => sum + line.between(lo, hi), 0),
  );

  const reach = (budget: number): number => {
    let from = start;
    for (const [lo, hi] of pauses) {
      const avail = line.between(from, lo);
      if (budget <= avail) return line.add(from, budget);
      budget -= avail;
      from = hi;
    }
    return line.add(from, budget);
  };
  const dueAt = reach(targetMs);
  const warnAt = ctx.warnAtShare === undefined ? null : reach(Math.max(1, Math.round(targetMs * ctx.warnAtShare)));
  const fulfilled = cycle.end !== null;
  const breached = fulfilled ? (cycle.end as number) > dueAt : ctx.now > dueAt;
  return {
    startedAt: new Date(start),
    targetMs,
    dueAt: new Date(dueAt),
    warnAt: warnAt === null ? null : new Date(warnAt),
    elapsedMs,
    remainingMs: targetMs - elapsedMs,
    paused: !fulfilled && ctx.pausedNow,
    fulfilledAt: fulfilled ? new Date(cycle.end as number) : null,
    breachedAt: breached ? new Date(dueAt) : null,
    breached,
    warning: !fulfilled && !breached && warnAt !== null && ctx.now >= warnAt,
  };
}

/**
 * The earliest instant after `now` at which the result changes by the passage of time alone:
 * a running target's warning (at warnAt) or breach (1 ms after dueAt, since the due instant
 * itself is still on time). Paused and fulfilled targets change only with new events, which
 * recompute the clock anyway. Null when nothing is pending.
 */
export function frozenNextCheckAt(result: ClockResult, now: Instant = result.now): Date | null {
  const t = toEpochMs(now, 'UTC');
  let best = Infinity;
  for (const c of Object.values(result.targets)) {
    if (!c || c.fulfilledAt || c.paused) continue;
    if (c.warnAt && c.warnAt.getTime() > t) best = Math.min(best, c.warnAt.getTime());
    const breachAt = c.dueAt.getTime() + 1;
    if (breachAt > t) best = Math.min(best, breachAt);
  }
  return best === Infinity ? null : new Date(best);
}
