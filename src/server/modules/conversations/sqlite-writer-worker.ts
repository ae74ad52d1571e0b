/**
 * Runs in a worker thread: commits message batches to the SQLite file with its own connection.
 * SQLite's fsync and WAL checkpoints block the thread that runs them; here that is this worker,
 * never the event loop that relays messages. Only node built-ins and the SQL functions are imported.
 */
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { registerSqliteFunctions } from '../../db/sqlite-functions.ts';
import type { CommitResult, PendingMessage } from './writer.ts';

const db = new DatabaseSync((workerData as { file: string }).file, { timeout: 10_000 });
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA synchronous = NORMAL');
db.exec('PRAGMA foreign_keys = ON');
registerSqliteFunctions(db); // the messages' full-text trigger calls kefu_terms

// Prepared on first use: the worker may start before the migrations have created the tables.
const prepareAll = () => ({
  findDup: db.prepare(
    'SELECT id, seq, created_at FROM messages WHERE conversation_id = ? AND sender_type = ? AND client_id = ?',
  ),
  current: db.prepare('SELECT status FROM conversations WHERE id = ? AND workspace_id = ?'),
  bump: db.prepare(`UPDATE conversations SET
    last_seq = last_seq + 1,
    last_message_at = ?1,
    last_message_preview = CASE WHEN ?2 = 'note' THEN last_message_preview ELSE ?3 END,
    updated_at = ?1,
    agent_last_read_seq = CASE WHEN ?4 = 'agent' THEN last_seq + 1 ELSE agent_last_read_seq END,
    customer_last_read_seq = CASE WHEN ?4 = 'customer' THEN last_seq + 1 ELSE customer_last_read_seq END,
    status = CASE WHEN ?4 = 'customer' AND status IN ('resolved', 'snoozed') THEN 'open' ELSE status END,
    snoozed_until = CASE WHEN ?4 = 'customer' THEN NULL ELSE snoozed_until END
  WHERE id = ?5 RETURNING last_seq, ticket_id`),
  insert:
    db.prepare(`INSERT INTO messages (id, workspace_id, conversation_id, seq, client_id, sender_type, sender_id, sender_name, kind, body, attachments, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
});
let stmts: ReturnType<typeof prepareAll> | undefined;

type Batch = { id: number; batch: (PendingMessage & { preview: string })[] };

function commit(batch: Batch['batch']): CommitResult[] {
  const { findDup, current, bump, insert } = (stmts ??= prepareAll());
  const out: CommitResult[] = [];
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const m of batch) {
      if (m.clientId) {
        const dup = findDup.get(m.conversationId, m.senderType, m.clientId) as
          { id: string; seq: number; created_at: string } | undefined;
        if (dup) {
          out.push({ ok: true, id: dup.id, seq: dup.seq, createdAt: dup.created_at, duplicate: true, reopened: false });
          continue;
        }
      }
      const cur = current.get(m.conversationId, m.workspaceId) as { status: string } | undefined;
      if (!cur) {
        out.push({ ok: false, code: 'unknown_conversation', message: 'no such conversation' });
        continue;
      }
      const { last_seq: seq, ticket_id: ticketId } = bump.get(
        m.createdAt,
        m.kind,
        m.preview,
        m.senderType,
        m.conversationId,
      ) as { last_seq: number; ticket_id: string | null };
      insert.run(
        m.id,
        m.workspaceId,
        m.conversationId,
        seq,
        m.clientId,
        m.senderType,
        m.senderId,
        m.senderName,
        m.kind,
        m.body,
        JSON.stringify(m.attachments),
        m.createdAt,
      );
      out.push({
        ok: true,
        id: m.id,
        seq,
        createdAt: m.createdAt,
        duplicate: false,
        reopened: m.senderType === 'customer' && (cur.status === 'resolved' || cur.status === 'snoozed'),
        ticketId,
      });
    }
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
  return out;
}

parentPort!.on('message', (msg: Batch | 'close') => {
  if (msg === 'close') {
    db.close();
    parentPort!.close(); // lets the worker exit
    return;
  }
  try {
    parentPort!.postMessage({ id: msg.id, results: commit(msg.batch) });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: (err as Error).message });
  }
});
