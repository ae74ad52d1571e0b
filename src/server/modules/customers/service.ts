/**
 * Customers: one profile across channels. Name, phone and e-mail are encrypted per field
 * (AES-256-GCM) with keyed hashes for exact lookups, and masked for roles without customers.pii.
 */
import type { Customer } from '../../../shared/chat-api.ts';
import { publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import type { Cipher } from '../../lib/crypto.ts';
import { notFound } from '../../lib/errors.ts';
import { own, type CustomersTable } from './schema.ts';
import { externalIdOf } from './external-id.ts';
import { replaceTags, tagsOf } from './tags.ts';

export type Pii = { name?: string | null; phone?: string | null; email?: string | null };

export function maskName(v: string): string {
  const chars = [...v];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(Math.min(chars.length - 1, 3));
}
export function maskPhone(v: string): string {
  const d = v.replace(/\s/g, '');
  return d.length < 7 ? '*'.repeat(d.length) : `${d.slice(0, 3)}****${d.slice(-4)}`;
}
export function maskEmail(v: string): string {
  const [user, domain] = v.split('@');
  return domain ? `${user.slice(0, 1)}***@${domain}` : '***';
}
/** A shop's user id (which may be a phone number or an e-mail): its ends only. */
export function maskId(v: string): string {
  if (v.includes('@')) return maskEmail(v);
  const chars = [...v];
  return chars.length <= 6 ? '***' : `${chars.slice(0, 2).join('')}***${chars.slice(-2).join('')}`;
}

/** Encrypted columns and blind indexes for the given fields (only those present). */
export function encryptPii(cipher: Cipher, pii: Pii): Partial<CustomersTable> {
  const out: Partial<CustomersTable> = {};
  for (const f of ['name', 'phone', 'email'] as const) {
    if (pii[f] === undefined) continue;
    const v = pii[f]?.trim() || null;
    out[`${f}_enc`] = v ? cipher.encrypt(v) : null;
    out[`${f}_idx`] = v ? cipher.blindIndex(f === 'phone' ? v.replace(/[\s-]/g, '') : v) : null;
  }
  return out;
}

export function decryptPii(
  cipher: Cipher,
  r: Pick<CustomersTable, 'name_enc' | 'phone_enc' | 'email_enc'>,
): Required<Pii> {
  const d = (v: string | null) => (v ? cipher.decrypt(v) : null);
  return { name: d(r.name_enc), phone: d(r.phone_enc), email: d(r.email_enc) };
}

/** The name to show an agent in lists: masked unless the viewer holds customers.pii. */
export function displayName(cipher: Cipher, r: Pick<CustomersTable, 'name_enc'>, pii: boolean): string | null {
  if (!r.name_enc) return null;
  const name = cipher.decrypt(r.name_enc);
  return pii ? name : maskName(name);
}

export async function toCustomer(ctx: Ctx, r: CustomersTable): Promise<Customer> {
  const pii = ctx.actor.permissions.includes('customers.pii');
  const p = decryptPii(ctx.cipher, r);
  const identities = await own(ctx.db)
    .selectFrom('customer_identities')
    .select(['channel', 'identifier'])
    .where('customer_id', '=', r.id)
    .execute();
  return {
    id: r.id,
    name: p.name && (pii ? p.name : maskName(p.name)),
    phone: p.phone && (pii ? p.phone : maskPhone(p.phone)),
    email: p.email && (pii ? p.email : maskEmail(p.email)),
    masked: !pii,
    externalId: (() => {
      const id = externalIdOf(ctx.cipher, r);
      return id && (pii ? id : maskId(id));
    })(),
    tier: r.tier,
    tags: (await tagsOf(ctx.db, [r.id])).get(r.id) ?? [],
    // Visitor ids are bearer secrets of the shopper's browser: show only their start.
    identities: identities.map((i) => ({
      channel: i.channel,
      identifier: i.channel === 'web' ? `${i.identifier.slice(0, 6)}…` : i.identifier,
    })),
    notes: r.notes,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
  };
}

export async function getCustomerRow(s: { db: Executor }, workspaceId: string, id: string): Promise<CustomersTable> {
  const r = await own(s.db)
    .selectFrom('customers')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!r) throw notFound('customer');
  return r;
}

/** The profile as the API shows it; an unmasked one is an audited access (`customer.pii_viewed`). */
export async function getCustomer(ctx: Ctx, id: string): Promise<Customer> {
  const c = await toCustomer(ctx, await getCustomerRow(ctx, ctx.actor.workspaceId, id));
  if (!c.masked) {
    const fields = (['name', 'phone', 'email', 'externalId'] as const).filter((f) => c[f]);
    if (fields.length) await publish(ctx, 'customer.pii_viewed', ctx.actor.workspaceId, 'customer', id, { fields });
  }
  return c;
}

export async function updateCustomer(
  ctx: Ctx,
  id: string,
  patch: Pii & { notes?: string; tier?: string | null; tags?: string[] },
): Promise<Customer> {
  await getCustomerRow(ctx, ctx.actor.workspaceId, id);
  const { notes, tier, tags, ...pii } = patch;
  const set: Partial<CustomersTable> = { ...encryptPii(ctx.cipher, pii), updated_at: ctx.clock.now().toISOString() };
  if (notes !== undefined) set.notes = notes;
  if (tier !== undefined) set.tier = tier;
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db).updateTable('customers').set(set).where('id', '=', id).execute();
    if (tags) await replaceTags(ctx.db, ctx.actor.workspaceId, id, tags, set.updated_at!);
    await publish(ctx, 'customer.updated', ctx.actor.workspaceId, 'customer', id, { fields: Object.keys(patch) });
  });
  return getCustomer(ctx, id);
}

/** Display names by customer id (masked without `pii`), for lists in other modules; unknown ids are absent. */
export async function customerNames(
  s: Pick<Services, 'db' | 'cipher'>,
  ids: readonly string[],
  pii: boolean,
): Promise<Map<string, string | null>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await own(s.db).selectFrom('customers').select(['id', 'name_enc']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, displayName(s.cipher, r, pii)]));
}

/** The customer's tier (SLA policies match on it), or null. */
export async function customerTier(s: { db: Executor }, id: string): Promise<string | null> {
  const r = await own(s.db).selectFrom('customers').select('tier').where('id', '=', id).executeTakeFirst();
  return r?.tier ?? null;
}

/** Whether the customer exists in the workspace. */
/** Whether a widget session may still name the customer: it exists in the workspace and was not erased. */
export async function customerMayChat(s: { db: Executor }, workspaceId: string, id: string): Promise<boolean> {
  const r = await own(s.db)
    .selectFrom('customers')
    .select('erased_at')
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return !!r && r.erased_at === null;
}

export async function customerExists(s: { db: Executor }, workspaceId: string, id: string): Promise<boolean> {
  const r = await own(s.db)
    .selectFrom('customers')
    .select('id')
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return !!r;
}
