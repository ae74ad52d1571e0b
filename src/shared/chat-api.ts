/** HTTP schemas of live chat: inboxes, the widget's public endpoints, conversations, canned replies, customers. */
import { z } from 'zod';
import { maxMessageChars } from './realtime/protocol.ts';
import { Cursor, SearchInfo } from './search.ts';
import { labelColors } from './labels.ts';
import { preChatOrderNoMax, preChatOrderNoPattern } from './pre-chat.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');
export const WeekHours = z.strictObject({
  mon: z.array(z.tuple([hhmm, hhmm])).default([]),
  tue: z.array(z.tuple([hhmm, hhmm])).default([]),
  wed: z.array(z.tuple([hhmm, hhmm])).default([]),
  thu: z.array(z.tuple([hhmm, hhmm])).default([]),
  fri: z.array(z.tuple([hhmm, hhmm])).default([]),
  sat: z.array(z.tuple([hhmm, hhmm])).default([]),
  sun: z.array(z.tuple([hhmm, hhmm])).default([]),
});

export const PreChatField = z.enum(['name', 'phone', 'email', 'orderNo']);
export const InboxSettings = z.strictObject({
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .default('#1677ff'),
  greeting: z
    .strictObject({ 'zh-CN': z.string().max(500), en: z.string().max(500) })
    .default({ 'zh-CN': '您好！有什么可以帮您？', en: 'Hi! How can we help?' }),
  offlineMessage: z.strictObject({ 'zh-CN': z.string().max(500), en: z.string().max(500) }).default({
    'zh-CN': '我们现在不在线，请留言，我们会尽快回复。',
    en: "We're away right now. Leave a message and we'll get back to you.",
  }),
  preChat: z
    .strictObject({
      enabled: z.boolean().default(false),
      fields: z.array(PreChatField).max(4).default(['name']),
      required: z.array(PreChatField).max(4).default([]),
    })
    .default({ enabled: false, fields: ['name'], required: [] }),
  /** null = always open. */
  businessHours: z
    .strictObject({ timezone: z.string().min(1).max(64), hours: WeekHours })
    .nullable()
    .default(null),
  /** Origins allowed to embed the widget, e.g. https://shop.example.com. */
  allowedOrigins: z
    .array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin like https://shop.example.com'))
    .max(50)
    .default([]),
  /** Any site may embed the widget: an explicit choice (not recommended), never the default. */
  allowAnyOrigin: z.boolean().default(false),
  /** When true, only shoppers with a valid identity hash may chat as a known user. */
  requireIdentity: z.boolean().default(false),
});
export type InboxSettings = z.infer<typeof InboxSettings>;

export const Inbox = z.object({
  id: z.string(),
  publicId: z.string(),
  name: z.string(),
  channel: z.literal('web'),
  settings: InboxSettings,
  /** Only for roles with settings.manage: the HMAC key for identity verification. */
  identitySecret: z.string().optional(),
  embedSnippet: z.string(),
  createdAt: z.string(),
});
export type Inbox = z.infer<typeof Inbox>;
/** An inbox says where its widget may be embedded: the shop's origins, or explicitly any site. */
export const originsChosen = (s: { allowedOrigins?: string[]; allowAnyOrigin?: boolean } | undefined): boolean =>
  !!s && (!!s.allowedOrigins?.length || s.allowAnyOrigin === true);
export const originsMessage =
  "give the shop's origins (settings.allowedOrigins, e.g. https://shop.example.com), or set settings.allowAnyOrigin";
export const CreateInboxBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    settings: InboxSettings.partial().optional(),
  })
  .refine((b) => originsChosen(b.settings), { message: originsMessage, path: ['settings', 'allowedOrigins'] });

export const UpdateInboxBody = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  settings: InboxSettings.partial().optional(),
});
export const InboxList = z.object({ items: z.array(Inbox) });

