/** HTTP schemas of tickets (工单), SLA policies, calendars, groups, custom fields, views and macros. */
import { z } from 'zod';
import { Cursor, SearchInfo } from './search.ts';

export const ticketStatuses = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export const TicketStatus = z.enum(ticketStatuses);
export type TicketStatus = z.infer<typeof TicketStatus>;
export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export const Priority = z.enum(priorities);
export type Priority = z.infer<typeof Priority>;
export const defaultTicketTypes = ['inquiry', 'after_sales', 'complaint', 'logistics', 'invoice', 'other'] as const;
/** phone and email values are personal information: stored encrypted and masked like a customer's. */
export const fieldTypes = ['text', 'number', 'select', 'date', 'order_number', 'phone', 'email'] as const;
export const targetNames = ['firstResponse', 'nextResponse', 'periodicUpdate', 'resolution'] as const;

const id = z.string().min(1).max(64);
const tag = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[^,\s][^,]*$/, 'no commas');
const orderNo = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{4,40}$/, 'an order number: 4–40 letters, digits or dashes');

export const TargetState = z.object({
  dueAt: z.string(),
  warnAt: z.string().nullable(),
  elapsedMinutes: z.number(),
  remainingMinutes: z.number(),
  paused: z.boolean(),
  fulfilledAt: z.string().nullable(),
  breachedAt: z.string().nullable(),
  breached: z.boolean(),
  warning: z.boolean(),
});
export const SlaState = z.object({
  policyId: z.string(),
  policyName: z.string(),
  businessHours: z.boolean(),
  computedAt: z.string(),
  targets: z.record(z.string(), TargetState),
  nextDeadlineAt: z.string().nullable(),
});
export type SlaState = z.infer<typeof SlaState>;

export const Ticket = z.object({
  id: z.string(),
  number: z.number(),
  subject: z.string(),
  status: TicketStatus,
  priority: Priority,
  type: z.string(),
  groupId: z.string().nullable(),
  assigneeId: z.string().nullable(),
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  conversationId: z.string().nullable(),
  channel: z.string(),
  orderNo: z.string().nullable(),
  tags: z.array(z.string()),
  fields: z.record(z.string(), z.unknown()),
  version: z.number(),
  mergedIntoId: z.string().nullable(),
  sla: SlaState.nullable(),
  firstResponseAt: z.string().nullable(),
  solvedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Ticket = z.infer<typeof Ticket>;

export const CreateTicketBody = z.strictObject({
  subject: z.string().trim().min(1).max(200),
  description: z.string().max(20000).optional(),
  priority: Priority.default('normal'),
  type: z.string().max(40).default('inquiry'),
  status: z.enum(['new', 'open', 'pending', 'on_hold']).default('new'),
  groupId: id.nullable().optional(),
  assigneeId: id.nullable().optional(),
  customerId: id.nullable().optional(),
  conversationId: id.optional(),
  orderNo: orderNo.nullable().optional(),
  tags: z.array(tag).max(20).default([]),
  fields: z.record(z.string(), z.unknown()).default({}),
});
export const UpdateTicketBody = z.strictObject({
  /** The version the client last saw: a stale one is refused with 409. */
  version: z.number().int().min(1),
  subject: z.string().trim().min(1).max(200).optional(),
  status: TicketStatus.optional(),
  priority: Priority.optional(),
  type: z.string().max(40).optional(),
  groupId: id.nullable().optional(),
  assigneeId: id.nullable().optional(),
  orderNo: orderNo.nullable().optional(),
  tags: z.array(tag).max(20).optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
});
export const TicketReplyBody = z.strictObject({
  body: z.string().trim().min(1).max(20000),
  /** false: an internal note. */
  public: z.boolean().default(true),
  /** Optionally set the status with the reply (e.g. reply and set pending). */
  status: TicketStatus.optional(),
  attachments: z.array(z.strictObject({ id })).max(10).optional(),
});
export const MergeBody = z.strictObject({ intoId: id });
export const TicketQuery = z.strictObject({
  view: z.enum(['all', 'mine', 'unassigned', 'breaching_soon']).default('all'),
  status: z.union([TicketStatus, z.literal('unsolved')]).optional(),
  priority: Priority.optional(),
  type: z.string().max(40).optional(),
  groupId: id.optional(),
  assigneeId: id.optional(),
  tag: z.string().max(40).optional(),
  q: z.string().trim().max(100).optional(),
  sort: z.enum(['updated', 'created', 'priority', 'deadline']).default('updated'),
  /** From the previous page's `nextCursor` (same filters and sort). */
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
/** A page of the ticket list; `search` says how a `q` was answered (text search lists newest first). */
export const TicketPage = z.object({
  items: z.array(Ticket),
  nextCursor: z.string().nullable(),
  search: SearchInfo.nullable(),
});
export const BulkBody = z.strictObject({
  ids: z.array(id).min(1).max(200),
  set: z.strictObject({
    status: TicketStatus.optional(),
    priority: Priority.optional(),
    assigneeId: id.nullable().optional(),
    groupId: id.nullable().optional(),
    addTags: z.array(tag).max(10).optional(),
  }),
});

export const TimelineEntry = z.object({
  id: z.string(),
  type: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable(), name: z.string().nullable() }),
  body: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

// ---- configuration ----
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');
export const CalendarDefinition = z.strictObject({
  timezone: z.string().min(1).max(64),
  hours: z.partialRecord(
    z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']),
    z.array(z.tuple([hhmm, hhmm])).max(6),
  ),
  holidays: z.union([z.literal('CN'), z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).max(400)]).default('CN'),
  overrides: z
    .array(
      z.strictObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), hours: z.array(z.tuple([hhmm, hhmm])).max(6) }),
    )
    .max(400)
    .default([]),
});
export const CalendarBody = z.strictObject({ name: z.string().trim().min(1).max(100), definition: CalendarDefinition });
export const Calendar = z.object({
  id: z.string(),
  name: z.string(),
  definition: CalendarDefinition,
  createdAt: z.string(),
});

