/** The two MessageStore implementations: SQLite in a worker thread, PostgreSQL through Kysely. */
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { own } from './schema.ts';
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

/**
 * PostgreSQL: one transaction and four statements per batch, whatever its size: find resends,
 * lock the batch's conversations (`for update`, which serialises seqs across nodes), advance
 * them, insert the messages.
 */
export function pgStore(db: Db): MessageStore {
  return {
    commit: (batch) =>
      db.transaction().execute(async (tx) => {
        const out: (CommitResult | undefined)[] = new Array(batch.length);
        const key = (m: { conversationId: string; senderType: string; clientId: string | null }) =>
          `${m.conversationId}\u0000${m.senderType}\u0000${m.clientId}`;
        const withCid = batch.filter((m) => m.clientId);
        const existing = new Map<string, { id: string; seq: number; created_at: string }>();
        if (withCid.length) {
          const rows = await own(tx)
            .selectFrom('messages')
            .select(['id', 'seq', 'created_at', 'conversation_id', 'sender_type', 'client_id'])
            .where('conversation_id', 'in', [...new Set(withCid.map((m) => m.conversationId))])
            .where('client_id', 'in', [...new Set(withCid.map((m) => m.clientId!))])
            .execute();
          for (const r of rows)
            existing.set(
              key({ conversationId: r.conversation_id, senderType: r.sender_type, clientId: r.client_id }),
              r,
            );
        }
        const convIds = [...new Set(batch.map((m) => m.conversationId))];
        const locked = await sql<{
          id: string;
          workspace_id: string;
          status: string;
          last_seq: number;
          agent_last_read_seq: number;
          customer_last_read_seq: number;
          last_message_preview: string | null;
          ticket_id: string | null;
        }>`
          select id, workspace_id, status, last_seq, agent_last_read_seq, customer_last_read_seq, last_message_preview, ticket_id
          from conversations where id in (${sql.join(convIds)}) order by id for update`.execute(tx);
        const convs = new Map(
          locked.rows.map((r) => [
            r.id,
            { ...r, reopened: false, lastAt: null as string | null, snoozeCleared: false },
          ]),
        );
        const firstOfKey = new Map<string, number>();
        const inserts: PendingMessage[] = [];
        const seqs: number[] = [];
        batch.forEach((m, i) => {
          const dup = m.clientId ? existing.get(key(m)) : undefined;
          if (dup)
            return void (out[i] = {
              ok: true,
              id: dup.id,
              seq: dup.seq,
              createdAt: dup.created_at,
              duplicate: true,
              reopened: false,
            });
          const c = convs.get(m.conversationId);
          if (!c || c.workspace_id !== m.workspaceId)
            return void (out[i] = { ok: false, code: 'unknown_conversation', message: 'no such conversation' });
          if (m.clientId) {
            const k = key(m);
            if (firstOfKey.has(k)) return; // a resend inside the same batch: answered below
            firstOfKey.set(k, i);
          }
          const seq = ++c.last_seq;
          c.lastAt = m.createdAt;
          if (m.kind !== 'note') c.last_message_preview = preview(m);
          if (m.senderType === 'agent') c.agent_last_read_seq = seq;
          if (m.senderType === 'customer') {
            c.customer_last_read_seq = seq;
            c.snoozeCleared = true;
            if (c.status === 'resolved' || c.status === 'snoozed') {
              c.status = 'open';
              c.reopened = true;
            }
          }
          out[i] = {
            ok: true,
            id: m.id,
            seq,
            createdAt: m.createdAt,
            duplicate: false,
            reopened: c.reopened,
            ticketId: c.ticket_id,
          };
          inserts.push(m);
          seqs.push(seq);
        });
        const changed = [...convs.values()].filter((c) => c.lastAt);
        if (changed.length) {
          const values = sql.join(
            changed.map(
              (c) =>
                sql`(${c.id}, ${c.last_seq}::integer, ${c.lastAt}::text, ${c.last_message_preview}::text, ${c.agent_last_read_seq}::integer, ${c.customer_last_read_seq}::integer, ${c.status}, ${c.snoozeCleared}::boolean)`,
            ),
          );
          await sql`update conversations as c set last_seq = v.last_seq, last_message_at = v.at, updated_at = v.at, last_message_preview = v.preview,
              agent_last_read_seq = v.agent_read, customer_last_read_seq = v.customer_read, status = v.status,
              snoozed_until = case when v.clear_snooze then null else c.snoozed_until end
            from (values ${values}) as v(id, last_seq, at, preview, agent_read, customer_read, status, clear_snooze) where c.id = v.id`.execute(
            tx,
          );
          await own(tx)
            .insertInto('messages')
            .values(
              inserts.map((m, j) => ({
                id: m.id,
                workspace_id: m.workspaceId,
                conversation_id: m.conversationId,
                seq: seqs[j],
                client_id: m.clientId,
                sender_type: m.senderType,
                sender_id: m.senderId,
                sender_name: m.senderName,
                kind: m.kind,
                body: m.body,
                attachments: JSON.stringify(m.attachments),
                created_at: m.createdAt,
              })),
            )
            .execute();
        }
        // Resends inside the batch get the first copy's answer.
        batch.forEach((m, i) => {
          if (out[i]) return;
          const first = out[firstOfKey.get(key(m))!]!;
          out[i] = first.ok ? { ...first, duplicate: true, reopened: false } : first;
        });
        return out as CommitResult[];
      }),
    async close() {},
  };
}
