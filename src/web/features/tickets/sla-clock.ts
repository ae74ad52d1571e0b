/**
 * The live reading of an SLA clock between two server recomputations: the server's state says
 * when each target is due (and whether it is paused or fulfilled); the console counts down to
 * that instant every second. Pure functions, so they are tested without a browser.
 */
import type { SlaState, TargetState } from './api.ts';
import { targetNames, type TargetName } from './model.ts';

export type LiveKind = 'running' | 'warning' | 'breached' | 'paused' | 'fulfilled' | 'fulfilledLate';
/** `ms`: time left (running, warning), overdue (breached), or the budget left in counted time (paused). */
export type Live = { kind: LiveKind; ms: number };

export function liveTarget(target: TargetState, now: number): Live {
  if (target.fulfilledAt) return { kind: target.breached ? 'fulfilledLate' : 'fulfilled', ms: 0 };
  if (target.paused) return { kind: 'paused', ms: Math.max(0, target.remainingMinutes * 60_000) };
  const due = Date.parse(target.dueAt);
  // A reply at the due instant is still on time: breached from the next millisecond.
  if (now > due || target.breached) return { kind: 'breached', ms: Math.max(0, now - due) };
  const warnAt = target.warnAt ? Date.parse(target.warnAt) : null;
  const warning = target.warning || (warnAt !== null && now >= warnAt);
  return { kind: warning ? 'warning' : 'running', ms: due - now };
}

export type NextDeadline = { target: TargetName; live: Live } | null;

/**
 * What a list row shows: the running target due first; else a paused one; else how the
 * fulfilled targets went. Null when the ticket has no SLA (or no clock has started).
 */
export function nextDeadline(sla: SlaState | null, now: number): NextDeadline {
  if (!sla) return null;
  const entries = targetNames
    .filter((name) => sla.targets[name])
    .map((name) => ({ target: name, state: sla.targets[name], live: liveTarget(sla.targets[name], now) }));
  if (!entries.length) return null;
  const running = entries.filter((e) => ['running', 'warning', 'breached'].includes(e.live.kind));
  if (running.length) {
    const first = running.reduce((a, b) => (Date.parse(b.state.dueAt) < Date.parse(a.state.dueAt) ? b : a));
    return { target: first.target, live: first.live };
  }
  const paused = entries.filter((e) => e.live.kind === 'paused');
  if (paused.length) {
    const least = paused.reduce((a, b) => (b.live.ms < a.live.ms ? b : a));
    return { target: least.target, live: least.live };
  }
  const late = entries.find((e) => e.live.kind === 'fulfilledLate');
  return late ? { target: late.target, live: late.live } : { target: entries[0].target, live: entries[0].live };
}

export type Span = { days: number; hours: number; minutes: number; seconds: number };

/** Whole days, hours, minutes, seconds of a duration (rounded down). */
export function span(ms: number): Span {
  const total = Math.floor(Math.max(0, ms) / 1000);
  return {
    days: Math.floor(total / 86_400),
    hours: Math.floor((total % 86_400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
  };
}

export type SpanText = { key: 'seconds' | 'minutes' | 'hours' | 'hoursMinutes' | 'days' | 'daysHours'; values: Span };

/** The one or two units worth saying: "45 秒", "12 分钟", "3 小时 5 分", "4 小时", "2 天 3 小时". */
export function spanText(ms: number): SpanText {
  const s = span(ms);
  if (s.days > 0) return { key: s.hours ? 'daysHours' : 'days', values: s };
  if (s.hours > 0) return { key: s.minutes ? 'hoursMinutes' : 'hours', values: s };
  if (s.minutes > 0) return { key: 'minutes', values: s };
  return { key: 'seconds', values: s };
}

/** A colour for a reading: red when breached, orange when warning, grey when paused, green when met. */
export const liveColors: Record<LiveKind, string> = {
  running: 'blue',
  warning: 'orange',
  breached: 'red',
  paused: 'default',
  fulfilled: 'green',
  fulfilledLate: 'volcano',
};
