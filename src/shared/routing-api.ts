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
  /** Service level: the share of conversations answered (assigned) within this many seconds. */
  serviceLevelSeconds: z.number().int().min(1).max(3600).default(30),
  /** Shown to waiting shoppers (surge mode notice); empty: the widget's default wording. */
  notice: z.string().max(300).default(''),
});
export type RoutingRule = z.output<typeof RoutingRule>;

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
  serviceLevel: z.object({
    targetSeconds: z.number(),
    last15m: z.object({ answered: z.number(), withinTarget: z.number(), share: z.number().nullable() }),
    today: z.object({ answered: z.number(), withinTarget: z.number(), share: z.number().nullable() }),
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
});
export type WarRoom = z.infer<typeof WarRoom>;
