/**
 * The contract's penalty terms and the incident records the ledger reads, as zod schemas shared
 * by the server (a workspace's contract row) and the audit CLI (`contract.json`, one incident per
 * line of `incidents.jsonl`). Times are ISO-8601 text; without an offset they are read in the
 * contract's time zone (Asia/Shanghai unless it says otherwise). Rules: README.md here.
 */
import { z } from 'zod';
import { dayNumber, isValidTimeZone, localToInstant, parseInstant } from '../../../lib/time/index.ts';
import { problemsOf } from '../../../lib/validation.ts';
import { minutesSchema } from '../../sla/index.ts';

export const severities = ['P1', 'P2', 'P3'] as const;

const promotionZone = 'Asia/Shanghai';
/** A local time in Beijing (the promotions' and the default contract's zone), as ISO text. */
export const shanghai = (y: number, m: number, d: number, minute = 0) =>
  new Date(localToInstant(promotionZone, dayNumber(y, m, d), minute)).toISOString();

/** The big promotions of a year, in Beijing time: JD 618, Double 11 (from the 20:00 pre-sale), Double 12. */
export function defaultPromotions(year: number): { name: string; start: string; end: string }[] {
  return [
    { name: '618', start: shanghai(year, 6, 1), end: shanghai(year, 6, 19) },
    { name: '双11', start: shanghai(year, 10, 31, 20 * 60), end: shanghai(year, 11, 12) },
    { name: '双12', start: shanghai(year, 12, 10), end: shanghai(year, 12, 13) },
  ];
}

const yearIn = (ms: number) =>
  Number(new Intl.DateTimeFormat('en', { timeZone: promotionZone, year: 'numeric' }).format(ms));

/** The default promotions of every year a term touches (what a contract that names none gets). */
export function promotionsOfTerm(term: { start: number; end: number }): { name: string; start: string; end: string }[] {
  const out = [];
  for (let y = yearIn(term.start); y <= yearIn(term.end); y++) out.push(...defaultPromotions(y));
  return out;
}
export type Severity = (typeof severities)[number];

export const roundings = ['per_started_hour', 'whole_hours', 'pro_rata'] as const;
export type Rounding = (typeof roundings)[number];

export const capScopes = ['term', 'month', 'incident'] as const;
export type CapScope = (typeof capScopes)[number];

export type Targets = { respond: number; resolve: number };
export type SeverityTable = Record<Severity, Targets>;

/** The contract's grading (requirements §3): respond / resolve in minutes. */
export const defaultSeverityTable: SeverityTable = {
  P1: { respond: 15, resolve: 120 },
  P2: { respond: 30, resolve: 240 },
  P3: { respond: 60, resolve: 480 },
};

/** Inside a promotion window P1 tightens to 10 min / 1 h (二(四)2); P2 and P3 keep their targets. */
export const defaultPromotionTable: Partial<SeverityTable> = { P1: { respond: 10, resolve: 60 } };

const targetsSchema = z.strictObject({ respond: minutesSchema, resolve: minutesSchema });
const tableSchema = z.strictObject({
  P1: targetsSchema.optional(),
  P2: targetsSchema.optional(),
  P3: targetsSchema.optional(),
});

const isoText = z.string().min(1, 'an ISO-8601 date-time is required');

/** At most `places` decimals: money in cents, rates in 1/10 000 of a percent. */
const decimals = (places: number) => (n: number) => Math.abs(Math.round(n * 10 ** places) - n * 10 ** places) < 1e-6;

export const promotionSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  start: isoText,
  end: isoText,
});

