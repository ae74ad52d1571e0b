/**
 * The durable reference relay's writer thread (`raw-relay.ts` with `--raw-durable`): commits each
 * batch of messages to a SQLite file with the pragmas and checkpoint policy of Kefu's chat writer
 * (WAL, synchronous NORMAL, a 32 MiB cache, a PASSIVE checkpoint after every 500 messages once the
 * batch's answer is sent), into one table with the two keys every chat store needs (the message's
 * seq in its conversation; the sender's client id, for resends). Nothing else: no conversation
 * rows, no list indexes, no search, no events. What it measures is the least a relay that commits
 * before it acknowledges pays on this machine.
 */
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

export type DurableRow = [
  id: string,
  conv: string,
  seq: number,
  cid: string | null,
  sender: string,
  body: string,
  at: string,
];

const db = new DatabaseSync((workerData as { file: string }).file);
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA synchronous = NORMAL');
db.exec('PRAGMA cache_size = -32768');
db.exec('PRAGMA wal_autocheckpoint = 0');
db.exec(`create table if not exists messages (
  id text primary key, conversation_id text not null, seq integer not null, client_id text,
  sender_id text not null, body text not null, created_at text not null)`);
db.exec('create unique index if not exists messages_seq on messages (conversation_id, seq)');
db.exec('create unique index if not exists messages_client on messages (conversation_id, client_id, sender_id)');
const insert = db.prepare(
  'insert into messages (id, conversation_id, seq, client_id, sender_id, body, created_at) values (?, ?, ?, ?, ?, ?, ?)',
);
let since = 0;

parentPort!.on('message', (rows: DurableRow[]) => {
  db.exec('BEGIN IMMEDIATE');
  for (const r of rows) insert.run(...r);
  db.exec('COMMIT');
  parentPort!.postMessage(rows.length); // committed: the relay acks and forwards them
  since += rows.length;
  if (since >= 500) {
    since = 0;
    db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  }
});
