/** Canned replies: short codes agents expand with `/` in the composer; `{{customer.name}}` etc. are filled in the console. */
import { publish, unitOfWork, type Ctx } from '../../context.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { own, type CannedRepliesTable } from './schema.ts';

const toReply = (r: CannedRepliesTable) => ({
  id: r.id,
  shortCode: r.short_code,
  content: r.content,
  createdAt: r.created_at,
});

export async function listCanned(ctx: Ctx) {
  return (
    await own(ctx.db)
      .selectFrom('canned_replies')
      .selectAll()
      .where('workspace_id', '=', ctx.actor.workspaceId)
      .orderBy('short_code')
      .execute()
  ).map(toReply);
}

async function assertFree(ctx: Ctx, shortCode: string, exceptId?: string) {
  let q = own(ctx.db)
    .selectFrom('canned_replies')
    .select('id')
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .where('short_code', '=', shortCode);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw conflict(`the short code /${shortCode} is taken`);
}

export async function createCanned(ctx: Ctx, input: { shortCode: string; content: string }) {
  await assertFree(ctx, input.shortCode);
  const now = ctx.clock.now().toISOString();
  const row: CannedRepliesTable = {
    id: newId('cnr'),
    workspace_id: ctx.actor.workspaceId,
    short_code: input.shortCode,
    content: input.content,
    created_at: now,
    updated_at: now,
  };
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db).insertInto('canned_replies').values(row).execute();
    await publish(ctx, 'canned_reply.created', row.workspace_id, 'canned_reply', row.id, { shortCode: row.short_code });
  });
  return toReply(row);
}

export async function updateCanned(ctx: Ctx, id: string, input: { shortCode: string; content: string }) {
  await assertFree(ctx, input.shortCode, id);
  await unitOfWork(ctx, async (ctx) => {
    const r = await own(ctx.db)
      .updateTable('canned_replies')
      .set({ short_code: input.shortCode, content: input.content, updated_at: ctx.clock.now().toISOString() })
      .where('id', '=', id)
      .where('workspace_id', '=', ctx.actor.workspaceId)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw notFound('canned reply');
    await publish(ctx, 'canned_reply.updated', ctx.actor.workspaceId, 'canned_reply', id, {
      shortCode: input.shortCode,
    });
  });
  return toReply(
    await own(ctx.db).selectFrom('canned_replies').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
  );
}

export async function deleteCanned(ctx: Ctx, id: string) {
  await unitOfWork(ctx, async (ctx) => {
    const r = await own(ctx.db)
      .deleteFrom('canned_replies')
      .where('id', '=', id)
      .where('workspace_id', '=', ctx.actor.workspaceId)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('canned reply');
    await publish(ctx, 'canned_reply.deleted', ctx.actor.workspaceId, 'canned_reply', id, {});
  });
}
