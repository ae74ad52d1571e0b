/**
 * The SLA clock engine: a pure function of (events, policy snapshot, calendar, now, profile).
 * Nothing is stored or counted incrementally: pauses are intervals read off the state history,
 * so the same inputs always give the same answer, a recomputation after a missed job is exact,
 * and a new policy (priority change) re-targets from the original start with the pauses kept.
 * The profile says what the states, events and targets are; this file knows none of them.
 * README.md in this folder states the semantics merchants and vendors argue from.
 */
import { badRequest } from '../../lib/errors.ts';
import { timelineOf, toEpochMs, type Calendar, type Instant, type Timeline } from '../../lib/time/index.ts';
import type { ClockEvent, ClockPolicy, ClockProfile, CyclesRule, OnceRule } from './profile.ts';

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
  /** Unfulfilled and the record is now in a pause state (or a done state). */
  paused: boolean;
  fulfilledAt: Date | null;
  /** = dueAt when breached: fulfilled after dueAt, or unfulfilled and now is after dueAt. */
  breachedAt: Date | null;
  breached: boolean;
  /** Unfulfilled, not breached, and past warnAt. */
  warning: boolean;
  /** 1 for a target measured once; the cycle's number for a cyclic one. */
  cycle: number;
  /** Earlier cycles of this target that were breached (cyclic targets only; else 0). */
  earlierBreaches: number;
};

export type ClockResult<S extends string = string, T extends string = string> = {
  now: Date;
  /** The state at `now`; null when the start event lies after `now`. */
  status: S | null;
  /** Only the policy's targets whose clock has started (next response starts with a customer's follow-up). */
  targets: Partial<Record<T, TargetClock>>;
};

type Ev<S extends string, E extends string> = { at: number; type: E; status?: S };
type Run<S extends string> = { from: number; status: S };
type Span = [number, number];
type Cycle = { start: number; end: number | null };

/**
 * Computes every target of `policy` for a record with history `events`, as of `now`, by the
 * rules of `profile`. Events after `now` are ignored (not known yet); events are sorted by
 * time, ties keep their input order; events before the first start event are ignored.
 */
export function computeClock<S extends string, E extends string, T extends string>(
  events: readonly ClockEvent<S, E>[],
  policy: ClockPolicy<S, T>,
  calendar: Calendar,
  now: Instant,
  profile: ClockProfile<S, E, T>,
): ClockResult<S, T> {
  const tz = calendar.timezone;
  const nowMs = toEpochMs(now, tz);
  const all: Ev<S, E>[] = events.map((e) => ({ at: toEpochMs(e.at, tz), type: e.type, status: e.status }));
  const sorted = all
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map((x) => x.e);
  const start = sorted.find((e) => e.type === profile.startEvent);
  if (!start) throw badRequest(`the history has no "${profile.startEvent}" event`);
  if (start.at > nowMs) return { now: new Date(nowMs), status: null, targets: {} };
  const history = sorted.filter((e) => e.at >= start.at && e.at <= nowMs);

  const runs = stateRuns(start, history, profile.initialState);
  const stopSet = new Set<S>([...(policy.pauseStatuses ?? profile.defaultPauseStates), ...profile.doneStates]);
  const status = runs[runs.length - 1].status;
  const ctx: EvalCtx = {
    line: timelineOf(calendar, { businessHours: policy.businessHours }),
    stops: stopSpans(runs, stopSet),
    now: nowMs,
    pausedNow: stopSet.has(status),
    warnAtShare: policy.warnAtShare,
  };
  const found: Found<S, E> = { history, runs };

  const targets: ClockResult<S, T>['targets'] = {};
  for (const rule of profile.targets) {
    const minutes = policy.targets[rule.name];
    if (minutes === undefined) continue;
    const cycles = rule.kind === 'once' ? onceCycle(rule, found) : cyclesOf(rule, start.at, found);
    if (!cycles.length) continue;
    const targetMs = Math.round(minutes * 60_000);
    const earlierBreaches = cycles.slice(0, -1).filter((c) => evaluate(ctx, c, targetMs).breached).length;
    targets[rule.name] = {
      ...evaluate(ctx, cycles[cycles.length - 1], targetMs),
      cycle: cycles.length,
      earlierBreaches,
    };
  }
  return { now: new Date(nowMs), status, targets };
}