// ---- widget (public, per inbox public id) ----
export const WidgetConfig = z.object({
  inboxId: z.string(),
  name: z.string(),
  color: z.string(),
  greeting: z.object({ 'zh-CN': z.string(), en: z.string() }),
  offlineMessage: z.object({ 'zh-CN': z.string(), en: z.string() }),
  preChat: InboxSettings.shape.preChat,
  online: z.boolean(),
  withinBusinessHours: z.boolean(),
  /** The bot answers a new message in this inbox now: the chat stays open even while agents are away. */
  bot: z.boolean(),
  /** While the bot answers: its greeting script (话术) per language, shown instead of the inbox's greeting. */
  botGreeting: z.object({ 'zh-CN': z.string(), en: z.string() }).nullable(),
});
export type BotGreeting = NonNullable<z.infer<typeof WidgetConfig>['botGreeting']>;
/** A logged-in shopper: the shop's user id and HMAC-SHA256(identitySecret, userId) in hex. */
const WidgetIdentity = z.strictObject({
  userId: z.string().min(1).max(128),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});

export const WidgetSessionBody = z.strictObject({
  /** The random visitor id the loader keeps in the shop origin's localStorage. */
  visitorId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  /** A logged-in shopper: the shop's user id and HMAC-SHA256(identitySecret, userId) in hex. */
  identity: WidgetIdentity.optional(),
  preChat: z
    .strictObject({
      name: z.string().max(100).optional(),
      phone: z.string().max(40).optional(),
      email: z.string().max(254).optional(),
      /** Shown to agents with the shopper's context (shopper-context.ts); the bot knows it as their order. */
      orderNo: z
        .string()
        .trim()
        .max(preChatOrderNoMax)
        // Empty: not given (as for the other fields).
        .refine((v) => v === '' || preChatOrderNoPattern.test(v), "an order number: letters, digits, '-' and '_'")
        .optional(),
    })
    .optional(),
  language: z.enum(['zh-CN', 'en']).optional(),
  /** The embedding page's origin (the loader reports it); checked against the inbox's allowed origins. */
  origin: z.string().max(200),
});
export const WidgetSession = z.object({
  token: z.string(),
  customerId: z.string(),
  conversationId: z.string().nullable(),
  expiresAt: z.string(),
  /** The agent who has the conversation, as shoppers see them (display name, avatar address); null: nobody yet. */
  agent: z.object({ name: z.string(), avatar: z.string() }).nullable(),
});
export const OfflineMessageBody = z.strictObject({
  /**
   * Without a widget session only: the embedding page's origin and the shopper's signed identity,
   * checked as a session's are (the inbox's allowed origins; an inbox that requires identity
   * refuses a message without a valid one).
   */
  origin: z.string().max(200).optional(),
  identity: WidgetIdentity.optional(),
  name: z.string().trim().max(100).optional(),
  contact: z.string().trim().min(3).max(254),
  body: z.string().trim().min(1).max(maxMessageChars),
  /** A waiting shopper asks for a call back at `contact` (a phone) instead of a written answer. */
  callback: z.boolean().optional(),
});

