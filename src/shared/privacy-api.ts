/** The privacy API (PIPL): shopper export and erasure, the request history, retention rules. */
import { z } from 'zod';

/** Erasure cannot be undone: the request repeats the customer's id. */
export const EraseCustomerBody = z.strictObject({ confirm: z.string().min(1).max(64) });
export const Counts = z.record(z.string(), z.number());
export const EraseResult = z.object({ counts: Counts });

export const PrivacyRequest = z.object({
  id: z.string(),
  kind: z.enum(['export', 'erasure']),
  actorId: z.string().nullable(),
  counts: Counts,
  createdAt: z.string(),
});
export type PrivacyRequest = z.infer<typeof PrivacyRequest>;
export const PrivacyRequestList = z.object({ items: z.array(PrivacyRequest) });

/** Retention: days to keep each kind of data (null: forever); kinds are registered by modules. */
export const retentionMaxDays = 36500;
export const RetentionRules = z.object({
  kinds: z.array(z.object({ kind: z.string(), minDays: z.number() })),
  rules: z.record(z.string(), z.number().int().nullable()),
});
export type RetentionRules = z.infer<typeof RetentionRules>;
export const SaveRetentionBody = z.strictObject({
  rules: z.record(z.string().min(1).max(40), z.number().int().min(1).max(retentionMaxDays).nullable()),
});
