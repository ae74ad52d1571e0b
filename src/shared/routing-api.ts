/** HTTP schemas of routing: presence, capacity, skills, assignment rules, transfers, the war room. */
import { z } from 'zod';

export const strategyNames = ['least_busy', 'round_robin', 'skill_match', 'sticky'] as const;
export const chosenStatuses = ['online', 'busy', 'away'] as const;
export const presenceNames = ['online', 'busy', 'away', 'offline'] as const;

const id = z.string().min(1).max(64);
export const Skill = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[^,]+$/, 'no commas');

/** The assignment rule of a workspace (`*`) or of one inbox. */
export const RoutingRule = z.strictObject({
  enabled: z.boolean(),
  strategy: z.enum(strategyNames).default('least_busy'),
  /** Sticky: a returning shopper goes to their last agent within this many minutes (if online with room). */
  stickyMinutes: z.number().int().min(0).max(10_080).default(1440),
  /** Skills every agent of this inbox's conversations must have (languages, product lines, VIP …). */
  skills: z.array(Skill).max(20).default([]),
  groupId: id.nullable().default(null),
  /** After this wait the shopper is offered to leave a message or ask for a callback. */
  maxWaitSeconds: z.number().int().min(10).max(86_400).default(300),
  /** A page reload does not drop an agent's chats: offline only after this many seconds without a connection. */
  graceSeconds: z.number().int().min(0).max(3600).default(60),
  /** Capacity of agents who have none set yet. */
  defaultCapacityChat: z.number().int().min(1).max(100).default(5),
  defaultCapacityTicket: z.number().int().min(1).max(500).default(20),
  /** Priority boosts by customer tier (a VIP moves forward in the queue). */
  tierBoosts: z.record(z.string().min(1).max(40), z.number().int().min(0).max(100)).default({ vip: 10 }),
  /** Priority boost of a complaint (the bot's intent at hand-off, or one of the keywords in the shopper's words). */
  complaintBoost: z.number().int().min(0).max(100).default(20),
  complaintKeywords: z
    .array(z.string().trim().min(1).max(40))
    .max(50)
    .default(['投诉', '差评', '举报', '维权', '欺诈', 'complaint']),
  /**
   * Priority boosts by the value of the shopper's order (the store's order on the conversation, or
   * their latest): the largest boost whose `atLeast` (in the shop's currency) the order reaches.
   */
  orderValueBoosts: z
    .array(z.strictObject({ atLeast: z.number().min(0).max(10_000_000), boost: z.number().int().min(0).max(100) }))
    .max(10)
    .default([
      { atLeast: 500, boost: 5 },
      { atLeast: 2000, boost: 10 },
    ]),
  /** Service level: the share of conversations whose first human reply came within this many seconds of arrival. */
  serviceLevelSeconds: z.number().int().min(1).max(3600).default(30),
  /** Shown to waiting shoppers (surge mode notice); empty: the widget's default wording. */
  notice: z.string().max(300).default(''),
  /**
   * Tickets auto-assigned per group (workspace rule): a ticket of one of these groups that nobody
   * has is given by the same engine to a member of the group with ticket capacity, under this rule's strategy.
   */
  ticketGroups: z.array(id).max(100).default([]),
  /** Idle presence: an online agent without input in the console for this many minutes is set away (0: never). */
  awayAfterMinutes: z.number().int().min(0).max(480).default(10),
});
export type RoutingRule = z.output<typeof RoutingRule>;

/**
 * A group's own assignment policy: conversations and tickets waiting for the group (its inbox's
 * rule names it, or they were transferred to it) are given to its members under this strategy
 * instead of their inbox's. Disabled or absent: the inbox's (or workspace's) rule decides.
 */
export const GroupRule = z.strictObject({
  enabled: z.boolean(),
  strategy: z.enum(strategyNames).default('least_busy'),
  stickyMinutes: z.number().int().min(0).max(10_080).default(1440),
});
export type GroupRule = z.output<typeof GroupRule>;

/** GET /api/routing/rules: the workspace's rule, each inbox's and each group's. */
export type RoutingRules = {
  base: RoutingRule;
  byInbox: Record<string, RoutingRule>;
  byGroup: Record<string, GroupRule>;
};

export const AgentSettingsBody = z.strictObject({
  /** 0 or less is refused: an agent who should take nothing is set busy or away instead. */
  capacityChat: z.number().int().min(1, 'capacity must be at least 1 (set the agent busy instead)').max(100),
  capacityTicket: z.number().int().min(1, 'capacity must be at least 1 (set the agent busy instead)').max(500),
  skills: z.array(Skill).max(50),
});

export const StatusBody = z.strictObject({ status: z.enum(chosenStatuses) });

export const TransferBody = z
  .strictObject({
    agentId: id.optional(),
    groupId: id.optional(),
    reason: z.string().trim().max(500).optional(),
  })
  .refine((b) => !!b.agentId !== !!b.groupId, 'name exactly one of agentId or groupId');

export const RoutingAgent = z.object({
  userId: z.string(),
  name: z.string(),
  status: z.enum(chosenStatuses),
  presence: z.enum(presenceNames),
  presenceSince: z.string(),
  capacityChat: z.number(),
  capacityTicket: z.number(),
  loadChat: z.number(),
  loadTicket: z.number(),
  skills: z.array(z.string()),
  /** Names of the agent's groups. */
  groups: z.array(z.string()),
});
export type RoutingAgent = z.infer<typeof RoutingAgent>;