/** What the target rules read: the known history (sorted, from the start event to now) and its state runs. */
type Found<S extends string, E extends string> = { history: Ev<S, E>[]; runs: Run<S>[] };

/** Consecutive runs of one state, from the start event; a state set twice at one instant keeps the last. */
function stateRuns<S extends string, E extends string>(start: Ev<S, E>, history: Ev<S, E>[], initial: S): Run<S>[] {
  const runs = [{ from: start.at, status: start.status ?? initial }];
  for (const e of history) {
    if (e === start || !e.status) continue;
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

/** Maximal intervals in stopped states; the last one is open (Infinity) if still stopped. */
function stopSpans<S extends string>(runs: Run<S>[], stopSet: Set<S>): Span[] {
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

/**
 * When a `whileIn` fulfilment holds now: the start of the current run of those states (but not
 * before the cycle's start), or null when the state now is not one of them.
 */
function whileInSince<S extends string>(
  runs: Run<S>[],
  states: readonly S[] | undefined,
  notBefore: number,
): number | null {
  if (!states?.length || !states.includes(runs[runs.length - 1].status)) return null;
  let i = runs.length - 1;
  while (i > 0 && states.includes(runs[i - 1].status)) i--;
  return Math.max(runs[i].from, notBefore);
}

/** The single cycle of a target measured once; none before its start event. */
function onceCycle<S extends string, E extends string>(rule: OnceRule<S, E>, { history, runs }: Found<S, E>): Cycle[] {
  const begin = history.find((e) => e.type === rule.startsOn)?.at;
  if (begin === undefined) return [];
  const { events, reaching, whileIn } = rule.fulfilledBy;
  const ends: number[] = [];
  const byEvent = events?.length ? history.find((e) => e.at >= begin && events.includes(e.type)) : null;
  if (byEvent) ends.push(byEvent.at);
  if (reaching?.length) {
    // The run in force at `begin`, or a later one: the state is reached no earlier than the start.
    const i = runs.findIndex((r, k) => reaching.includes(r.status) && (runs[k + 1]?.from ?? Infinity) > begin);
    if (i >= 0) ends.push(Math.max(runs[i].from, begin));
  }
  const since = whileInSince(runs, whileIn, begin);
  if (since !== null) ends.push(since);
  return [{ start: begin, end: ends.length ? Math.min(...ends) : null }];
}

/** The cycles of a cyclic target, in order; the last one may be open. */
function cyclesOf<S extends string, E extends string>(
  rule: CyclesRule<S, E>,
  startAt: number,
  { history, runs }: Found<S, E>,
): Cycle[] {
  const has = (list: readonly E[] | undefined, type: E) => !!list?.includes(type);
  const cycles: Cycle[] = [];
  let open: number | null = rule.opensAtStart ? startAt : null;
  let armed = !rule.armedBy?.length;
  for (const e of history) {
    if (has(rule.restartsOn, e.type)) {
      if (open !== null) cycles.push({ start: open, end: e.at });
      open = e.at;
    } else if (has(rule.closesOn, e.type)) {
      if (open !== null) cycles.push({ start: open, end: e.at });
      open = null;
    } else if (has(rule.opensOn, e.type) && armed && open === null) {
      open = e.at;
    }
    if (has(rule.armedBy, e.type)) armed = true;
  }
  if (open !== null) cycles.push({ start: open, end: whileInSince(runs, rule.whileIn, open) });
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
export function nextCheckAt(result: ClockResult, now: Instant = result.now): Date | null {
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
