import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';

const run = { runId: z.string(), target: z.string().nullable() };

/**
 * Backup outcomes, for the audit log and for the monitoring/incidents modules to turn into alerts:
 * a failed backup, verification or drill, and no verified backup in the last 26 hours (`backup.stale`).
 */
export const backupEvents = defineEvents({
  'backup_target.saved': z.object({ name: z.string(), kind: z.string(), offsite: z.boolean() }),
  'backup_target.deleted': z.object({ name: z.string() }),
  'backup.requested': z.object({ ...run, kind: z.string() }),
  'backup.completed': z.object({
    ...run,
    backupId: z.string(),
    bytes: z.number(),
    storedBytes: z.number(),
    durationMs: z.number(),
  }),
  'backup.failed': z.object({ ...run, kind: z.string(), error: z.string() }),
  'backup.verified': z.object({ ...run, ok: z.boolean(), damaged: z.array(z.string()) }),
  'backup.drill_completed': z.object({
    ...run,
    ok: z.boolean(),
    backupId: z.string().nullable(),
    rtoMs: z.number().nullable(),
    rpoMs: z.number().nullable(),
    problems: z.array(z.string()),
  }),
  'backup.stale': z.object({ lastVerifiedAt: z.string().nullable(), hours: z.number() }),
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof backupEvents> {}
}