// ---- conversations (agents) ----
export const ConversationQuery = z.strictObject({
  view: z.enum(['mine', 'unassigned', 'all']).default('all'),
  status: z.enum(['open', 'pending', 'resolved', 'snoozed']).optional(),
  q: z.string().trim().max(100).optional(),
  inboxId: z.string().max(64).optional(),
  /** Only conversations carrying any of these labels: label ids separated by commas (at most 20). */
  labelIds: z
    .string()
    .max(20 * 65)
    .regex(/^[^,]{1,64}(,[^,]{1,64}){0,19}$/, 'up to 20 label ids separated by commas')
    .optional(),
  /** From the previous page's `nextCursor`. */
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
/** An inbox row (also pushed live over /ws as `conv`); must stay equal to the realtime type. */
export const ConversationSummary = z.object({
  id: z.string(),
  inboxId: z.string(),
  customerId: z.string(),
  customerName: z.string().nullable(),
  status: z.enum(['open', 'pending', 'resolved', 'snoozed']),
  assigneeId: z.string().nullable(),
  lastSeq: z.number().int(),
  lastMessageAt: z.string().nullable(),
  lastMessagePreview: z.string().nullable(),
  agentLastReadSeq: z.number().int(),
  customerLastReadSeq: z.number().int(),
  snoozedUntil: z.string().nullable(),
  createdAt: z.string(),
  /** The conversation's labels (ids of ConversationLabel), in the order they were put on. */
  labelIds: z.array(z.string()),
});
/** A page of the inbox with the counts per view in the listed status (capped at 1000); `search` says how a `q` was answered. */
export const ConversationPage = z.object({
  items: z.array(ConversationSummary),
  counts: z.object({ mine: z.number().int(), unassigned: z.number().int(), all: z.number().int() }),
  nextCursor: z.string().nullable(),
  search: SearchInfo.nullable(),
});
export const UpdateConversationBody = z.strictObject({
  status: z.enum(['open', 'pending', 'resolved', 'snoozed']).optional(),
  assigneeId: z.string().max(64).nullable().optional(),
  snoozedUntil: z.iso.datetime().nullable().optional(),
  /** Assign even beyond the agent's capacity (owner, admin, supervisor); otherwise a full agent is refused with the reason. */
  force: z.boolean().optional(),
});
export const MessagesQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  /** Page backwards instead: the `limit` messages just before this seq. */
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const SendMessageBody = z.strictObject({
  clientId: z.string().min(1).max(64),
  kind: z.enum(['text', 'note', 'image', 'file']).default('text'),
  body: z.string().max(maxMessageChars).default(''),
  attachments: z
    .array(z.strictObject({ id: z.string().min(1).max(64) }))
    .max(10)
    .optional(),
});

export const CannedReply = z.object({
  id: z.string(),
  shortCode: z.string(),
  content: z.string(),
  createdAt: z.string(),
});
export const ConversationLabel = z.object({
  id: z.string(),
  name: z.string(),
  color: z.enum(labelColors),
  /** How many conversations carry it. */
  conversations: z.number().int(),
  createdAt: z.string(),
});
export const ConversationLabelBody = z.strictObject({
  name: z.string().trim().min(1).max(40),
  color: z.enum(labelColors),
});
/** The whole set of labels a conversation carries (up to 20). */
export const ConversationLabelsBody = z.strictObject({
  labelIds: z.array(z.string().min(1).max(64)).max(20),
});
/**
 * What a saved inbox view keeps (issue 16): only the filters the agent chose. `status` "any" is
 * every status (the inbox's own default is "open"); `labelIds`: any of these labels.
 */
export const InboxViewQuery = z.strictObject({
  view: z.enum(['mine', 'unassigned', 'all']).optional(),
  status: z.enum(['open', 'pending', 'resolved', 'snoozed', 'any']).optional(),
  inboxId: z.string().min(1).max(64).optional(),
  labelIds: z.array(z.string().min(1).max(64)).min(1).max(20).optional(),
});
export const InboxViewBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  /** With the workspace (administrators only), or the author's own. */
  shared: z.boolean().default(false),
  query: InboxViewQuery,
});
/** Rename a view and/or replace its filters. */
export const InboxViewPatch = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  query: InboxViewQuery.optional(),
});
export const InboxView = z.object({
  id: z.string(),
  name: z.string(),
  shared: z.boolean(),
  /** Whether the caller may rename and delete it (their own; shared ones: administrators). */
  editable: z.boolean(),
  /** Labels deleted since the view was saved are left out. */
  query: InboxViewQuery,
  /** Conversations it lists now (capped at 1000: the console shows "999+"). */
  count: z.number().int(),
});
export type InboxView = z.infer<typeof InboxView>;
export type InboxViewQuery = z.infer<typeof InboxViewQuery>;
export type ConversationLabel = z.infer<typeof ConversationLabel>;
export type ConversationLabelBody = z.infer<typeof ConversationLabelBody>;
export const CannedReplyBody = z.strictObject({
  shortCode: z
    .string()
    .trim()
    .regex(/^[\p{L}\p{N}_-]{1,32}$/u, 'letters, digits, _ or -'),
  content: z.string().trim().min(1).max(maxMessageChars),
});

