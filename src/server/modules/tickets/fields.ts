/** Ticket types (editable list with defaults) and admin-defined custom fields with their validation. */
import type { z } from 'zod';
import { defaultTicketTypes, type FieldBody, type TypeBody } from '../../../shared/tickets-api.ts';
import { publish, unitOfWork, type Ctx } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { AppError, conflict, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { own, type TicketFieldsTable } from './schema.ts';

const defaultNames: Record<string, { 'zh-CN': string; en: string }> = {
  inquiry: { 'zh-CN': '咨询', en: 'Inquiry' },
  after_sales: { 'zh-CN': '售后/退换/退款', en: 'After-sales / return / refund' },
  complaint: { 'zh-CN': '投诉', en: 'Complaint' },
  logistics: { 'zh-CN': '物流', en: 'Logistics' },
  invoice: { 'zh-CN': '发票', en: 'Invoice' },
  other: { 'zh-CN': '其他', en: 'Other' },
};

/** The workspace's ticket types; the defaults are created the first time they are needed. */
export async function ticketTypes(db: Executor, workspaceId: string, now: Date) {
  let rows = await own(db)
    .selectFrom('ticket_types')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('position')
    .execute();
  if (!rows.length) {
    const iso = now.toISOString();
    await own(db)
      .insertInto('ticket_types')
      .values(
        defaultTicketTypes.map((key, i) => ({
          id: newId('tty'),
          workspace_id: workspaceId,
          key,
          names: JSON.stringify(defaultNames[key]),
          position: i + 1,
          archived: 0,
          created_at: iso,
          updated_at: iso,
        })),
      )
      .onConflict((oc) => oc.columns(['workspace_id', 'key']).doNothing())
      .execute();
    rows = await own(db)
      .selectFrom('ticket_types')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('position')
      .execute();
  }
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    names: JSON.parse(r.names) as { 'zh-CN': string; en: string },
    archived: r.archived === 1,
  }));
}

export async function assertType(db: Executor, workspaceId: string, key: string, now: Date): Promise<void> {
  const types = await ticketTypes(db, workspaceId, now);
  if (!types.some((t) => t.key === key && !t.archived))
    throw new AppError(
      400,
      'invalid_type',
      `unknown ticket type ${key}; one of ${types
        .filter((t) => !t.archived)
        .map((t) => t.key)
        .join(', ')}`,
    );
}

