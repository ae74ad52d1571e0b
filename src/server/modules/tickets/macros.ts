/** Macros: one click sets properties and adds a reply. */
import type { z } from 'zod';
import type { MacroBody } from '../../../shared/tickets-api.ts';
import { publish, unitOfWork, type Ctx } from '../../context.ts';
import { notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { reply } from './actions.ts';
import { ticketRow, whoOf } from './model.ts';
import { own } from './schema.ts';
import { updateTicket } from './service.ts';

export async function listMacros(ctx: Ctx) {
  const rows = await own(ctx.db)
    .selectFrom('macros')
    .selectAll()
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .orderBy('name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    actions: JSON.parse(r.actions) as z.output<typeof MacroBody>['actions'],
    createdAt: r.created_at,
  }));
}

export async function saveMacro(ctx: Ctx, id: string | null, input: z.output<typeof MacroBody>) {
  const iso = ctx.clock.now().toISOString();
  const existing = id;
  id ??= newId('mac');
  await unitOfWork(ctx, async (ctx) => {
    if (existing) {
      const r = await own(ctx.db)
        .updateTable('macros')
        .set({ name: input.name, actions: JSON.stringify(input.actions), updated_at: iso })
        .where('id', '=', id)
        .where('workspace_id', '=', ctx.actor.workspaceId)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw notFound('macro');
    } else {
      await own(ctx.db)
        .insertInto('macros')
        .values({
          id,
          workspace_id: ctx.actor.workspaceId,
          name: input.name,
          actions: JSON.stringify(input.actions),
          created_at: iso,
          updated_at: iso,
        })
        .execute();
    }
    await publish(ctx, 'macro.saved', ctx.actor.workspaceId, 'macro', id, { name: input.name });
  });
  return (await listMacros(ctx)).find((m) => m.id === id)!;
}

/** One click: set fields, then add the reply (a reply's status rides on the macro's status). */
export async function applyMacro(ctx: Ctx, ticketId: string, macroId: string, version: number) {
  const m = (await listMacros(ctx)).find((x) => x.id === macroId);
  if (!m) throw notFound('macro');
  const a = m.actions;
  const t = await ticketRow(ctx, ctx.actor.workspaceId, ticketId);
  const tags = a.addTags ? [...new Set([...(JSON.parse(t.tags) as string[]), ...a.addTags])] : undefined;
  const who = whoOf(ctx);
  let ticket = await updateTicket(ctx, who, ticketId, {
    version,
    priority: a.priority,
    type: a.type,
    groupId: a.groupId,
    tags,
    assigneeId: a.assigneeId === 'me' ? ctx.actor.userId : a.assigneeId,
    ...(a.reply ? {} : { status: a.status }),
  });
  if (a.reply)
    ticket = await reply(ctx, who, ticketId, { body: a.reply.body, public: a.reply.public, status: a.status });
  return ticket;
}