export const WaitingItem = z.object({
  id: z.string(),
  inboxId: z.string().nullable(),
  /** Names for people (the war room shows no raw ids); null when the inbox or group is gone. */
  inboxName: z.string().nullable(),
  groupId: z.string().nullable(),
  groupName: z.string().nullable(),
  position: z.number(),
  priority: z.number(),
  arrivedAt: z.string(),
  waitSeconds: z.number(),
  reason: z.string().nullable(),
  skills: z.array(z.string()),
});

/** A conversation routing (or a person) gave to an agent that no agent has answered yet. */
export const UnansweredItem = z.object({
  id: z.string(),
  inboxId: z.string().nullable(),
  inboxName: z.string().nullable(),
  agentId: z.string(),
  agentName: z.string().nullable(),
  arrivedAt: z.string(),
  assignedAt: z.string().nullable(),
  /** Since the shopper's arrival in the queue (what they have waited for a first human reply). */
  waitSeconds: z.number(),
  /** Since it was given to the agent. */
  assignedSeconds: z.number(),
});

export const WarRoom = z.object({
  at: z.string(),
  queue: z.object({ length: z.number(), longestWaitSeconds: z.number(), estimatedWaitSeconds: z.number().nullable() }),
  byInbox: z.array(
    z.object({
      inboxId: z.string().nullable(),
      inboxName: z.string().nullable(),
      length: z.number(),
      longestWaitSeconds: z.number(),
    }),
  ),
  byGroup: z.array(
    z.object({
      groupId: z.string().nullable(),
      groupName: z.string().nullable(),
      length: z.number(),
      longestWaitSeconds: z.number(),
    }),
  ),
  agents: z.array(RoutingAgent),
  waiting: z.array(WaitingItem),
  /** Assigned chats without a first human reply, longest wait first (the first 200; `unansweredCount` counts all). */
  unanswered: z.array(UnansweredItem),
  unansweredCount: z.number(),
  serviceLevel: z.object({
    targetSeconds: z.number(),
    /**
     * Chats that arrived in the period: answered (a first human reply), of them within the target,
     * missed (no reply after the target), abandoned (the shopper closed the widget while waiting
     * and did not come back; not in `missed`); share = within / (answered + missed + abandoned).
     */
    last15m: z.object({
      answered: z.number(),
      withinTarget: z.number(),
      missed: z.number(),
      abandoned: z.number(),
      share: z.number().nullable(),
    }),
    today: z.object({
      answered: z.number(),
      withinTarget: z.number(),
      missed: z.number(),
      abandoned: z.number(),
      share: z.number().nullable(),
    }),
  }),
  /** Conversations nobody can take (the supervisor is warned): worded by the console in the reader's language. */
  warnings: z.array(
    z.object({
      conversationId: z.string(),
      reason: z.enum(['missing_skill', 'empty_group']),
      skills: z.array(z.string()),
      inboxName: z.string().nullable(),
      groupName: z.string().nullable(),
    }),
  ),
  surge: z.lazy(() => SurgeState),
});
export type WarRoom = z.infer<typeof WarRoom>;

export const surgeModes = ['auto', 'on', 'off'] as const;
export const defaultSurgeNotice = '当前咨询量较大，客服正在逐一接待，请您耐心等待；也可以先留言，我们会尽快回复。';

const instant = z.iso.datetime({ offset: true });
/**
 * Surge mode for promotions (per workspace). `on`/`off`: by hand. `auto`: on inside a schedule
 * window, inside a promotion of the contract's calendar (618, Double 11, Double 12; incidents
 * module) when `promotions` is set, or while the queue is long: on at `queueAbove` waiting chats,
 * off again only at `queueBelow` or fewer (hysteresis: a queue hovering at the threshold does not
 * flap). While on: the bot answers first in inboxes where it is turned on (any mode) and hands
 * over what it cannot answer; shoppers see `notice`; the `deferInboxes` are served after all others.
 */
export const SurgeSettings = z
  .strictObject({
    mode: z.enum(surgeModes).default('auto'),
    schedule: z
      .array(
        z
          .strictObject({ start: instant, end: instant })
          .refine((w) => Date.parse(w.end) > Date.parse(w.start), 'a window must end after it starts'),
      )
      .max(50)
      .default([]),
    promotions: z.boolean().default(true),
    queueAbove: z.number().int().min(1).max(100_000).nullable().default(null),
    queueBelow: z.number().int().min(0).max(100_000).nullable().default(null),
    notice: z.string().trim().min(1).max(300).default(defaultSurgeNotice),
    deferInboxes: z.array(id).max(100).default([]),
  })
  .refine((s) => s.queueAbove === null || s.queueBelow === null || s.queueBelow < s.queueAbove, {
    message: 'queueBelow must be below queueAbove (the hysteresis)',
    path: ['queueBelow'],
  });
export type SurgeSettings = z.output<typeof SurgeSettings>;

export const SurgeState = z.object({
  active: z.boolean(),
  /** manual | schedule | promotion | queue (null when off). */
  reason: z.string().nullable(),
  /** The promotion's name when the calendar turned it on. */
  promotion: z.string().nullable(),
  since: z.string().nullable(),
  settings: SurgeSettings,
  deferInboxNames: z.array(z.string()),
});
export type SurgeState = z.infer<typeof SurgeState>;

/** Idle presence: the console reports input at most once a minute; this many minutes without any sets the agent away (0: never). */
export const ActivityBody = z.strictObject({});
