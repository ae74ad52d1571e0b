/**
 * What one chat message costs the SQLite writer, without the network: WAL pages written per
 * message and the writer's CPU per message, by batch size, with the real committer
 * (`sqliteCommitter`) on the real schema and the writer thread's connection settings
 * (`openWriterDb`).
 *
 *   npx node bench/chat/pages.ts [--conversations 10000] [--messages 20000] [--batches 10,80,500]
 *
 * Pages are counted with automatic checkpoints off (the WAL only grows, so its size says how many
 * pages the commits wrote: deterministic, whatever else the machine does). CPU is measured in a
 * second pass with the writer's own checkpoint settings (checkpoints included), on this thread
 * (`process.cpuUsage`: the script has no other work). Each message goes to a random conversation,
 * as in the chat benchmark (every shopper has one).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqlite } from '../../src/server/db/sqlite-driver.ts';
import { newId } from '../../src/server/lib/ids.ts';
import {
  openWriterDb,
  sqliteCommitter,
  writerCheckpoints,
} from '../../src/server/modules/conversations/sqlite-commit.ts';
import type { PendingMessage } from '../../src/server/modules/conversations/writer.ts';
import { buildSqliteTemplate } from '../../src/server/testing/databases.ts';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '10000' },
    messages: { type: 'string', default: '20000' },
    batches: { type: 'string', default: '10,80,500' },
    agents: { type: 'string', default: '500' },
  },
});
const conversations = Number(values.conversations);
const perSize = Number(values.messages);
const batchSizes = values.batches.split(',').map(Number);
const agents = Number(values.agents);

const dir = mkdtempSync(join(tmpdir(), 'kefu-pages-'));
const template = join(dir, 'template.db');
await buildSqliteTemplate(template);

type Fixture = { ws: string; convs: string[] };

/** A workspace with an inbox, agents and one open conversation per customer (half of them assigned). */
function seed(file: string): Fixture {
  const db = openSqlite(file);
  const now = new Date().toISOString();
  const ws = newId('wsp');
  const inbox = newId('inb');
  db.exec('BEGIN');
  db.prepare(
    `INSERT INTO workspaces (id, name, slug, timezone, default_language, created_at, updated_at) VALUES (?, 'b', 'b', 'Asia/Shanghai', 'zh-CN', ?, ?)`,
  ).run(ws, now, now);
  db.prepare(
    `INSERT INTO inboxes (id, workspace_id, public_id, name, channel, settings, identity_secret, created_at, updated_at)
     VALUES (?, ?, 'pub', 'web', 'web', '{}', 's', ?, ?)`,
  ).run(inbox, ws, now, now);
  const userCols = db.prepare(`SELECT name, "notnull", dflt_value FROM pragma_table_info('users')`).all() as {
    name: string;
    notnull: number;
    dflt_value: string | null;
  }[];
  const required = ['id', ...userCols.filter((c) => c.notnull && c.dflt_value === null).map((c) => c.name)];
  const userIds: string[] = [];
  const insertUser = db.prepare(
    `INSERT INTO users (${required.join(', ')}) VALUES (${required.map(() => '?').join(', ')})`,
  );
  for (let a = 0; a < agents; a++) {
    const id = newId('usr');
    userIds.push(id);
    insertUser.run(
      ...required.map((c) =>
        c === 'id' ? id : c === 'workspace_id' ? ws : /_at$/.test(c) ? now : c === 'email' ? `a${a}@b.test` : 'x',
      ),
    );
  }
  const customer = db.prepare(`INSERT INTO customers (id, workspace_id, created_at, updated_at) VALUES (?, ?, ?, ?)`);
  const conversation = db.prepare(
    `INSERT INTO conversations (id, workspace_id, inbox_id, customer_id, status, assignee_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'open', ?, ?, ?)`,
  );
  const convs: string[] = [];
  for (let i = 0; i < conversations; i++) {
    const cus = newId('cus');
    const cnv = newId('cnv');
    customer.run(cus, ws, now, now);
    conversation.run(cnv, ws, inbox, cus, i % 2 ? userIds[i % agents] : null, now, now);
    convs.push(cnv);
  }
  db.exec('COMMIT');
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.close();
  return { ws, convs };
}

