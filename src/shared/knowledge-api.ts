/** HTTP schemas of the knowledge base (知识库), its dictionary, and the bot's "try it" box and settings. */
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const list = (item: z.ZodString, max: number) =>
  z
    .array(item)
    .max(max)
    .transform((xs) => [...new Set(xs)]);
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/, 'a date (YYYY-MM-DD) or an ISO time')
  .nullable();

/** Order situations an entry may apply to (the store's order states). */
export const orderStates = [
  'unpaid',
  'paid',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'refunding',
  'refunded',
] as const;

export const EntryBody = z
  .strictObject({
    question: text(300),
    similar: list(text(300), 200).default([]),
    answer: text(5000),
    buttons: list(text(40), 6).default([]),
    category: z.string().trim().max(40).default(''),
    tags: list(text(40), 20).default([]),
    products: list(text(80), 50).default([]),
    orderStates: z
      .array(z.enum(orderStates))
      .max(orderStates.length)
      .transform((xs) => [...new Set(xs)])
      .default([]),
    channels: list(text(30), 20).default([]),
    validFrom: day.default(null),
    validTo: day.default(null),
    enabled: z.boolean().default(true),
  })
  .refine((e) => !e.validFrom || !e.validTo || e.validFrom <= e.validTo, {
    message: 'validFrom must not be after validTo',
    path: ['validTo'],
  });
export type EntryInput = z.output<typeof EntryBody>;

export type Entry = EntryInput & { id: string; createdAt: string; updatedAt: string };

export const EntryList = z.strictObject({
  q: z.string().max(200).optional(),
  category: z.string().max(40).optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const BulkBody = z
  .strictObject({
    ids: z.array(z.string().min(1).max(64)).min(1).max(1000),
    delete: z.boolean().optional(),
    category: z.string().trim().max(40).optional(),
    enabled: z.boolean().optional(),
    addTags: list(text(40), 20).optional(),
    removeTags: list(text(40), 20).optional(),
    channels: list(text(30), 20).optional(),
  })
  .refine((b) => b.delete || Object.keys(b).length > 1, { message: 'name a change or delete' });

export const exportFormats = ['jsonl', 'csv', 'xlsx'] as const;
export const ExportQuery = z.strictObject({ format: z.enum(exportFormats).default('jsonl') });
/** An import: the file's text (jsonl, csv) or its base64 (xlsx); replace = update entries with the same id. */
export const ImportBody = z.strictObject({
  format: z.enum(exportFormats),
  content: z.string().min(1).max(8_000_000),
});

export const TermBody = z.strictObject({
  term: text(40),
  synonyms: list(text(40), 50).default([]),
});
export const TermsBody = z.strictObject({ terms: z.array(TermBody).max(5000) });
export type Term = z.output<typeof TermBody>;
