/** The reports API (module `reports`): bodies and queries, shared by the server and the console. */
import { z } from 'zod';

export const reportTypeValues = ['daily', 'weekly', 'monthly-ops', 'monthly-cs'] as const;
export const reportFormatValues = ['html', 'pdf', 'csv', 'xlsx', 'json'] as const;
export type ReportTypeName = (typeof reportTypeValues)[number];

export const ReportListQuery = z.strictObject({
  type: z.enum(reportTypeValues).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(60),
});
export const ProduceReportBody = z.strictObject({
  type: z.enum(reportTypeValues),
  period: z.string().regex(/^\d{4}-(\d{2}(-\d{2})?|W\d{2})$/, 'YYYY-MM-DD, YYYY-Www or YYYY-MM'),
});
export const DownloadQuery = z.strictObject({ format: z.enum(reportFormatValues).default('html') });
export const ReportSignOffBody = z.strictObject({ party: z.enum(['merchant', 'vendor']) });

export type ReportSignoff = { party: 'merchant' | 'vendor'; userName: string; at: string; sha256: string };
export type ReportListItem = {
  id: string;
  type: ReportTypeName;
  periodKey: string;
  periodStart: string;
  periodEnd: string;
  producedAt: string;
  sha256: string;
  summary: Record<string, number | null>;
  signoffs: ReportSignoff[];
};
export type LiveHotQuestions = {
  last15m: { label: string; count: number; share: number }[];
  today: { label: string; count: number; share: number }[];
  asOf: string;
};
