/**
 * The chat writer's connection checkpoints by itself, off the commit: never inside a COMMIT,
 * after `writerCheckpointMessages` committed messages or once idle. Observed through the main
 * database file, which grows only when a checkpoint copies the WAL's pages into it.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mainCheckpointPages, openSqlite } from '../../db/sqlite-driver.ts';
import { openWriterDb, writerCheckpointMessages, writerCheckpoints } from './sqlite-commit.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function writerOnFreshFile() {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-writer-ckpt-'));
  dirs.push(dir);
  const file = join(dir, 'kefu.db');
  const db = openWriterDb(file);
  db.exec('CREATE TABLE t (x text)');
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  const size = () => statSync(file).size;
  // About 200 pages of rows, in one commit: far more than the file holds before a checkpoint.
  const write = () =>
    db
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
         INSERT INTO t SELECT hex(randomblob(400)) FROM n`,
      )
      .run();
  return { db, size, write };
}

describe('the chat writer connection', () => {
  it('does not checkpoint inside its commits; the main connection keeps the default until a writer starts', () => {
    const { db, size, write } = writerOnFreshFile();
    expect(db.prepare('PRAGMA wal_autocheckpoint').get()).toEqual({ wal_autocheckpoint: 0 });
    expect(db.prepare('PRAGMA cache_size').get()).toEqual({ cache_size: -32 * 1024 });
    const before = size();
    for (let i = 0; i < 10; i++) write(); // ~2,000 pages: SQLite's default would checkpoint at 1,000
    expect(size()).toBe(before);
    const main = openSqlite(join(dirs[0], 'kefu.db'));
    expect(main.prepare('PRAGMA wal_autocheckpoint').get()).toEqual({ wal_autocheckpoint: 1000 });
    expect(mainCheckpointPages).toBeGreaterThan(1000);
    main.close();
    db.close();
  });

  it('checkpoints after writerCheckpointMessages committed messages, not before', () => {
    const { db, size, write } = writerOnFreshFile();
    const checkpoints = writerCheckpoints(db, 1000, 60_000);
    const before = size();
    write();
    checkpoints.committed(writerCheckpointMessages - 1);
    expect(size()).toBe(before);
    write();
    checkpoints.committed(1);
    expect(size()).toBeGreaterThan(before);
    checkpoints.stop();
    db.close();
  });

  it('checkpoints once idle, whatever was committed', async () => {
    const { db, size, write } = writerOnFreshFile();
    const checkpoints = writerCheckpoints(db, 20, 60_000);
    const before = size();
    write();
    checkpoints.committed(1);
    expect(size()).toBe(before);
    await vi.waitFor(() => expect(size()).toBeGreaterThan(before), { timeout: 10_000 });
    checkpoints.stop();
    db.close();
  });

  it('checkpoints every few seconds what other connections wrote, with no chat message at all', async () => {
    const { db, size } = writerOnFreshFile();
    const checkpoints = writerCheckpoints(db, 60_000, 20);
    const main = openSqlite(join(dirs[0], 'kefu.db'));
    const before = size();
    main.exec('CREATE TABLE IF NOT EXISTS u (v TEXT)');
    main
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
         INSERT INTO u SELECT hex(randomblob(400)) FROM n`,
      )
      .run();
    await vi.waitFor(() => expect(size()).toBeGreaterThan(before), { timeout: 10_000 });
    checkpoints.stop();
    main.close();
    db.close();
  });
});
