import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';
import { permissions } from '../../../shared/permissions.ts';

const change = z.object({ from: z.unknown(), to: z.unknown() });
const none = z.object({}).strict();

/** Account events; no secrets or passwords, ever (they are the audit log's entries). */
export const userEvents = defineEvents({
  'user.created': z.object({ email: z.string(), role: z.string() }),
  'user.updated': z.partialRecord(z.enum(['name', 'displayName', 'avatar', 'role', 'disabled']), change),
  'user.password_reset': z.object({
    via: z.literal('cli').optional(),
    enabled: z.boolean().optional(),
    tokensRevoked: z.number().int().optional(),
  }),
  // Whether the owner chose to keep their API tokens is part of the record.
  'user.password_changed': z.object({
    revokeTokens: z.boolean().optional(),
    tokensRevoked: z.number().int().optional(),
  }),
  'user.logged_in': z.object({ userAgent: z.string().nullable() }),
  'user.logged_out': none,
  'user.login_failed': z.object({
    failures: z.number().int().optional(),
    reason: z.enum(['totp', 'confirmation']).optional(),
  }),
  'user.locked_out': z.object({ failures: z.number().int(), reason: z.enum(['totp', 'confirmation']).optional() }),
  'user.totp_enabled': none,
  'user.totp_disabled': none,
  'user.switched_workspace': z.object({ from: z.string() }),
  'token.created': z.object({ name: z.string(), scopes: z.array(z.enum(permissions)) }),
  'token.revoked': none,
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof userEvents> {}
}
