/**
 * The response schemas of the incidents, on-call, contract and penalty routes, for OpenAPI
 * (`/api/openapi.json`, `/api/docs`). They name the fields clients rely on; objects are loose so
 * a field added to a view is documented later rather than silently dropped by the serializer.
 * The ack links answer HTML pages, the statement also CSV, HTML or PDF by `format`.
 */
import { z } from 'zod';
import { incidentSeverities, incidentSources, incidentStates } from '../../../shared/incidents-api.ts';

const iso = z.string().describe('ISO 8601 instant');
const severity = z.enum(incidentSeverities);
const state = z.enum(incidentStates);

/** An incident as the list shows it (issue #12: the list's fields). */
export const IncidentItem = z.looseObject({
  id: z.string(),
  number: z.number().int(),
  severity,
  state,
  title: z.string(),
  source: z.enum(incidentSources),
  mode: z.enum(['real', 'drill']),
  declaredAt: iso,
  respondBy: iso,
  resolveBy: iso,
  acknowledgedAt: iso.nullable(),
  resolvedAt: iso.nullable(),
  workspaceIds: z.array(z.string()),
});
export const IncidentList = z.strictObject({ items: z.array(IncidentItem) });

const TimelineEntry = z.looseObject({
  id: z.string(),
  type: z.string(),
  at: iso,
  actorName: z.string().nullable(),
  public: z.boolean(),
  data: z.record(z.string(), z.unknown()),
});
const Target = z.looseObject({
  minutes: z.number(),
  dueAt: iso,
  fulfilledAt: iso.nullable(),
  breached: z.boolean(),
  warning: z.boolean(),
  remainingMs: z.number(),
});

const OnCallPerson = z.looseObject({
  userId: z.string().nullable(),
  name: z.string().nullable(),
  start: iso,
  end: iso,
});
/** Who the escalation policy's rotations call now and next, with when the shift changes (`now.end`). */
export const PolicyOnCall = z.looseObject({
  promotion: z.string().nullable(),
  rotations: z.array(
    z.looseObject({
      id: z.string(),
      name: z.string(),
      kind: z.string(),
      now: OnCallPerson.nullable().describe('null when nobody is on call'),
      next: OnCallPerson.nullable(),
    }),
  ),
});

/** One incident with its clocks (one per affected workspace the caller may see) and its timeline. */
export const IncidentDetail = IncidentItem.extend({
  description: z.string(),
  component: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  directorEngagedAt: iso.nullable(),
  version: z.number().int(),
  managed: z.boolean().describe('whether the caller’s workspace declared it (and so manages it)'),
  clocks: z.array(
    z.looseObject({
      workspaceId: z.string(),
      respondBy: iso,
      resolveBy: iso,
      promotion: z.string().nullable(),
      respond: Target,
      resolve: Target,
    }),
  ),
  timeline: z.array(TimelineEntry),
  onCall: PolicyOnCall.nullable().describe('null on an incident another workspace manages'),
});

export const ReportCreated = z.strictObject({ id: z.string(), number: z.number().int(), declaredAt: iso });
export const ReportedProblems = z.looseObject({
  supportLine: z.strictObject({ phone: z.string().nullable(), email: z.string().nullable() }),
  answerMinutes: z.number(),
  items: z.array(z.looseObject({ id: z.string(), number: z.number().int(), title: z.string(), state, respondBy: iso })),
});
export const DeclareOptions = z.looseObject({
  canNameOthers: z.boolean(),
  workspaces: z.array(z.looseObject({ id: z.string(), name: z.string() })),
  components: z.array(z.looseObject({ name: z.string(), title: z.string(), workspaceIds: z.array(z.string()) })),
  contracts: z.array(z.looseObject({ workspaceId: z.string(), configured: z.boolean() })),
});

const Channel = z.looseObject({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  enabled: z.boolean(),
  config: z.record(z.string(), z.unknown()).describe('secrets are shown as ••••••'),
});
export const ChannelView = Channel;
export const ChannelList = z.strictObject({ items: z.array(Channel) });
export const ChannelTest = z.strictObject({ ok: z.boolean(), error: z.string().nullable() });

export const ReviewView = z.looseObject({
  incident: z.looseObject({ id: z.string(), number: z.number().int(), title: z.string(), severity, state }),
  review: z.unknown().describe('the post-incident review, or null before one is written'),
  minutesToAcknowledge: z.number().nullable(),
  minutesToResolve: z.number().nullable(),
  timeline: z.array(TimelineEntry),
});
export const Overview = z.looseObject({
  open: z.number().int(),
  actionItems: z.array(z.looseObject({})),
  failedNotifications: z.array(
    z.looseObject({ incidentId: z.string(), channel: z.string(), error: z.string().nullable(), at: iso }),
  ),
  stats: z.unknown().describe('MTTA and MTTR (mean, median, p90, counts) per severity, month and workspace'),
  onCall: PolicyOnCall,
});

const Person = z.looseObject({ name: z.string() });
export const ContractView = z.looseObject({
  configured: z.boolean(),
  total: z.number(),
  currency: z.string(),
  term: z.looseObject({ start: iso, end: iso }),
  technicalDirector: Person.nullable(),
  contacts: z.array(Person),
  supportLine: z.looseObject({ phone: z.string().optional(), email: z.string().optional() }).optional(),
  effective: z.looseObject({}).describe('the terms in force: severity tables, promotion windows, penalty rules'),
});

export const Statement = z.looseObject({
  month: z.string(),
  configured: z.boolean(),
  currency: z.string(),
  total: z.number(),
  cap: z.number(),
  capScope: z.string(),
  ratePercentPerHour: z.number(),
  lines: z.array(
    z.looseObject({
      id: z.string(),
      number: z.number().int(),
      title: z.string(),
      severity,
      declaredAt: z.number().describe('epoch ms'),
      respondBy: z.number().describe('epoch ms'),
      acknowledgedAt: z.number().nullable().describe('epoch ms'),
      resolveBy: z.number().describe('epoch ms'),
      resolvedAt: z.number().nullable(),
      hoursOver: z.number(),
      deductionCents: z.number(),
      capApplied: z.boolean(),
      counted: z.boolean(),
    }),
  ),
  deduction: z.number(),
  capApplied: z.boolean(),
  termDeductionToDate: z.number(),
  signoffs: z.array(z.looseObject({ party: z.string().describe('merchant or vendor'), userName: z.string(), at: iso })),
});
/** `format=json` answers the statement; csv, html and pdf answer the file. */
export const StatementOrFile = z.union([Statement, z.string().describe('CSV, HTML or PDF (format=csv|html|pdf)')]);

/** The one-click acknowledgement page (HTML, works from a phone without signing in; 404/409/410 say why not). */
export const AckPage = z.string().describe('an HTML page');

const Rotation = z.looseObject({ id: z.string(), name: z.string(), kind: z.string() });
export const RotationView = Rotation;
export const OnCall = z.looseObject({ promotion: z.string().nullable(), rotations: z.array(Rotation) });
const Policy = z.looseObject({
  steps: z.array(z.looseObject({ notify: z.array(z.looseObject({ type: z.string() })), waitMinutes: z.number() })),
  repeat: z.number().int(),
  reackMinutes: z.number().int(),
});
export const EscalationView = z.strictObject({
  policy: Policy.nullable(),
  groups: z.array(z.strictObject({ id: z.string(), name: z.string() })),
});
export const EscalationSaved = z.strictObject({ policy: Policy });