export async function saveType(ctx: Ctx, input: z.output<typeof TypeBody>) {
  const ws = ctx.actor.workspaceId;
  const types = await ticketTypes(ctx.db, ws, ctx.clock.now());
  const now = ctx.clock.now().toISOString();
  await unitOfWork(ctx, async (ctx) => {
    if (types.some((t) => t.key === input.key)) {
      await own(ctx.db)
        .updateTable('ticket_types')
        .set({ names: JSON.stringify(input.names), archived: 0, updated_at: now })
        .where('workspace_id', '=', ws)
        .where('key', '=', input.key)
        .execute();
    } else {
      await own(ctx.db)
        .insertInto('ticket_types')
        .values({
          id: newId('tty'),
          workspace_id: ws,
          key: input.key,
          names: JSON.stringify(input.names),
          position: types.length + 1,
          archived: 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    await publish(ctx, 'ticket_type.saved', ws, 'ticket_type', input.key, { names: input.names });
  });
  return ticketTypes(ctx.db, ws, ctx.clock.now());
}

export async function archiveType(ctx: Ctx, key: string) {
  await unitOfWork(ctx, async (ctx) => {
    const r = await own(ctx.db)
      .updateTable('ticket_types')
      .set({ archived: 1, updated_at: ctx.clock.now().toISOString() })
      .where('workspace_id', '=', ctx.actor.workspaceId)
      .where('key', '=', key)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw notFound('ticket type');
    await publish(ctx, 'ticket_type.archived', ctx.actor.workspaceId, 'ticket_type', key, {});
  });
}

export type FieldDef = {
  id: string;
  key: string;
  label: string;
  type: string;
  options: string[];
  requiredOnSolve: boolean;
};
const toField = (r: TicketFieldsTable): FieldDef => ({
  id: r.id,
  key: r.key,
  label: r.label,
  type: r.type,
  options: JSON.parse(r.options) as string[],
  requiredOnSolve: r.required_on_solve === 1,
});

export async function fieldDefs(db: Executor, workspaceId: string): Promise<FieldDef[]> {
  return (
    await own(db)
      .selectFrom('ticket_fields')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('archived', '=', 0)
      .orderBy('position')
      .execute()
  ).map(toField);
}

export async function createField(ctx: Ctx, input: z.output<typeof FieldBody>) {
  const ws = ctx.actor.workspaceId;
  if (input.type === 'select' && !input.options.length)
    throw new AppError(400, 'invalid_field', 'a select field needs options');
  if (
    await own(ctx.db)
      .selectFrom('ticket_fields')
      .select('id')
      .where('workspace_id', '=', ws)
      .where('key', '=', input.key)
      .executeTakeFirst()
  )
    throw conflict(`a field with the key ${input.key} exists`);
  const now = ctx.clock.now().toISOString();
  const count = (await fieldDefs(ctx.db, ws)).length;
  const row: TicketFieldsTable = {
    id: newId('tfd'),
    workspace_id: ws,
    key: input.key,
    label: input.label,
    type: input.type,
    options: JSON.stringify(input.options),
    required_on_solve: input.requiredOnSolve ? 1 : 0,
    position: count + 1,
    archived: 0,
    created_at: now,
    updated_at: now,
  };
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db).insertInto('ticket_fields').values(row).execute();
    await publish(ctx, 'ticket_field.created', ws, 'ticket_field', row.id, { key: input.key, type: input.type });
  });
  return toField(row);
}

export async function archiveField(ctx: Ctx, id: string) {
  await unitOfWork(ctx, async (ctx) => {
    const r = await own(ctx.db)
      .updateTable('ticket_fields')
      .set({ archived: 1, updated_at: ctx.clock.now().toISOString() })
      .where('id', '=', id)
      .where('workspace_id', '=', ctx.actor.workspaceId)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw notFound('field');
    await publish(ctx, 'ticket_field.archived', ctx.actor.workspaceId, 'ticket_field', id, {});
  });
}

const orderNo = /^[A-Za-z0-9-]{4,40}$/;
const phone = /^\+?[\d\s()-]{5,25}$/;
const email = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;
const valid: Record<string, (v: unknown, def: FieldDef) => boolean> = {
  text: (v) => typeof v === 'string' && v.length <= 5000,
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  select: (v, def) => typeof v === 'string' && def.options.includes(v),
  date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
  order_number: (v) => typeof v === 'string' && orderNo.test(v),
  phone: (v) => typeof v === 'string' && phone.test(v) && (v.match(/\d/g)?.length ?? 0) >= 5,
  email: (v) => typeof v === 'string' && v.length <= 254 && email.test(v),
};
const expected: Record<string, string> = { order_number: 'an order number', email: 'an e-mail address' };

/** Checks values against the definitions; returns the merged values or throws one 400 naming every problem. */
export function checkFields(
  defs: FieldDef[],
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const problems: string[] = [];
  const out = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    const def = defs.find((d) => d.key === key);
    if (!def) {
      problems.push(`${key}: no such field`);
      continue;
    }
    if (value === null || value === '') {
      delete out[key];
      continue;
    }
    if (!(valid[def.type] ?? valid.text)(value, def))
      problems.push(
        `${key}: expected ${def.type === 'select' ? `one of ${def.options.join(', ')}` : (expected[def.type] ?? `a ${def.type}`)}`,
      );
    else out[key] = value;
  }
  if (problems.length) throw new AppError(400, 'invalid_fields', problems.join('; '), problems);
  return out;
}

export function missingOnSolve(defs: FieldDef[], values: Record<string, unknown>): string[] {
  return defs
    .filter((d) => d.requiredOnSolve && (values[d.key] === undefined || values[d.key] === null || values[d.key] === ''))
    .map((d) => d.key);
}
