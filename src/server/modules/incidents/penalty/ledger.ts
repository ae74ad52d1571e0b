/**
 * The penalty ledger: a pure function of (contract, incidents, now). Each incident's respond and
 * resolve deadlines come from the shared SLA clock engine (incident profile, 7×24 calendar in
 * the contract's zone) with the targets in force at declaration (promotion windows tighten P1).
 * Money is computed in integer cents with BigInt, rounded half up once per incident, so a ledger
 * recomputed anywhere (server, audit CLI) gives the same figures to the cent. README.md here.
 */
import { alwaysOpenCalendar, isoDateOfDay, localDayOf } from '../../../lib/time/index.ts';
import { computeClock, incidentPolicySchema, incidentProfile, type IncidentEvent } from '../../sla/index.ts';
import type { Contract, IncidentRecord, Severity, Targets } from './contract.ts';

const HOUR = 3_600_000n;
/** Percentages are carried as integers of 1/10 000 of a percent. */
const PCT = 10_000;

export type LedgerLine = {
  id: string;
  severity: Severity;
  mode: 'real' | 'drill';
  /** The promotion window the incident was declared in, if any (its targets were tightened). */
  promotion: string | null;
  targets: Targets;
  declaredAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
  respondBy: number;
  resolveBy: number;
  /** Responded (acknowledged, or resolved unacknowledged) after respondBy; null while unanswered. */
  respondBreached: boolean | null;
  respondMsOver: number;
  resolveBreached: boolean | null;
  resolveMsOver: number;
  /** Hours over the resolve deadline after rounding (pro rata: exact fraction). */
  hoursOver: number;
  /** Hours over the respond deadline after rounding; they deduct only with `responseDeducts`. */
  respondHoursOver: number;
  /** Whether the incident counts for penalties: real, resolved, not cancelled, declared within the term. */
  counted: boolean;
  /** Why it does not count, when it does not. */
  excluded: 'drill' | 'cancelled' | 'open' | 'outside_term' | null;
  /** Before the cap, in cents. */
  rawCents: number;
  /** After the cap, in cents. */
  deductionCents: number;
  /** The cap reduced this incident's deduction. */
  capApplied: boolean;
  /** The cap bucket: "term", the month (YYYY-MM of resolution in the contract's zone), or the id. */
  capBucket: string;
  /** YYYY-MM of resolution (or declaration while open) in the contract's zone: its statement's month. */
  month: string;
};

export type Ledger = {
  currency: string;
  totalCents: number;
  capCents: number;
  lines: LedgerLine[];
  deductionCents: number;
  capApplied: boolean;
};

const pctOf = (percent: number) => Math.round(percent * PCT);

/** a × b / c for non-negative bigints, rounded half up. */
const mulDivHalfUp = (a: bigint, b: bigint, c: bigint): bigint => (a * b * 2n + c) / (2n * c);

export const toCents = (amount: number): number => Math.round(amount * 100);
export const fromCents = (cents: number): number => cents / 100;

/** YYYY-MM of an instant in a zone. */
export function monthOf(timezone: string, ms: number): string {
  return isoDateOfDay(localDayOf(timezone, ms)).slice(0, 7);
}

/** The targets in force for an incident declared at `at`: its own snapshot, else the contract's (promotion-tightened). */
export function targetsAt(
  contract: Contract,
  severity: Severity,
  at: number,
): { targets: Targets; promotion: string | null } {
  const promo = contract.promotions.find((p) => at >= p.start && at < p.end) ?? null;
  const tightened = promo ? contract.promotionSeverities[severity] : undefined;
  return { targets: tightened ?? contract.severities[severity], promotion: tightened && promo ? promo.name : null };
}

/** Hours over after rounding, as a fraction num / den of an hour. */
function hoursFraction(msOver: number, rounding: Contract['rounding']): { num: bigint; den: bigint } {
  const ms = BigInt(Math.max(0, msOver));
  if (rounding === 'pro_rata') return { num: ms, den: HOUR };
  const whole = ms / HOUR;
  const started = ms % HOUR === 0n ? whole : whole + 1n;
  return { num: rounding === 'whole_hours' ? whole : started, den: 1n };
}

const hoursNumber = ({ num, den }: { num: bigint; den: bigint }) => Number(num) / Number(den);

function clockOf(contract: Contract, r: IncidentRecord, targets: Targets, now: number) {
  const events: IncidentEvent[] = [{ at: new Date(r.declaredAt), type: 'declared' }];
  if (r.acknowledgedAt !== null)
    events.push({ at: new Date(r.acknowledgedAt), type: 'status', status: 'acknowledged' });
  if (r.resolvedAt !== null) events.push({ at: new Date(r.resolvedAt), type: 'status', status: 'resolved' });
  else if (r.cancelled) events.push({ at: new Date(Math.max(r.declaredAt, now)), type: 'status', status: 'cancelled' });
  const policy = incidentPolicySchema.parse({ targets });
  const end = Math.max(now, r.declaredAt, r.acknowledgedAt ?? 0, r.resolvedAt ?? 0);
  return computeClock(events, policy, alwaysOpenCalendar(contract.timezone), new Date(end), incidentProfile);
}

