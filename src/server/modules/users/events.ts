import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';
import { permissions } from '../../../shared/permissions.ts';

const change = z.object({ from: z.unknown(), to: z.unknown() });
const none = z.object({}).strict();

/** Account events; no secrets or passwords, ever (they are the audit log's entries). */
export const userEvents = defineEvents({
  'user.created': z.object({ email: z.string(), role: z.string() }),
  'user.updated': z.partialRecord(z.enum(['name', 'role', 'disabled']), change),
  'user.password_reset': z.object({ via: z.literal('cli').optional(), enabled: z.boolean().optional() }),
  'user.password_changed': none,
  'user.logged_in': z.object({ userAgent: z.string().nullable() }),
  'user.logged_out': none,
  'user.login_failed': z.object({ failures: z.number().int().optional(), reason: z.literal('totp').optional() }),
  'user.locked_out': z.object({ failures: z.number().int() }),
  'user.totp_enabled': none,
  'user.totp_disabled': none,
  'user.switched_workspace': z.object({ from: z.string() }),
  'token.created': z.object({ name: z.string(), scopes: z.array(z.enum(permissions)) }),
  'token.revoked': none,
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof userEvents> {}
}
