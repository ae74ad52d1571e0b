/** Knowledge-base entries and the workspace's dictionary: CRUD, bulk edit, and the whole base for the bot. */
import type { z } from 'zod';
import type { BulkBody, Entry, EntryInput, EntryList, Term } from '../../../shared/knowledge-api.ts';
import { publish, unitOfWork, type Ctx, type Scope } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor } from '../../lib/keyset.ts';
import { own, type KnowledgeEntriesTable } from './schema.ts';

const arr = (s: string): string[] => JSON.parse(s) as string[];

export function toEntry(r: KnowledgeEntriesTable): Entry {
  return {
    id: r.id,
    question: r.question,
    similar: arr(r.similar),
    answer: r.answer,
    buttons: arr(r.buttons),
    category: r.category,
    tags: arr(r.tags),
    products: arr(r.products),
    orderStates: arr(r.order_states) as Entry['orderStates'],
    channels: arr(r.channels),
    validFrom: r.valid_from,
    validTo: r.valid_to,
    enabled: r.enabled === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The row's columns for an entry (everything but id, workspace and creation time). */
export function rowOf(e: EntryInput, now: string) {
  return {
    question: e.question,
    similar: JSON.stringify(e.similar),
    answer: e.answer,
    buttons: JSON.stringify(e.buttons),
    category: e.category,
    tags: JSON.stringify(e.tags),
    products: JSON.stringify(e.products),
    order_states: JSON.stringify(e.orderStates),
    channels: JSON.stringify(e.channels),
    valid_from: e.validFrom,
    valid_to: e.validTo,
    enabled: e.enabled ? 1 : 0,
    updated_at: now,
  };
}

/** A page of entries in id order (creation order); `q` matches the question, similar questions or answer. */
export async function listEntries(ctx: Ctx, q: z.output<typeof EntryList>) {
  const after = decodeCursor(q.cursor, 1);
  let query = own(ctx.db).selectFrom('knowledge_entries').selectAll().where('workspace_id', '=', ctx.actor.workspaceId);
  if (after) query = query.where('id', '>', String(after[0]));
  if (q.category !== undefined) query = query.where('category', '=', q.category);
  if (q.q?.trim()) {
    const like = `%${q.q.trim().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('question', 'like', like),
        eb('similar', 'like', like),
        eb('answer', 'like', like),
        eb('tags', 'like', like),
      ]),
    );
  }
  const rows = await query
    .orderBy('id')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  return {
    items: page.map(toEntry),
    nextCursor: rows.length > q.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
  };
}

export async function getEntry(ctx: Ctx, id: string): Promise<Entry> {
  const r = await own(ctx.db)
    .selectFrom('knowledge_entries')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .executeTakeFirst();
  if (!r) throw notFound('knowledge entry');
  return toEntry(r);
}

export async function saveEntry(ctx: Ctx, id: string | null, input: EntryInput): Promise<Entry> {
  const ws = ctx.actor.workspaceId;
  const now = ctx.clock.now().toISOString();
  const entryId = id ?? newId('kb');
  await unitOfWork(ctx, async (ctx) => {
    const db = own(ctx.db);
    if (id) {
      const r = await db
        .updateTable('knowledge_entries')
        .set(rowOf(input, now))
        .where('id', '=', id)
        .where('workspace_id', '=', ws)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw notFound('knowledge entry');
    } else {
      await db
        .insertInto('knowledge_entries')
        .values({ id: entryId, workspace_id: ws, created_at: now, ...rowOf(input, now) })
        .execute();
    }
    await publish(ctx, 'knowledge.entry_saved', ws, 'knowledge_entry', entryId, {
      question: input.question,
      created: !id,
    });
  });
  return getEntry(ctx, entryId);
}

export async function deleteEntry(ctx: Ctx, id: string): Promise<void> {
  const entry = await getEntry(ctx, id);
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db)
      .deleteFrom('knowledge_entries')
      .where('id', '=', id)
      .where('workspace_id', '=', ctx.actor.workspaceId)
      .execute();
    await publish(ctx, 'knowledge.entry_deleted', ctx.actor.workspaceId, 'knowledge_entry', id, {
      question: entry.question,
    });
  });
}

/** One change to many entries (or their deletion), all or nothing; ids of other workspaces are not touched. */
export async function bulkEdit(ctx: Ctx, b: z.output<typeof BulkBody>): Promise<{ count: number }> {
  const ws = ctx.actor.workspaceId;
  const now = ctx.clock.now().toISOString();
  return unitOfWork(ctx, async (ctx) => {
    const db = own(ctx.db);
    const rows = await db
      .selectFrom('knowledge_entries')
      .selectAll()
      .where('workspace_id', '=', ws)
      .where('id', 'in', b.ids)
      .execute();
    if (b.delete) {
      if (rows.length)
        await db
          .deleteFrom('knowledge_entries')
          .where('workspace_id', '=', ws)
          .where(
            'id',
            'in',
            rows.map((r) => r.id),
          )
          .execute();
    } else {
      for (const r of rows) {
        const e = toEntry(r);
        let tags = e.tags.filter((t) => !b.removeTags?.includes(t));
        tags = [...new Set([...tags, ...(b.addTags ?? [])])].slice(0, 20);
        const next: EntryInput = {
          ...e,
          category: b.category ?? e.category,
          enabled: b.enabled ?? e.enabled,
          channels: b.channels ?? e.channels,
          tags,
        };
        await db.updateTable('knowledge_entries').set(rowOf(next, now)).where('id', '=', r.id).execute();
      }
    }
    await publish(ctx, 'knowledge.bulk_changed', ws, 'knowledge', ws, { count: rows.length, deleted: !!b.delete });
    return { count: rows.length };
  });
}

export async function listTerms(ctx: Ctx): Promise<Term[]> {
  return termsOf(ctx, ctx.actor.workspaceId);
}

/** Replaces the dictionary (terms are few, edited as one list). */
export async function saveTerms(ctx: Ctx, terms: Term[]): Promise<Term[]> {
  const ws = ctx.actor.workspaceId;
  const now = ctx.clock.now().toISOString();
  const unique = [...new Map(terms.map((t) => [t.term, t])).values()];
  await unitOfWork(ctx, async (ctx) => {
    const db = own(ctx.db);
    await db.deleteFrom('knowledge_terms').where('workspace_id', '=', ws).execute();
    for (let i = 0; i < unique.length; i += 200)
      await db
        .insertInto('knowledge_terms')
        .values(
          unique.slice(i, i + 200).map((t) => ({
            id: newId('kbt'),
            workspace_id: ws,
            term: t.term,
            synonyms: JSON.stringify(t.synonyms),
            created_at: now,
          })),
        )
        .execute();
    await publish(ctx, 'knowledge.terms_saved', ws, 'knowledge', ws, { count: unique.length });
  });
  return listTerms(ctx);
}

async function termsOf(s: { db: Executor }, workspaceId: string): Promise<Term[]> {
  const rows = await own(s.db)
    .selectFrom('knowledge_terms')
    .select(['term', 'synonyms'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('term')
    .execute();
  return rows.map((r) => ({ term: r.term, synonyms: arr(r.synonyms) }));
}

/** The whole knowledge base of a workspace (enabled and not), with its dictionary: what the bot indexes. */
export async function knowledgeBase(s: Scope, workspaceId: string): Promise<{ entries: Entry[]; terms: Term[] }> {
  const rows = await own(s.db)
    .selectFrom('knowledge_entries')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('id')
    .execute();
  return { entries: rows.map(toEntry), terms: await termsOf(s, workspaceId) };
}
