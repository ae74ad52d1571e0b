/** The reports API (module `reports`): bodies and queries, shared by the server and the console. */
import { z } from 'zod';
import { Email } from './api.ts';

export const reportTypeValues = ['daily', 'weekly', 'monthly-ops', 'monthly-cs'] as const;
export const reportFormatValues = ['html', 'pdf', 'csv', 'xlsx', 'json'] as const;
export type ReportTypeName = (typeof reportTypeValues)[number];

/**
 * A merchant workspace whose reports the vendor (the installation's ops: the home workspace's
 * owner, admins and ops engineers) reads or signs; default: the caller's own.
 */
const reportWorkspaceId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a workspace id')
  .optional();
export const ReportWorkspaceQuery = z.strictObject({ workspace: reportWorkspaceId });
export const ReportListQuery = z.strictObject({
  type: z.enum(reportTypeValues).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(60),
  workspace: reportWorkspaceId,
});
/** The current, unfinished period of a type (recomputed on every view, never stored or signed). */
export const ProvisionalQuery = z.strictObject({ type: z.enum(reportTypeValues), workspace: reportWorkspaceId });
export const ProduceReportBody = z.strictObject({
  type: z.enum(reportTypeValues),
  period: z.string().regex(/^\d{4}-(\d{2}(-\d{2})?|W\d{2})$/, 'YYYY-MM-DD, YYYY-Www or YYYY-MM'),
});
export const DownloadQuery = z.strictObject({
  format: z.enum(reportFormatValues).default('html'),
  workspace: reportWorkspaceId,
});
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

/**
 * A report type's schedule (`report_schedules`): whether it runs, its time in the workspace's zone
 * (daily at that time, weekly on Mondays, monthly on the 1st), who gets it by e-mail and which
 * notification channels get its summary (`null`: every enabled channel of the workspace).
 * Times are quarter hours: the scheduler ticks every 15 minutes.
 */
export const ReportScheduleParams = z.strictObject({ type: z.enum(reportTypeValues) });
export const ReportScheduleBody = z.strictObject({
  enabled: z.boolean(),
  localTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):(00|15|30|45)$/, 'HH:MM at a quarter hour (the scheduler ticks every 15 minutes)'),
  recipients: z
    .array(Email)
    .max(50)
    .refine((xs) => new Set(xs).size === xs.length, 'each e-mail address once'),
  channelIds: z
    .array(z.string().min(1).max(64))
    .max(50)
    .refine((xs) => new Set(xs).size === xs.length, 'each channel once')
    .nullable(),
});
export type ReportScheduleInput = z.infer<typeof ReportScheduleBody>;
/** `custom`: a stored row; otherwise the default (08:00, on, the workspace's owners' and admins' e-mail, every channel). */
export type ReportSchedule = ReportScheduleInput & { type: ReportTypeName; custom: boolean };
export type ReportSchedules = {
  zone: string;
  schedules: ReportSchedule[];
  channels: { id: string; name: string; kind: string; enabled: boolean }[];
};
