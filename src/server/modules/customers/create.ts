/**
 * A customer entered by hand (the tickets page's "new ticket" form, issue #16 defect 2): name and
 * a phone and/or e-mail. One shopper is one profile, so a phone or e-mail that already belongs to
 * a customer of the workspace is refused with 409 `customer_exists` naming that customer's id
 * (the console then offers to pick them); nothing is created. Audited as `customer.created`
 * (field names only).
 */
import type { z } from 'zod';
import type { CreateCustomerBody, Customer } from '../../../shared/chat-api.ts';
import { publish, unitOfWork, type Ctx } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { exactCustomerIds } from './lookup.ts';
import { own } from './schema.ts';
import { encryptPii, toCustomer } from './service.ts';
import { blankCustomerRow } from './visitors.ts';

export async function createCustomer(ctx: Ctx, body: z.infer<typeof CreateCustomerBody>): Promise<Customer> {
  const ws = ctx.actor.workspaceId;
  for (const field of ['phone', 'email'] as const) {
    const v = body[field];
    if (!v) continue;
    const found = await exactCustomerIds(ctx, ws, v);
    if (found?.kind === field)
      throw new AppError(
        409,
        'customer_exists',
        `a customer with this ${field === 'email' ? 'e-mail' : field} exists`,
        [{ field, customerId: found.ids[0] }],
      );
  }
  const row = {
    ...blankCustomerRow(ws, ctx.clock.now().toISOString()),
    ...encryptPii(ctx.cipher, { name: body.name, phone: body.phone ?? null, email: body.email ?? null }),
  };
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db).insertInto('customers').values(row).execute();
    const fields = (['name', 'phone', 'email'] as const).filter((f) => body[f]);
    await publish(ctx, 'customer.created', ws, 'customer', row.id, { fields });
  });
  return toCustomer(ctx, row);
}
