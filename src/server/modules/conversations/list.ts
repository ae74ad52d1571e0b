/** Agents' inbox: conversation rows (summaries) and the filtered, searched, paged list with its counts. */
import type { ConversationSummary } from '../../../shared/realtime/protocol.ts';
import type { Ctx, Services } from '../../context.ts';
import { customerNames, findCustomerIds } from '../customers/index.ts';
import { own } from './schema.ts';

/** Inbox rows for agents; `pii` decides whether customer names are shown or masked. */
export async function summaries(
  s: Services,
  workspaceId: string,
  ids: string[],
  pii: boolean,
): Promise<ConversationSummary[]> {
  if (!ids.length) return [];
  const rows = await own(s.db)
    .selectFrom('conversations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
  const names = await customerNames(
    s,
    rows.map((r) => r.customer_id),
    pii,
  );
  return rows.map((r) => ({
    id: r.id,
    inboxId: r.inbox_id,
    customerId: r.customer_id,
    customerName: names.get(r.customer_id) ?? null,
    status: r.status as ConversationSummary['status'],
    assigneeId: r.assignee_id,
    lastSeq: r.last_seq,
    lastMessageAt: r.last_message_at,
    lastMessagePreview: r.last_message_preview,
    agentLastReadSeq: r.agent_last_read_seq,
    customerLastReadSeq: r.customer_last_read_seq,
    snoozedUntil: r.snoozed_until,
    createdAt: r.created_at,
  }));
}

export type ListQuery = {
  view: 'mine' | 'unassigned' | 'all';
  status?: string;
  q?: string;
  inboxId?: string;
  before?: string;
  limit: number;
};

export async function listConversations(ctx: Ctx, f: ListQuery) {
  const ws = ctx.actor.workspaceId;
  const base = () => {
    let q = own(ctx.db).selectFrom('conversations').where('workspace_id', '=', ws);
    if (f.inboxId) q = q.where('inbox_id', '=', f.inboxId);
    return q;
  };
  let q = base().select(['id', 'updated_at']);
  if (f.view === 'mine') q = q.where('assignee_id', '=', ctx.actor.userId);
  if (f.view === 'unassigned') q = q.where('assignee_id', 'is', null);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.q) {
    const customers = await findCustomerIds(ctx, ws, f.q);
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        ...(customers.length ? [eb('customer_id', 'in', customers)] : []),
        eb(
          'id',
          'in',
          eb
            .selectFrom('messages')
            .select('conversation_id')
            .where('workspace_id', '=', ws)
            .where('body', 'like', like),
        ),
      ]),
    );
  }
  if (f.before) q = q.where('updated_at', '<', f.before);
  const rows = await q
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const page = rows.slice(0, f.limit);
  const found = new Map(
    (
      await summaries(
        ctx,
        ws,
        page.map((r) => r.id),
        ctx.actor.permissions.includes('customers.pii'),
      )
    ).map((c) => [c.id, c]),
  );
  const items = page.map((r) => found.get(r.id)!); // in the list's order
  const count = async (view: ListQuery['view']) => {
    let c = base()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'open');
    if (view === 'mine') c = c.where('assignee_id', '=', ctx.actor.userId);
    if (view === 'unassigned') c = c.where('assignee_id', 'is', null);
    return Number((await c.executeTakeFirstOrThrow()).n);
  };
  return {
    items,
    counts: { mine: await count('mine'), unassigned: await count('unassigned'), all: await count('all') },
    nextBefore: rows.length > f.limit ? page[page.length - 1].updated_at : null,
  };
}
