/** HTTP schemas of CSAT: the survey settings, ratings (widget and link), what the console reads. */
import { z } from 'zod';
import { csatMaxComment } from './csat-card.ts';

export const csatScales = ['stars', 'faces'] as const;
const text = (max: number) => z.string().trim().max(max);
/** A wording in both console languages (the shopper sees the one of their widget or browser). */
const Wording = (max: number, zh: string, en: string) =>
  z.strictObject({ 'zh-CN': text(max).min(1), en: text(max).min(1) }).default({ 'zh-CN': zh, en });

export const CsatQuestion = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]{1,30}$/, 'lower-case letters, digits and _'),
  kind: z.enum(['yes_no', 'text']),
  label: z.strictObject({ 'zh-CN': text(200).min(1), en: text(200).min(1) }),
});

/** The survey of a workspace (`*`) or one inbox. */
export const CsatSettings = z.strictObject({
  enabled: z.boolean().default(true),
  scale: z.enum(csatScales).default('stars'),
  prompt: Wording(200, '请为本次服务评分', 'How would you rate our service?'),
  commentPrompt: Wording(
    200,
    '还有什么想告诉我们的吗？（选填）',
    'Anything else you would like to tell us? (optional)',
  ),
  thanks: Wording(200, '感谢您的评价！', 'Thank you for your feedback!'),
  questions: z
    .array(CsatQuestion)
    .max(5)
    .default([])
    .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, 'question ids must be unique'),
  /** Ask when a ticket is solved too (by a link), not only when a chat is resolved. */
  askOnTickets: z.boolean().default(true),
  /** How long a request (the widget card and the link) can be answered. */
  linkTtlHours: z.number().int().min(1).max(720).default(72),
});
export type CsatSettings = z.output<typeof CsatSettings>;

export const csatScopeAll = '*';

/** A rating: 1–5 (stars or faces), an optional comment, answers to the extra questions by id. */
export const RateBody = z.strictObject({
  score: z.number().int().min(1).max(5),
  comment: z.string().trim().max(csatMaxComment).default(''),
  answers: z.record(z.string().max(30), z.union([z.boolean(), z.string().trim().max(500)])).default({}),
});
export type RateBody = z.output<typeof RateBody>;

export const CsatSubjectParam = z.strictObject({
  type: z.enum(['conversation', 'ticket']),
  id: z.string().min(1).max(64),
});

export const CsatRatingsQuery = z.strictObject({
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  agentId: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
