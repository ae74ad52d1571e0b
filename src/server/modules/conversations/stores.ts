/**
 * The two MessageStore implementations: SQLite in a worker thread (sqlite-writer-worker.ts),
 * PostgreSQL through Kysely. Both load the batch's state inside their transaction, decide with
 * the same rules (`planCommit`) and write the result; events go into the outbox in that
 * transaction.
 */
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import type { Db, Tx } from '../../db/index.ts';
import { outboxInsert } from '../../lib/events/index.ts';
import { newId } from '../../lib/ids.ts';
import { planCommit, type CommitPlan, type ConversationState, type StoredMessage } from './commit-rules.ts';
import type { CommitResult, MessageStore, PendingMessage } from './writer.ts';

export function sqliteWorkerStore(file: string): MessageStore {
  const worker = new Worker(new URL('./sqlite-writer-worker.ts', import.meta.url), { workerData: { file } });
  worker.unref();
  const pending = new Map<number, { resolve: (r: CommitResult[]) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let failure: Error | null = null;
  worker.on('message', (msg: { id: number; results?: CommitResult[]; error?: string }) => {
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.error) p?.reject(new Error(msg.error));
    else p?.resolve(msg.results!);
  });
  worker.on('error', (err: Error) => {
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  });
  return {
    commit(batch) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, batch });
      });
    },
    async close() {
      worker.postMessage('close');
      await new Promise((r) => worker.once('exit', r));
    },
  };
}

/**
 * A resend the batch's first statement could not see: it was committed by another node while
 * that statement waited for the conversation's lock (the statement reads with the snapshot it
 * started with). The unique index kept it from being stored twice; the batch is run again.
 */
class ConcurrentResend extends Error {}
const maxAttempts = 3;

/**
 * PostgreSQL: one transaction and two statements per batch, whatever its size. The first locks
 * the batch's conversations (`for update`, in id order: two nodes writing one conversation take
 * turns for seqs) and reads them and the possible resends; the second updates the conversations,
 * inserts the messages (`on conflict do nothing returning`, which proves no resend slipped by)
 * and the events' outbox rows, as data-modifying CTEs.
 */
export function pgStore(db: Db): MessageStore {
  return {
    async commit(batch) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().execute((tx) => commitOnce(tx, batch));
        } catch (err) {
          if (!(err instanceof ConcurrentResend) || attempt >= maxAttempts) throw err;
        }
      }
    },
    async close() {},
  };
}

async function commitOnce(tx: Tx, batch: PendingMessage[]): Promise<CommitResult[]> {
  const convIds = [...new Set(batch.map((m) => m.conversationId))];
  // Resends are looked up only where the conversation is in the sender's workspace (messages carry
  // it): (conversation, workspace, client id) triples, one index probe each.
  const keys = new Map<string, [string, string, string]>();
  for (const m of batch)
    if (m.clientId !== null)
      keys.set(`${m.conversationId}\u0000${m.workspaceId}\u0000${m.clientId}`, [
        m.conversationId,
        m.workspaceId,
        m.clientId,
      ]);
  const key = (i: number) => [...keys.values()].map((k) => k[i]);
  const read = await sql<{ k: 'c' | 'm'; r: string }>`
    with c as (
      select id, workspace_id, status, last_seq, last_public_seq, agent_last_read_seq, customer_last_read_seq,
        last_message_preview, ticket_id
      from conversations where id = any(${convIds}::text[]) order by id for update
    )
    select 'c' as k, row_to_json(c)::text as r from c
    union all
    select 'm', row_to_json(m)::text from (
      select m.id, m.conversation_id, m.seq, m.prev_public_seq, m.client_id, m.sender_type, m.sender_id, m.kind, m.body,
        m.attachments, m.created_at
      from unnest(${key(0)}::text[], ${key(1)}::text[], ${key(2)}::text[]) as k(conversation_id, workspace_id, client_id)
      join messages m
        on m.conversation_id = k.conversation_id and m.client_id = k.client_id and m.workspace_id = k.workspace_id
    ) m`.execute(tx);
  const convs: ConversationState[] = [];
  const stored: StoredMessage[] = [];
  for (const row of read.rows) (row.k === 'c' ? convs : stored).push(JSON.parse(row.r));
  const plan = planCommit(batch, convs, stored, () => newId('evt'));
  if (plan.messages.length) await write(tx, plan);
  return plan.results;
}

/** The second statement: conversations, messages and outbox rows, each from arrays (`unnest`). */
async function write(tx: Tx, plan: CommitPlan): Promise<void> {
  const u = plan.conversations;
  const col = <K extends keyof CommitPlan['messages'][number]>(k: K) => plan.messages.map((m) => m[k]);
  const events = plan.outbox.length ? sql`, o as (${outboxInsert(tx, plan.outbox)})` : sql``;
  const r = await sql<{ inserted: number }>`
    with u as (
      update conversations as c set last_seq = v.last_seq, last_public_seq = v.last_public_seq,
        last_message_at = v.at, updated_at = v.at, last_message_preview = v.preview,
        agent_last_read_seq = v.agent_read, customer_last_read_seq = v.customer_read, status = v.status,
        snoozed_until = case when v.clear_snooze then null else c.snoozed_until end
      from unnest(${u.map((c) => c.id)}::text[], ${u.map((c) => c.last_seq)}::integer[],
          ${u.map((c) => c.last_public_seq)}::integer[], ${u.map((c) => c.last_message_at)}::text[],
          ${u.map((c) => c.last_message_preview)}::text[], ${u.map((c) => c.agent_last_read_seq)}::integer[],
          ${u.map((c) => c.customer_last_read_seq)}::integer[], ${u.map((c) => c.status)}::text[],
          ${u.map((c) => c.clear_snooze)}::boolean[])
        as v(id, last_seq, last_public_seq, at, preview, agent_read, customer_read, status, clear_snooze)
      where c.id = v.id
    ), m as (
      insert into messages (id, workspace_id, conversation_id, seq, prev_public_seq, client_id, sender_type, sender_id,
        sender_name, kind, body, attachments, created_at)
      select * from unnest(${col('id')}::text[], ${col('workspace_id')}::text[], ${col('conversation_id')}::text[],
        ${col('seq')}::integer[], ${col('prev_public_seq')}::integer[], ${col('client_id')}::text[],
        ${col('sender_type')}::text[], ${col('sender_id')}::text[], ${col('sender_name')}::text[], ${col('kind')}::text[],
        ${col('body')}::text[], ${col('attachments')}::text[], ${col('created_at')}::text[])
      on conflict (conversation_id, client_id, sender_type, sender_id) do nothing
      returning 1
    )${events}
    select count(*)::integer as inserted from m`.execute(tx);
  if (r.rows[0].inserted !== plan.messages.length) throw new ConcurrentResend('a resend was committed concurrently');
}