export const Customer = z.object({
  id: z.string(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  /** True when name/phone/e-mail above are masked for this viewer's role. */
  masked: z.boolean(),
  externalId: z.string().nullable(),
  tier: z.string().nullable(),
  tags: z.array(z.string()),
  identities: z.array(z.object({ channel: z.string(), identifier: z.string() })),
  notes: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
});
export type Customer = z.infer<typeof Customer>;
export type CannedReply = z.infer<typeof CannedReply>;
export type WidgetConfig = z.infer<typeof WidgetConfig>;
export const CustomerQuery = z.strictObject({
  /** An exact phone, e-mail, name or shop user id. */
  q: z.string().trim().max(100).optional(),
  tier: z.string().trim().max(40).optional(),
  tag: z.string().trim().min(1).max(30).optional(),
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const CustomerPage = z.object({
  items: z.array(Customer),
  nextCursor: z.string().nullable(),
  /** How a `q` was answered: phone, email, name, external (shop user id) or none. */
  search: z.object({ kind: z.string() }).nullable(),
});
/** A tag on a customer: a short word or phrase, no commas (they separate tags in the CSV). */
export const CustomerTag = z
  .string()
  .trim()
  .min(1)
  .max(30)
  .regex(/^[^,\n\r\t]+$/u, 'no commas or line breaks');
export const UpdateCustomerBody = z.strictObject({
  name: z.string().trim().max(100).nullable().optional(),
  phone: z.string().trim().max(40).nullable().optional(),
  email: z.string().trim().max(254).nullable().optional(),
  notes: z.string().max(5000).optional(),
  tier: z
    .string()
    .trim()
    .regex(/^[\p{L}\p{N}_-]{1,40}$/u, 'letters, digits, _ or -')
    .nullable()
    .optional(),
  /** The customer's whole set of tags (replaces the old set). */
  tags: z.array(CustomerTag).max(20).optional(),
});
/**
 * A customer entered by hand: a name and a way to reach them (phone and/or e-mail, each checked
 * for its shape). A phone or e-mail another customer has → 409 `customer_exists`.
 */
export const CreateCustomerBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[\d\s()-]{7,24}$/, 'a phone number: digits, spaces, ( ) - and a leading +')
      .refine((v) => {
        const digits = v.replace(/\D/g, '').length;
        return digits >= 7 && digits <= 15;
      }, '7 to 15 digits')
      .nullable()
      .optional(),
    email: z.string().trim().max(254).pipe(z.email()).nullable().optional(),
  })
  .refine((b) => !!(b.phone || b.email), { message: 'a phone or an e-mail', path: ['phone'] });
export const CustomerTags = z.object({ items: z.array(z.object({ tag: z.string(), count: z.number().int() })) });
/** The tiers customers of the workspace have (data, as stored), with how many have each. */
export const CustomerTiers = z.object({ items: z.array(z.object({ tier: z.string(), count: z.number().int() })) });
/** Merge `from` into the customer of the path: its history moves over, then the duplicate is gone. */
export const MergeCustomerBody = z.strictObject({ from: z.string().min(1).max(64) });
export const MergeResult = z.object({ customer: Customer, moved: z.record(z.string(), z.number().int()) });

/** Where the shopper is (the widget's last report), and the order number they gave in the pre-chat form. */
export type ShopperContext = {
  url: string | null;
  title: string | null;
  referrer: string | null;
  device: string | null;
  browser: string | null;
  os: string | null;
  timeZone: string | null;
  language: string | null;
  city: string | null;
  /** The order number from the pre-chat form (the last one given), or null. */
  orderNo: string | null;
  updatedAt: string;
};
