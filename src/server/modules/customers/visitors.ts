/**
 * Who a widget visitor is. A shopper the shop vouches for (a verified user id) is one customer on
 * every device; a browser's visitor id otherwise. A visitor id that belongs to a verified shopper
 * is never handed to anyone else: a different shopper signing in on that browser, or an anonymous
 * visitor after them, gets a customer of their own and none of the other's profile or history.
 *
 * The shop's user id can itself be personal (some shops use the phone number or e-mail), so it is
 * stored encrypted, with a keyed hash for the lookup.
 */
import type { Services } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import type { Cipher } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import { own, type CustomersTable } from './schema.ts';
import { externalIndex } from './external-id.ts';
import { decryptPii, encryptPii, getCustomerRow, type Pii } from './service.ts';

const verified = (r: CustomersTable) => r.external_idx !== null || r.external_id !== null;

function externalColumns(cipher: Cipher, externalId: string) {
  return {
    external_idx: externalIndex(cipher, externalId),
    external_enc: cipher.encrypt(externalId),
    external_id: null,
  };
}

async function byExternalId(s: Services, workspaceId: string, externalId: string) {
  return own(s.db)
    .selectFrom('customers')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where((eb) =>
      eb.or([eb('external_idx', '=', externalIndex(s.cipher, externalId)), eb('external_id', '=', externalId)]),
    )
    .executeTakeFirst();
}

async function byVisitorId(s: Services, workspaceId: string, visitorId: string) {
  return own(s.db)
    .selectFrom('customer_identities')
    .innerJoin('customers', 'customers.id', 'customer_identities.customer_id')
    .selectAll('customers')
    .where('customer_identities.workspace_id', '=', workspaceId)
    .where('customer_identities.channel', '=', 'web')
    .where('customer_identities.identifier', '=', visitorId)
    .executeTakeFirst();
}

/** A profile with nothing known yet (the fields every insert shares). */
export function blankCustomerRow(workspaceId: string, now: string): CustomersTable {
  return {
    id: newId('cus'),
    workspace_id: workspaceId,
    name_enc: null,
    phone_enc: null,
    email_enc: null,
    name_idx: null,
    phone_idx: null,
    email_idx: null,
    external_id: null,
    external_idx: null,
    external_enc: null,
    tier: null,
    notes: '',
    created_at: now,
    updated_at: now,
    last_seen_at: null,
    erased_at: null,
  };
}

/** A new customer (its last_seen_at is now), or on a race the verified shopper's existing one (`inserted` false). */
async function insertCustomer(
  s: Services,
  workspaceId: string,
  externalId?: string,
): Promise<{ row: CustomersTable; inserted: boolean }> {
  const now = s.clock.now().toISOString();
  const row: CustomersTable = {
    ...blankCustomerRow(workspaceId, now),
    ...(externalId ? externalColumns(s.cipher, externalId) : {}),
    last_seen_at: now,
  };
  // Two first visits of one shopper at once: the unique keyed hash keeps one customer.
  const r = await own(s.db)
    .insertInto('customers')
    .values(row)
    .onConflict((oc) => oc.columns(['workspace_id', 'external_idx']).doNothing())
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 1) === 0 && externalId)
    return { row: (await byExternalId(s, workspaceId, externalId))!, inserted: false };
  return { row, inserted: true };
}

export type VisitorInput = { workspaceId: string; visitorId: string; externalId?: string; pii?: Pii };

/**
 * The customer behind a widget visitor: the verified shop user's when the shop signed one (an
 * anonymous visitor who signs in becomes that user), else the visitor id's unless a verified
 * shopper owns it; created when new. Pre-chat answers fill empty fields and never overwrite.
 */
export async function customerForVisitor(s: Services, input: VisitorInput): Promise<CustomersTable> {
  const ws = input.workspaceId;
  const db = own(s.db);
  const visitor = await byVisitorId(s, ws, input.visitorId);
  let row: CustomersTable | undefined;
  let inserted = false;
  const insert = async (externalId?: string) => {
    const r = await insertCustomer(s, ws, externalId);
    inserted = r.inserted;
    return r.row;
  };
  if (input.externalId) {
    row = await byExternalId(s, ws, input.externalId);
    if (row && row.external_idx === null) await encryptExternalId(s, row);
    if (!row && visitor && !verified(visitor)) {
      await db
        .updateTable('customers')
        .set(externalColumns(s.cipher, input.externalId))
        .where('id', '=', visitor.id)
        .execute();
      row = visitor;
    }
    row ??= await insert(input.externalId);
  } else {
    row = visitor && !verified(visitor) ? visitor : await insert();
  }
  // The visitor id stays with whoever had it first; a verified shopper does not need it to be found.
  if (!visitor) {
    await db
      .insertInto('customer_identities')
      .values({
        id: newId('cid'),
        workspace_id: ws,
        customer_id: row.id,
        channel: 'web',
        identifier: input.visitorId,
        created_at: s.clock.now().toISOString(),
      })
      .onConflict((oc) => oc.columns(['workspace_id', 'channel', 'identifier']).doNothing())
      .execute();
  }
  // A customer inserted just now was seen now already (one write fewer on every new shopper's session).
  if (!inserted)
    await db
      .updateTable('customers')
      .set({ last_seen_at: s.clock.now().toISOString() })
      .where('id', '=', row.id)
      .execute();
  return customerByIdFill(s, ws, row.id, input.pii ?? {});
}

/**
 * Fills the customer's empty name/phone/e-mail (never overwriting) and returns the row; fields in
 * `replace` are set even when filled (the contact a shopper leaves with an offline message).
 */
export async function customerByIdFill(
  s: Services,
  workspaceId: string,
  id: string,
  pii: Pii,
  replace: readonly (keyof Pii)[] = [],
): Promise<CustomersTable> {
  const row = await getCustomerRow(s, workspaceId, id);
  const current = decryptPii(s.cipher, row);
  const fill: Pii = {};
  for (const f of ['name', 'phone', 'email'] as const)
    if (pii[f] && (!current[f] || (replace.includes(f) && pii[f] !== current[f]))) fill[f] = pii[f];
  if (Object.keys(fill).length)
    await own(s.db)
      .updateTable('customers')
      .set({ ...encryptPii(s.cipher, fill), updated_at: s.clock.now().toISOString() })
      .where('id', '=', id)
      .execute();
  return getCustomerRow(s, workspaceId, id);
}

async function encryptExternalId(s: { db: Executor; cipher: Cipher }, row: CustomersTable): Promise<void> {
  if (!row.external_id) return;
  await own(s.db)
    .updateTable('customers')
    .set(externalColumns(s.cipher, row.external_id))
    .where('id', '=', row.id)
    .where('external_id', '=', row.external_id)
    .execute();
}

/** Moves shop user ids stored plain (before encryption) to the encrypted columns, a batch at a time. */
export async function encryptLegacyExternalIds(s: { db: Executor; cipher: Cipher }, batch = 500): Promise<number> {
  let done = 0;
  for (;;) {
    const rows = await own(s.db)
      .selectFrom('customers')
      .selectAll()
      .where('external_id', 'is not', null)
      .limit(batch)
      .execute();
    for (const r of rows) await encryptExternalId(s, r);
    done += rows.length;
    if (rows.length < batch) return done;
  }
}
