/** The two MessageStore implementations: SQLite in a worker thread, PostgreSQL through Kysely. */
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { preview, type CommitResult, type MessageStore, type PendingMessage } from './writer.ts';

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
        worker.postMessage({ id, batch: batch.map((m) => ({ ...m, preview: preview(m) })) });
      });
    },
    async close() {
      worker.postMessage('close');
      await new Promise((r) => worker.once('exit', r));
    },
  };
}

/** PostgreSQL: one transaction per batch; `for update` serialises seqs of a conversation across nodes. */
export function pgStore(db: Db): MessageStore {
  return {
    commit: (batch) =>
      db.transaction().execute(async (tx) => {
        const out: CommitResult[] = [];
        for (const m of batch) {
          const findDup = () =>
            tx.selectFrom('messages').select(['id', 'seq', 'created_at']).where('conversation_id', '=', m.conversationId).where('sender_type', '=', m.senderType).where('client_id', '=', m.clientId).executeTakeFirst();
          const dup = m.clientId ? await findDup() : undefined;
          if (dup) {
            out.push({ ok: true, id: dup.id, seq: dup.seq, createdAt: dup.created_at, duplicate: true, reopened: false });
            continue;
          }
          // Locks the conversation row: two nodes writing one conversation take turns for seqs.
          const cur = await sql<{ status: string }>`select status from conversations where id = ${m.conversationId} and workspace_id = ${m.workspaceId} for update`.execute(tx);
          const status = cur.rows[0]?.status;
          if (!status) {
            out.push({ ok: false, code: 'unknown_conversation', message: 'no such conversation' });
            continue;
          }
          const customer = m.senderType === 'customer';
          const bumped = await tx
            .updateTable('conversations')
            .set((eb) => ({
              last_seq: eb('last_seq', '+', 1),
              last_message_at: m.createdAt,
              updated_at: m.createdAt,
              ...(m.kind === 'note' ? {} : { last_message_preview: preview(m) }),
              ...(m.senderType === 'agent' ? { agent_last_read_seq: eb('last_seq', '+', 1) } : {}),
              ...(customer ? { customer_last_read_seq: eb('last_seq', '+', 1), snoozed_until: null } : {}),
              ...(customer && (status === 'resolved' || status === 'snoozed') ? { status: 'open' } : {}),
            }))
            .where('id', '=', m.conversationId)
            .returning('last_seq')
            .executeTakeFirstOrThrow();
          const inserted = await tx
            .insertInto('messages')
            .values({
              id: m.id,
              workspace_id: m.workspaceId,
              conversation_id: m.conversationId,
              seq: bumped.last_seq,
              client_id: m.clientId,
              sender_type: m.senderType,
              sender_id: m.senderId,
              sender_name: m.senderName,
              kind: m.kind,
              body: m.body,
              attachments: JSON.stringify(m.attachments),
              created_at: m.createdAt,
            })
            .onConflict((oc) => oc.columns(['conversation_id', 'sender_type', 'client_id']).doNothing())
            .returning('id')
            .executeTakeFirst();
          const raced = !inserted && m.clientId ? await findDup() : undefined; // a concurrent resend on another node won
          out.push(
            raced
              ? { ok: true, id: raced.id, seq: raced.seq, createdAt: raced.created_at, duplicate: true, reopened: false }
              : { ok: true, id: m.id, seq: bumped.last_seq, createdAt: m.createdAt, duplicate: false, reopened: customer && (status === 'resolved' || status === 'snoozed') },
          );
        }
        return out;
      }),
    async close() {},
  };
}