/**
 * The ledger of a contract: one line per incident (in the order deductions accrue: by
 * resolution, then declaration, then id) and the totals. `now` only matters for open incidents
 * (they are listed, deduct nothing until resolved).
 */
export function computeLedger(contract: Contract, incidents: readonly IncidentRecord[], now = Date.now()): Ledger {
  const totalCents = BigInt(toCents(contract.total));
  const rate = BigInt(pctOf(contract.ratePercentPerHour));
  const hundredPct = BigInt(100 * PCT);
  const capCents = mulDivHalfUp(totalCents, BigInt(pctOf(contract.capPercent)), hundredPct);
  const deduct = (h: { num: bigint; den: bigint }) => mulDivHalfUp(totalCents, rate * h.num, hundredPct * h.den);

  const ordered = [...incidents].sort(
    (a, b) =>
      (a.resolvedAt ?? Infinity) - (b.resolvedAt ?? Infinity) ||
      a.declaredAt - b.declaredAt ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const used = new Map<string, bigint>();
  let anyCap = false;
  let sum = 0n;
  const lines = ordered.map((r): LedgerLine => {
    const { targets: contractTargets, promotion } = targetsAt(contract, r.severity, r.declaredAt);
    const targets = r.targets ?? contractTargets;
    const clock = clockOf(contract, r, targets, now);
    const respond = clock.targets.respond!;
    const resolve = clock.targets.resolve!;
    const respondMsOver = respond.fulfilledAt ? Math.max(0, -respond.remainingMs) : 0;
    const resolveMsOver = resolve.fulfilledAt ? Math.max(0, -resolve.remainingMs) : 0;
    const over = hoursFraction(resolveMsOver, contract.rounding);
    const respondOver = hoursFraction(respondMsOver, contract.rounding);
    const excluded =
      r.mode === 'drill'
        ? 'drill'
        : r.cancelled
          ? 'cancelled'
          : r.resolvedAt === null
            ? 'open'
            : r.declaredAt < contract.term.start || r.declaredAt >= contract.term.end
              ? 'outside_term'
              : null;
    const raw = excluded ? 0n : deduct(over) + (contract.responseDeducts ? deduct(respondOver) : 0n);
    const month = monthOf(contract.timezone, r.resolvedAt ?? r.declaredAt);
    const capBucket =
      contract.capScope === 'term' ? 'term' : contract.capScope === 'month' ? month : `incident:${r.id}`;
    const before = used.get(capBucket) ?? 0n;
    const room = capCents > before ? capCents - before : 0n;
    const deduction = raw < room ? raw : room;
    const capApplied = deduction < raw;
    anyCap ||= capApplied;
    used.set(capBucket, before + deduction);
    sum += deduction;
    return {
      id: r.id,
      severity: r.severity,
      mode: r.mode,
      promotion: r.targets ? null : promotion,
      targets,
      declaredAt: r.declaredAt,
      acknowledgedAt: r.acknowledgedAt,
      resolvedAt: r.resolvedAt,
      respondBy: respond.dueAt.getTime(),
      resolveBy: resolve.dueAt.getTime(),
      respondBreached: respond.fulfilledAt ? respond.breached : null,
      respondMsOver,
      resolveBreached: resolve.fulfilledAt ? resolve.breached : null,
      resolveMsOver,
      hoursOver: hoursNumber(over),
      respondHoursOver: hoursNumber(respondOver),
      counted: excluded === null,
      excluded,
      rawCents: Number(raw),
      deductionCents: Number(deduction),
      capApplied,
      capBucket,
      month,
    };
  });
  return {
    currency: contract.currency,
    totalCents: Number(totalCents),
    capCents: Number(capCents),
    lines,
    deductionCents: Number(sum),
    capApplied: anyCap,
  };
}

export type Statement = {
  from: number;
  to: number;
  lines: LedgerLine[];
  deductionCents: number;
  capApplied: boolean;
};

/**
 * The statement of a period [from, to): the ledger's lines whose incidents were resolved in it
 * (or, open, declared in it), with the cap as it stood over the whole ledger. Later incidents
 * never change an earlier line (lines are in resolution order and the cap is consumed in that
 * order), so the statements of consecutive periods add up to the term's total.
 */
export function statementOf(ledger: Ledger, from: number, to: number): Statement {
  const lines = ledger.lines.filter((l) => {
    const at = l.resolvedAt ?? l.declaredAt;
    return at >= from && at < to;
  });
  return {
    from,
    to,
    lines,
    deductionCents: lines.reduce((s, l) => s + l.deductionCents, 0),
    capApplied: lines.some((l) => l.capApplied),
  };
}