const minutes = z
  .number()
  .int()
  .min(1)
  .max(60 * 24 * 365);
export const SlaPolicyBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  conditions: z
    .strictObject({
      priorities: z.array(Priority).max(4).optional(),
      types: z.array(z.string().max(40)).max(20).optional(),
      channels: z.array(z.string().max(40)).max(20).optional(),
      groupIds: z.array(id).max(50).optional(),
      tags: z.array(tag).max(20).optional(),
      customerTiers: z.array(z.string().max(40)).max(10).optional(),
    })
    .default({}),
  targets: z.strictObject({
    firstResponse: minutes.optional(),
    nextResponse: minutes.optional(),
    periodicUpdate: minutes.optional(),
    resolution: minutes.optional(),
  }),
  businessHours: z.boolean().default(true),
  pauseStatuses: z.array(TicketStatus).max(6).default(['pending', 'on_hold']),
  warnAtShare: z.number().gt(0).lt(1).default(0.75),
  calendarId: id,
  escalation: z
    .strictObject({ raisePriority: z.boolean().default(true), reassignTo: id.nullable().default(null) })
    .default({ raisePriority: true, reassignTo: null }),
});
export const SlaPolicyRow = SlaPolicyBody.extend({ id: z.string(), position: z.number(), createdAt: z.string() });
export const ReorderBody = z.strictObject({ ids: z.array(id).min(1).max(200) });

export const GroupBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  supervisorId: id.nullable().default(null),
  memberIds: z.array(id).max(500).default([]),
});
export const FieldBody = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lowercase letters, digits, underscores'),
  label: z.string().trim().min(1).max(100),
  type: z.enum(fieldTypes),
  options: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
  requiredOnSolve: z.boolean().default(false),
});
export const TypeBody = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  names: z.strictObject({ 'zh-CN': z.string().trim().min(1).max(40), en: z.string().trim().min(1).max(40) }),
});
/** A saved view keeps only the filters the user chose (no defaults filled in). */
export const ViewBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  shared: z.boolean().default(false),
  query: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .refine((q) => TicketQuery.safeParse(q).success, 'not a valid ticket filter'),
});
export const MacroBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  actions: z.strictObject({
    status: TicketStatus.optional(),
    priority: Priority.optional(),
    type: z.string().max(40).optional(),
    groupId: id.nullable().optional(),
    assigneeId: z
      .union([id, z.literal('me')])
      .nullable()
      .optional(),
    addTags: z.array(tag).max(10).optional(),
    reply: z.strictObject({ body: z.string().trim().min(1).max(20000), public: z.boolean().default(true) }).optional(),
  }),
});
export const ApplyMacroBody = z.strictObject({ version: z.number().int().min(1) });