export const contractSchema = z.strictObject({
  /** The contract total the percentages are of, in currency units with at most 2 decimals. */
  total: z.number().positive().max(1e12).refine(decimals(2), 'at most 2 decimals (cents)'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as "CNY"')
    .default('CNY'),
  term: z.strictObject({ start: isoText, end: isoText }),
  /** Month boundaries (cap scope `month`, monthly statements) and times without an offset. */
  timezone: z.string().refine(isValidTimeZone, 'unknown time zone').default('Asia/Shanghai'),
  rounding: z.enum(roundings).default('per_started_hour'),
  capScope: z.enum(capScopes).default('term'),
  /** Deducted per hour over, as a percentage of the total (0.5 = 0.5 %). */
  ratePercentPerHour: z.number().min(0).max(100).refine(decimals(4), 'at most 4 decimals').default(0.5),
  /** The most that may be deducted within one cap scope, as a percentage of the total. */
  capPercent: z.number().min(0).max(100).refine(decimals(4), 'at most 4 decimals').default(5),
  /** Response breaches deduct too (at the same rate and rounding); by default they are only listed. */
  responseDeducts: z.boolean().default(false),
  /** Overrides of the default severity table, per severity. */
  severities: tableSchema.optional(),
  /** Overrides of the targets inside promotion windows (default: P1 10 / 60 min). */
  promotionSeverities: tableSchema.optional(),
  /** The promotion windows; omitted: 618, Double 11 and Double 12 of every year the term touches. An empty list: none. */
  promotions: z.array(promotionSchema).max(200).optional(),
});

export type ContractInput = z.input<typeof contractSchema>;
export type ContractFile = z.output<typeof contractSchema>;

/** A contract with its times parsed (epoch ms) and its tables filled in: what the ledger computes with. */
export type Contract = Omit<ContractFile, 'term' | 'promotions' | 'severities' | 'promotionSeverities'> & {
  term: { start: number; end: number };
  promotions: { name: string; start: number; end: number }[];
  severities: SeverityTable;
  promotionSeverities: Partial<SeverityTable>;
};

/**
 * Parses a contract: every problem at once, each with its path. Times must be valid and each
 * window (term, promotions) must end after it starts; times are checked even when the schema
 * fails elsewhere, so one run lists every problem.
 */
export function parseContract(input: unknown): { ok: true; value: Contract } | { ok: false; problems: string[] } {
  const r = contractSchema.safeParse(input);
  const problems = r.success ? [] : problemsOf(r.error);
  const raw = recordOf(input);
  const zone = r.success ? r.data.timezone : validZoneOr(raw.timezone, 'Asia/Shanghai');
  const window = (w: unknown, where: string) => {
    const o = recordOf(w);
    const start = instantOf(o.start, zone, `${where}.start`, problems);
    const end = instantOf(o.end, zone, `${where}.end`, problems);
    if (start !== null && end !== null && end <= start) problems.push(`${where}: end must be after start`);
    return start !== null && end !== null ? { start, end } : null;
  };
  const term = window(raw.term, 'term');
  const promotions = Array.isArray(raw.promotions)
    ? raw.promotions.map((p: unknown, i) => window(p, `promotions[${i}]`))
    : null;
  if (!r.success || problems.length || !term) return { ok: false, problems };
  const c = r.data;
  return {
    ok: true,
    value: {
      ...c,
      term,
      promotions: c.promotions
        ? c.promotions.map((p, i) => ({ name: p.name, ...promotions![i]! }))
        : promotionsOfTerm(term).map((p) => ({ name: p.name, start: Date.parse(p.start), end: Date.parse(p.end) })),
      severities: { ...defaultSeverityTable, ...definedOf(c.severities) },
      promotionSeverities: { ...defaultPromotionTable, ...definedOf(c.promotionSeverities) },
    },
  };
}

const recordOf = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

const validZoneOr = (v: unknown, fallback: string) => (typeof v === 'string' && isValidTimeZone(v) ? v : fallback);

/**
 * A time field read from the raw input: null when it is absent or not a non-empty string (the
 * schema reports those), or when it does not parse (reported here, with its path).
 */
function instantOf(v: unknown, zone: string, where: string, problems: string[]): number | null {
  if (typeof v !== 'string' || v === '') return null;
  const ms = parseInstant(v, zone);
  if (ms === null) problems.push(`${where}: ${JSON.stringify(v)} is not an ISO-8601 date-time`);
  return ms;
}

const definedOf = <T extends object>(t: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(t ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;

export const incidentRecordSchema = z.strictObject({
  id: z.string().trim().min(1).max(200),
  severity: z.enum(severities),
  declaredAt: isoText,
  acknowledgedAt: isoText.optional(),
  /** Absent while the incident is open (the server's statements); the CLI requires it. */
  resolvedAt: isoText.optional(),
  mode: z.enum(['real', 'drill']).default('real'),
  /** A cancelled incident (false alarm) is neither on time nor late: it deducts nothing. */
  cancelled: z.boolean().default(false),
  /** The targets copied onto the incident at declaration (the server passes them); else from the contract. */
  targets: targetsSchema.optional(),
});

export type IncidentRecordInput = z.input<typeof incidentRecordSchema>;

/** An incident as the ledger reads it, times in epoch ms. */
export type IncidentRecord = {
  id: string;
  severity: Severity;
  declaredAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
  mode: 'real' | 'drill';
  cancelled: boolean;
  targets?: Targets;
};

/**
 * Parses one incident record in the contract's zone; problems carry field paths. Times and their
 * order are checked even when the schema fails elsewhere, so one run lists every problem.
 */
export function parseIncidentRecord(
  input: unknown,
  timezone: string,
): { ok: true; value: IncidentRecord } | { ok: false; problems: string[] } {
  const r = incidentRecordSchema.safeParse(input);
  const problems = r.success ? [] : problemsOf(r.error);
  const raw = recordOf(input);
  const declaredAt = instantOf(raw.declaredAt, timezone, 'declaredAt', problems);
  const acknowledgedAt = instantOf(raw.acknowledgedAt, timezone, 'acknowledgedAt', problems);
  const resolvedAt = instantOf(raw.resolvedAt, timezone, 'resolvedAt', problems);
  if (declaredAt !== null) {
    if (acknowledgedAt !== null && acknowledgedAt < declaredAt) problems.push('acknowledgedAt: before declaredAt');
    if (resolvedAt !== null && resolvedAt < declaredAt) problems.push('resolvedAt: before declaredAt');
  }
  if (acknowledgedAt !== null && resolvedAt !== null && acknowledgedAt > resolvedAt)
    problems.push('acknowledgedAt: after resolvedAt (a resolved incident cannot be acknowledged)');
  if (!r.success || problems.length || declaredAt === null) return { ok: false, problems };
  const d = r.data;
  return {
    ok: true,
    value: {
      id: d.id,
      severity: d.severity,
      declaredAt,
      acknowledgedAt,
      resolvedAt,
      mode: d.mode,
      cancelled: d.cancelled,
      ...(d.targets ? { targets: d.targets } : {}),
    },
  };
}
