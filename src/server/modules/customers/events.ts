import { z } from 'zod';
import { defineEvents, type EventsOf } from '../../lib/events/index.ts';

/** Field names only: no personal information in events (they become audit entries). */
export const customerEvents = defineEvents({
  'customer.updated': z.object({ fields: z.array(z.string()) }),
  /** An agent entered a customer by hand (the fields given, never their values). */
  'customer.created': z.object({ fields: z.array(z.string()) }),
  /** Someone downloaded the customer list as CSV: how many rows, and whether masked for their role. */
  'customer.list_exported': z.object({ rows: z.number().int(), masked: z.boolean(), tier: z.string().nullable() }),
  /** Someone with customers.pii was shown these fields unmasked (the access itself is audited). */
  'customer.pii_viewed': z.object({ fields: z.array(z.string()) }),
});

declare module '../../lib/events/index.ts' {
  interface EventMap extends EventsOf<typeof customerEvents> {}
}
