/** Incidents, the contract and the penalty statements: request and response schemas (server and console). */
import { z } from 'zod';

export const incidentSeverities = ['P1', 'P2', 'P3'] as const;
export type IncidentSeverity = (typeof incidentSeverities)[number];
export const incidentStates = ['triggered', 'acknowledged', 'mitigated', 'resolved', 'closed', 'cancelled'] as const;
export type IncidentStateName = (typeof incidentStates)[number];
/** `merchant`: reported by the merchant's staff on the "report a problem" page (the support line). */
export const incidentSources = ['alert', 'console', 'merchant', 'api'] as const;
export type IncidentSource = (typeof incidentSources)[number];
/** `open` = not yet resolved, closed or cancelled. */
export const incidentStateFilters = ['open', ...incidentStates] as const;

const title = z.string().trim().min(1).max(200);
const text = z.string().trim().max(10_000);
const isoDateTime = z.iso.datetime({ offset: true });

export const IncidentListQuery = z.strictObject({
  state: z
    .string()
    .max(200)
    .refine(
      (v) => v.split(',').every((x) => (incidentStateFilters as readonly string[]).includes(x)),
      `one or more (comma-separated) of ${incidentStateFilters.join(', ')}`,
    )
    .optional(),
  mode: z.enum(['real', 'drill']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const DeclareIncidentBody = z.strictObject({
  title,
  description: text.default(''),
  severity: z.enum(incidentSeverities),
  mode: z.enum(['real', 'drill']).default('real'),
  component: z.string().trim().min(1).max(100).optional(),
  /** Affected workspaces (the installation owner may name others); default: this workspace. */
  workspaceIds: z.array(z.string().min(1).max(64)).min(1).max(100).optional(),
  /** When it started, if before now (a fault noticed late); default now. */
  declaredAt: isoDateTime.optional(),
});

export const ReportProblemBody = z.strictObject({
  title,
  description: text.min(1),
  severity: z.enum(incidentSeverities).default('P3'),
  contact: z.string().trim().max(200).default(''),
});

export const TransitionBody = z.strictObject({
  to: z.enum(incidentStates),
  /** The version read; a stale one gets 409. Optional: the state itself is compared-and-set. */
  version: z.number().int().positive().max(2_147_483_647).optional(),
  note: text.optional(),
});

export const UpdateIncidentBody = z.strictObject({
  version: z.number().int().positive().max(2_147_483_647),
  severity: z.enum(incidentSeverities).optional(),
  title: title.optional(),
  description: text.optional(),
});

export const NoteBody = z.strictObject({ body: text.min(1), public: z.boolean().default(false) });

const targets = z.strictObject({
  respond: z.number().int().min(1).max(100_000),
  resolve: z.number().int().min(1).max(100_000),
});
const person = z.strictObject({
  name: z.string().trim().min(1).max(100),
  phone: z.string().trim().max(40).optional(),
  email: z.email().max(200).optional(),
  userId: z.string().max(64).optional(),
});

/** A support line's number as people write it: 400-800-1234, +86 10 8888 6666, (021) 5555-1234 (the console checks the same). */
export const supportPhonePattern = /^\+?[\d(][\d ()-]{2,38}\d$/;
const supportPhoneMessage = 'a phone number: digits, spaces, -, ( ) and a leading +, 4 to 40 characters';
export const ContractBody = z.strictObject({
  total: z.number().positive().max(1e12),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('CNY'),
  term: z.strictObject({ start: isoDateTime, end: isoDateTime }),
  timezone: z.string().max(64).default('Asia/Shanghai'),
  rounding: z.enum(['per_started_hour', 'whole_hours', 'pro_rata']).default('per_started_hour'),
  capScope: z.enum(['term', 'month', 'incident']).default('term'),
  ratePercentPerHour: z.number().min(0).max(100).default(0.5),
  capPercent: z.number().min(0).max(100).default(5),
  responseDeducts: z.boolean().default(false),
  severities: z.strictObject({ P1: targets, P2: targets, P3: targets }).optional(),
  promotionSeverities: z
    .strictObject({ P1: targets.optional(), P2: targets.optional(), P3: targets.optional() })
    .optional(),
  promotions: z
    .array(z.strictObject({ name: z.string().trim().min(1).max(100), start: isoDateTime, end: isoDateTime }))
    .max(200)
    .optional(),
  technicalDirector: person.nullable().default(null),
  contacts: z.array(person).max(20).default([]),
  /** The vendor's support line (contract §7): shown on the merchant's "report a problem" page. */
  supportLine: z
    .strictObject({
      phone: z.string().trim().regex(supportPhonePattern, supportPhoneMessage).optional(),
      email: z.email().max(200).optional(),
    })
    .optional(),
});
export type ContractBodyInput = z.input<typeof ContractBody>;

export const MonthParam = z.strictObject({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM') });
/** A merchant workspace whose statement the vendor (installation ops) reads or signs; default: the caller's own. */
const statementWorkspaceId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a workspace id')
  .optional();
export const StatementWorkspaceQuery = z.strictObject({ workspace: statementWorkspaceId });
export const StatementQuery = z.strictObject({
  format: z.enum(['json', 'csv', 'html', 'pdf']).default('json'),
  workspace: statementWorkspaceId,
});
export const SignOffBody = z.strictObject({ party: z.enum(['merchant', 'vendor']) });

export type IncidentClockView = {
  workspaceId: string;
  respondBy: string;
  resolveBy: string;
  promotion: string | null;
  respond: TargetView;
  resolve: TargetView;
  /** The targets of every severity as copied at declaration (a severity change re-targets with these). */
  table: Record<IncidentSeverity, { respond: number; resolve: number }>;
};
export type TargetView = {
  minutes: number;
  dueAt: string;
  fulfilledAt: string | null;
  breached: boolean;
  warning: boolean;
  remainingMs: number;
};

export type IncidentView = {
  id: string;
  number: number;
  severity: IncidentSeverity;
  state: IncidentStateName;
  title: string;
  description: string;
  source: IncidentSource;
  mode: 'real' | 'drill';
  component: string | null;
  declaredAt: string;
  respondBy: string;
  resolveBy: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  mitigatedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  directorEngagedAt: string | null;
  workspaceIds: string[];
  version: number;
};

export type TimelineEntry = {
  id: string;
  type: string;
  at: string;
  actorName: string | null;
  public: boolean;
  data: Record<string, unknown>;
};

/** The ops overview: MTTA/MTTR of the incidents affecting one workspace only, when given. */
export const OverviewQuery = z.strictObject({ workspaceId: z.string().min(1).max(64).optional() });

/** Severity targets (minutes) of a contract: as they stand now, outside and inside a promotion. */
export type SeverityTargets = Record<IncidentSeverity, { respond: number; resolve: number }>;
export type ContractDefinitions = {
  workspaceId: string;
  configured: boolean;
  /** The targets in force now (a promotion window applied). */
  now: SeverityTargets;
  base: SeverityTargets;
  /** The tightened targets inside a promotion window (only the severities the contract tightens). */
  promotion: Partial<SeverityTargets>;
  /** The promotion window in force now, or the next one. */
  activePromotion: { name: string; start: string; end: string } | null;
  nextPromotion: { name: string; start: string; end: string } | null;
};
/** What the console's declaration form offers. */
export type DeclareOptions = {
  /** Whether the actor may name workspaces other than its own. */
  canNameOthers: boolean;
  workspaces: { id: string; name: string }[];
  components: { name: string; title: string; titleEn: string; workspaceIds: string[] }[];
  contracts: ContractDefinitions[];
};
/** A problem the merchant reported, as its staff see it. */
export type ReportedProblem = {
  id: string;
  number: number;
  title: string;
  description: string;
  severity: IncidentSeverity;
  state: IncidentStateName;
  reportedBy: string | null;
  declaredAt: string;
  /** The support line's answer deadline (30 min at most) and when it was answered. */
  respondBy: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  updates: { at: string; body: string }[];
};
export type ReportedProblems = {
  supportLine: { phone: string | null; email: string | null };
  answerMinutes: number;
  items: ReportedProblem[];
};

/** The root-cause categories of a post-incident review (the review form and the monthly ops report). */
export const rootCauseCategories = [
  'software',
  'infrastructure',
  'network',
  'third_party',
  'capacity',
  'configuration',
  'human',
  'unknown',
] as const;
