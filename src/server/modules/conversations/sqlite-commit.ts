/**
 * The SQLite side of the chat writer: commits a batch on a `node:sqlite` connection of its own
 * (in the writer's worker thread, sqlite-writer-worker.ts). Imports only node built-ins and pure
 * project files (the storage rules, the outbox row, ids), so that thread stays small.
 *
 * Per batch: BEGIN IMMEDIATE (the write lock, taken before reading, so nothing read can change
 * before the commit), read the batch's conversations and the possible resends, decide
 * (`planCommit`), write, COMMIT. SQLite runs in-process: there are no round trips to save, only
 * CPU, and prepared statements run once per row cost about half of one statement that unpacks a
 * JSON array of rows (`json_each`; measured: 8 vs 15 µs per conversation update, 20 vs 40 µs per
 * message insert). So the conversations get one UPDATE each per batch (never one per message) and
 * the messages one INSERT each.
 */
import { DatabaseSync } from 'node:sqlite';
import { registerSqliteFunctions } from '../../db/sqlite-functions.ts';
import { outboxColumns } from '../../lib/events/row.ts';
import { newId } from '../../lib/ids.ts';
import { planCommit, resendLookup, type ConversationState, type StoredMessage } from './commit-rules.ts';
import type { CommitResult, PendingMessage } from './writer.ts';

const messageColumns = [
  'id',
  'workspace_id',
  'conversation_id',
  'seq',
  'prev_public_seq',
  'client_id',
  'sender_type',
  'sender_id',
  'sender_name',
  'kind',
  'body',
  'attachments',
  'created_at',
] as const;

/**
 * The writer's page cache, KiB. A message touches about six pages spread over the conversations,
 * their list indexes and the messages' indexes; with SQLite's default (2 MiB) most of them were
 * read again from the file for every batch (`bench/chat/pages.ts`: 53 KB read per message).
 */
const writerCacheKiB = 32 * 1024;

/**
 * Messages committed between two checkpoints (about 2,000–4,000 WAL pages, 8–16 MiB). A checkpoint copies
 * each page once however often the commits since the last one wrote it, so rarer checkpoints copy
 * less; SQLite's automatic checkpoints (every 1,000 pages, inside the COMMIT that crosses them)
 * copied nearly every page a commit wrote. But a checkpoint runs in the writer's thread, and what
 * arrives meanwhile waits for it: at 8,000 msgs/s, 500 instead of 2,000 gave the same CPU per
 * message and p99 32 instead of 36–38 ms (docs/PERFORMANCE.md). A checkpoint in a thread of its own
 * was tried: it never let the WAL restart (690 MB after a minute) and commits got slower.
 */
export const writerCheckpointMessages = 500;

/**
 * The writer thread's own connection to the SQLite file. No automatic checkpoints: the writer
 * runs them itself (`writerCheckpoints`), after a batch's results are sent back.
 */
export function openWriterDb(file: string): DatabaseSync {
  const db = new DatabaseSync(file, { timeout: 10_000 });
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec(`PRAGMA cache_size = -${writerCacheKiB}`);
  db.exec('PRAGMA wal_autocheckpoint = 0');
  registerSqliteFunctions(db); // the messages' full-text trigger calls kefu_terms
  return db;
}

/**
 * When the writer checkpoints: after every `writerCheckpointMessages` committed messages, once it
 * has been idle for a second, and every `everyMs` (which also covers what other connections wrote). PASSIVE:
 * never waits for readers or writers; what it cannot copy yet waits for the next one.
 */
export function writerCheckpoints(db: DatabaseSync, idleMs = 1000, everyMs = 5000) {
  let since = 0;
  let idle: NodeJS.Timeout | undefined;
  // And every few seconds whatever happens: other connections' writes (tickets, monitoring) while
  // no chat message comes, which the main connection no longer checkpoints early (mainCheckpointPages).
  const tick = setInterval(() => run(), everyMs);
  tick.unref();
  const run = () => {
    clearTimeout(idle);
    idle = undefined;
    since = 0;
    try {
      db.exec('PRAGMA wal_checkpoint(PASSIVE)');
    } catch {
      // e.g. another connection is checkpointing: the next one copies what this one would have
    }
  };
  return {
    /** After a batch's results are out: checkpoint now if enough was committed, else when idle. */
    committed(messages: number): void {
      since += messages;
      if (since >= writerCheckpointMessages) return run();
      clearTimeout(idle);
      idle = setTimeout(run, idleMs);
      idle.unref();
    },
    stop(): void {
      clearTimeout(idle);
      clearInterval(tick);
    },
  };
}

