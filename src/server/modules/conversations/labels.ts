/**
 * Conversation labels (issue 16): coloured labels per workspace (admins keep the list), put on and
 * taken off conversations by agents; the inbox filters by one (list.ts). Every change is an event,
 * so the audit log records it; a conversation's new set is pushed to the watching consoles.
 */
import type { ConversationLabelBody } from '../../../shared/chat-api.ts';
import { afterCommit, publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { chatChannel, type ChatBusMessage } from './chat-bus.ts';
import { own, type ConversationLabelsTable } from './schema.ts';

/** A workspace keeps at most this many labels. */
export const maxLabels = 200;

const toLabel = (r: ConversationLabelsTable, conversations: number) => ({
  id: r.id,
  name: r.name,
  color: r.color as ConversationLabelBody['color'],
  conversations,
  createdAt: r.created_at,
});

export async function listLabels(ctx: Ctx) {
  const ws = ctx.actor.workspaceId;
  const rows = await own(ctx.db)
    .selectFrom('conversation_labels')
    .selectAll()
    .where('workspace_id', '=', ws)
    .orderBy('name')
    .execute();
  const counts = await own(ctx.db)
    .selectFrom('conversation_label_links')
    .select(['label_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('workspace_id', '=', ws)
    .groupBy('label_id')
    .execute();
  const n = new Map(counts.map((c) => [c.label_id, Number(c.n)]));
  return rows.map((r) => toLabel(r, n.get(r.id) ?? 0));
}

async function assertNameFree(ctx: Ctx, name: string, exceptId?: string) {
  let q = own(ctx.db)
    .selectFrom('conversation_labels')
    .select('id')
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .where('name', '=', name);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw conflict(`a label named "${name}" exists`);
}

async function labelRow(ctx: Ctx, id: string) {
  const row = await own(ctx.db)
    .selectFrom('conversation_labels')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .executeTakeFirst();
  if (!row) throw notFound('label');
  return row;
}

export async function createLabel(ctx: Ctx, input: ConversationLabelBody) {
  await assertNameFree(ctx, input.name);
  const count = await own(ctx.db)
    .selectFrom('conversation_labels')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= maxLabels) throw conflict(`a workspace keeps at most ${maxLabels} labels`);
  const now = ctx.clock.now().toISOString();
  const row: ConversationLabelsTable = {
    id: newId('lbl'),
    workspace_id: ctx.actor.workspaceId,
    name: input.name,
    color: input.color,
    created_at: now,
    updated_at: now,
  };
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db).insertInto('conversation_labels').values(row).execute();
    await publish(ctx, 'conversation_label.created', row.workspace_id, 'conversation_label', row.id, {
      name: row.name,
      color: row.color,
    });
  });
  return toLabel(row, 0);
}

export async function updateLabel(ctx: Ctx, id: string, input: ConversationLabelBody) {
  const cur = await labelRow(ctx, id);
  await assertNameFree(ctx, input.name, id);
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db)
      .updateTable('conversation_labels')
      .set({ name: input.name, color: input.color, updated_at: ctx.clock.now().toISOString() })
      .where('id', '=', id)
      .execute();
    await publish(ctx, 'conversation_label.updated', ctx.actor.workspaceId, 'conversation_label', id, {
      name: { from: cur.name, to: input.name },
      color: { from: cur.color, to: input.color },
    });
  });
  return (await listLabels(ctx)).find((l) => l.id === id)!;
}

/** Deleting a label takes it off every conversation (in the same transaction). */
export async function deleteLabel(ctx: Ctx, id: string) {
  const cur = await labelRow(ctx, id);
  await unitOfWork(ctx, async (ctx) => {
    const off = await own(ctx.db).deleteFrom('conversation_label_links').where('label_id', '=', id).executeTakeFirst();
    await own(ctx.db).deleteFrom('conversation_labels').where('id', '=', id).execute();
    await publish(ctx, 'conversation_label.deleted', ctx.actor.workspaceId, 'conversation_label', id, {
      name: cur.name,
      conversations: Number(off.numDeletedRows),
    });
  });
}

/** Labels of these conversations, each list in the order the labels were put on. */
export async function labelIdsOf(s: Pick<Services, 'db'>, ids: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!ids.length) return out;
  const rows = await own(s.db)
    .selectFrom('conversation_label_links')
    .select(['conversation_id', 'label_id'])
    .where('conversation_id', 'in', ids)
    .orderBy('created_at')
    .orderBy('label_id')
    .execute();
  for (const r of rows) out.set(r.conversation_id, [...(out.get(r.conversation_id) ?? []), r.label_id]);
  return out;
}

/** Sets the conversation's labels to exactly `labelIds` (the workspace's own); says what was added and removed. */
export async function setConversationLabels(ctx: Ctx, conversationId: string, labelIds: string[]) {
  const ws = ctx.actor.workspaceId;
  const conv = await own(ctx.db)
    .selectFrom('conversations')
    .select('id')
    .where('id', '=', conversationId)
    .where('workspace_id', '=', ws)
    .executeTakeFirst();
  if (!conv) throw notFound('conversation');
  const wanted = [...new Set(labelIds)];
  if (wanted.length) {
    const known = await own(ctx.db)
      .selectFrom('conversation_labels')
      .select('id')
      .where('workspace_id', '=', ws)
      .where('id', 'in', wanted)
      .execute();
    const missing = wanted.filter((id) => !known.some((k) => k.id === id));
    if (missing.length) throw badRequest(`unknown label: ${missing.join(', ')}`);
  }
  await unitOfWork(ctx, async (ctx) => {
    const cur = (
      await own(ctx.db)
        .selectFrom('conversation_label_links')
        .select('label_id')
        .where('conversation_id', '=', conversationId)
        .execute()
    ).map((r) => r.label_id);
    const added = wanted.filter((id) => !cur.includes(id));
    const removed = cur.filter((id) => !wanted.includes(id));
    if (!added.length && !removed.length) return;
    if (removed.length)
      await own(ctx.db)
        .deleteFrom('conversation_label_links')
        .where('conversation_id', '=', conversationId)
        .where('label_id', 'in', removed)
        .execute();
    const now = ctx.clock.now().toISOString();
    if (added.length)
      await own(ctx.db)
        .insertInto('conversation_label_links')
        .values(
          added.map((label_id) => ({ conversation_id: conversationId, label_id, workspace_id: ws, created_at: now })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    await publish(ctx, 'conversation.labeled', ws, 'conversation', conversationId, { added, removed });
    await afterCommit(ctx, () =>
      ctx.bus.publish(chatChannel, { k: 'conv', ws, id: conversationId } satisfies ChatBusMessage),
    );
  });
  return (await labelIdsOf(ctx, [conversationId])).get(conversationId) ?? [];
}