const body = '你好，我想问一下这个订单什么时候发货？'.padEnd(50, '。');
let cid = 0;
function message(f: Fixture): PendingMessage {
  const conv = f.convs[Math.floor(Math.random() * f.convs.length)];
  cid++;
  return {
    workspaceId: f.ws,
    conversationId: conv,
    clientId: `c-${cid}`,
    senderType: 'customer',
    senderId: conv,
    senderName: null,
    kind: 'text',
    body: `${cid} ${body}`,
    attachments: [],
    createdAt: new Date().toISOString(),
    id: newId('msg'),
  };
}

const walFrames = (file: string, pageSize: number) => {
  try {
    return Math.max(0, (statSync(`${file}-wal`).size - 32) / (pageSize + 24));
  } catch {
    return 0;
  }
};

/** This process's I/O counters (bytes through read and write calls, and the calls). */
function io(): Record<'rchar' | 'wchar' | 'syscr' | 'syscw', number> {
  const text = readFileSync('/proc/self/io', 'utf8');
  const get = (k: string) => Number(new RegExp(`^${k}: (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { rchar: get('rchar'), wchar: get('wchar'), syscr: get('syscr'), syscw: get('syscw') };
}

type Writer = { commit: ReturnType<typeof sqliteCommitter>; checkpoints?: ReturnType<typeof writerCheckpoints> };
type Cost = { us: number; readKB: number; writtenKB: number; reads: number; writes: number };

/** Commits `n` messages in batches of `size`; the writer thread's CPU and I/O per message. */
function run(w: Writer, f: Fixture, size: number, n: number): Cost {
  const io0 = io();
  const before = process.cpuUsage();
  for (let done = 0; done < n; done += size) {
    const batch = Array.from({ length: Math.min(size, n - done) }, () => message(f));
    w.commit(batch);
    w.checkpoints?.committed(batch.length);
  }
  const cpu = process.cpuUsage(before);
  const io1 = io();
  return {
    us: (cpu.user + cpu.system) / n,
    readKB: (io1.rchar - io0.rchar) / 1024 / n,
    writtenKB: (io1.wchar - io0.wchar) / 1024 / n,
    reads: (io1.syscr - io0.syscr) / n,
    writes: (io1.syscw - io0.syscw) / n,
  };
}

console.log(
  `${conversations} conversations, ${perSize} messages per batch size, after a warm-up of ${perSize} (batches of 100)`,
);
console.log(
  '| batch | connection | WAL pages / message | writer CPU µs / message | KB written / message | KB read / message | write / read calls per message |',
);
console.log('|---:|---|---:|---:|---:|---:|---:|');
for (const size of batchSizes)
  for (const settings of ['SQLite defaults', 'writer'] as const) {
    const file = join(dir, `b${size}.db`);
    copyFileSync(template, file);
    const f = seed(file);
    const db = openWriterDb(file);
    if (settings === 'SQLite defaults') db.exec('PRAGMA cache_size = -2000; PRAGMA wal_autocheckpoint = 1000');
    const w: Writer = {
      commit: sqliteCommitter(db),
      checkpoints: settings === 'writer' ? writerCheckpoints(db) : undefined,
    };
    const pageSize = Number((db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size);
    run(w, f, 100, perSize); // the indexes hold some history; caches are warm
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    // Pages: no checkpoints at all, so the WAL only grows.
    const autocheckpoint = Number(db.prepare('PRAGMA wal_autocheckpoint').get()?.wal_autocheckpoint);
    db.exec('PRAGMA wal_autocheckpoint = 0');
    const frames0 = walFrames(file, pageSize);
    run({ commit: w.commit }, f, size, perSize);
    const pages = (walFrames(file, pageSize) - frames0) / perSize;
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    db.exec(`PRAGMA wal_autocheckpoint = ${autocheckpoint}`);
    // CPU and I/O: with the connection's checkpoints.
    const c = run(w, f, size, perSize);
    w.checkpoints?.stop();
    const row = [pages.toFixed(2), c.us.toFixed(1), c.writtenKB.toFixed(1), c.readKB.toFixed(1)];
    console.log(`| ${size} | ${settings} | ${row.join(' | ')} | ${c.writes.toFixed(1)} / ${c.reads.toFixed(1)} |`);
    db.close();
    rmSync(file);
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
  }
rmSync(dir, { recursive: true, force: true });