/**
 * Indexes the messages the insert trigger queued, in one statement (migration 0089: FTS5 written
 * from a trigger flushes a segment per message). Run in the writer's batch transaction.
 */
export const indexPendingSql = `INSERT INTO messages_fts (rowid, terms)
  SELECT m.rowid, kefu_terms(m.body) FROM messages_fts_pending p JOIN messages m ON m.rowid = p.message_rowid`;

function prepare(db: DatabaseSync) {
  return {
    conversations: db.prepare(`SELECT id, workspace_id, status, last_seq, last_public_seq, agent_last_read_seq,
        customer_last_read_seq, last_message_preview, ticket_id
      FROM conversations WHERE id IN (SELECT value FROM json_each(?))`),
    // (conversation, client id) pairs: one index probe each (messages_sender_client_uq).
    stored: db.prepare(`SELECT m.id, m.conversation_id, m.seq, m.prev_public_seq, m.client_id, m.sender_type,
        m.sender_id, m.kind, m.body, m.attachments, m.created_at
      FROM json_each(?) AS k JOIN messages AS m ON m.conversation_id = k.value->>0 AND m.client_id = k.value->>1`),
    update: db.prepare(`UPDATE conversations SET last_seq = ?2, last_public_seq = ?3, last_message_at = ?4,
        updated_at = ?4, last_message_preview = ?5, agent_last_read_seq = ?6, customer_last_read_seq = ?7,
        status = ?8, snoozed_until = CASE WHEN ?9 THEN NULL ELSE snoozed_until END
      WHERE id = ?1`),
    insert: db.prepare(
      `INSERT INTO messages (${messageColumns.join(', ')}) VALUES (${messageColumns.map(() => '?').join(', ')})`,
    ),
    // The full-text terms of what the trigger queued (migration 0089): this batch's messages.
    fts: db.prepare(indexPendingSql),
    ftsDone: db.prepare('DELETE FROM messages_fts_pending'),
    outbox: db.prepare(
      `INSERT INTO outbox (${outboxColumns.join(', ')}) VALUES (${outboxColumns.map(() => '?').join(', ')})`,
    ),
  };
}

/** A function that commits one batch in one transaction on `db`; statements are prepared on first use. */
export function sqliteCommitter(db: DatabaseSync): (batch: PendingMessage[]) => CommitResult[] {
  // Prepared on first use: the writer may start before the migrations have created the tables.
  let s: ReturnType<typeof prepare> | undefined;
  return (batch) => {
    s ??= prepare(db);
    db.exec('BEGIN IMMEDIATE');
    try {
      const convs = s.conversations.all(
        JSON.stringify([...new Set(batch.map((m) => m.conversationId))]),
      ) as ConversationState[];
      const lookup = resendLookup(batch, convs);
      const stored = lookup.length ? (s.stored.all(JSON.stringify(lookup)) as StoredMessage[]) : [];
      const plan = planCommit(batch, convs, stored, () => newId('evt'));
      for (const c of plan.conversations)
        s.update.run(
          c.id,
          c.last_seq,
          c.last_public_seq,
          c.last_message_at,
          c.last_message_preview,
          c.agent_last_read_seq,
          c.customer_last_read_seq,
          c.status,
          c.clear_snooze ? 1 : 0,
        );
      for (const m of plan.messages) s.insert.run(...messageColumns.map((c) => m[c]));
      if (plan.messages.length) {
        s.fts.run();
        s.ftsDone.run();
      }
      for (const row of plan.outbox) s.outbox.run(...outboxColumns.map((c) => row[c]));
      db.exec('COMMIT');
      return plan.results;
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  };
}
