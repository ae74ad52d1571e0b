/**
 * The checks of a restored SQLite file, run in a worker thread (restore.ts `checkSqliteFile`):
 * counts and checksums of an intact file, the integrity check's findings on a damaged one, and a
 * clear error for a file that is not a database.
 */
import { mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupIntegrityError } from './crypto.ts';
import { checkSqliteFile } from './restore.ts';
import { checksumSqliteTables } from './sqlite-rows.ts';

describe('checkSqliteFile (worker thread)', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  function database(rows: number): string {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-check-'));
    dirs.push(dir);
    const file = join(dir, 'kefu.db');
    const db = new DatabaseSync(file);
    db.exec('create table notes (id integer primary key, body text not null); create index notes_body on notes (body)');
    const insert = db.prepare('insert into notes (body) values (?)');
    db.exec('begin');
    for (let i = 0; i < rows; i++) insert.run(`note ${i} ${'x'.repeat(200)}`);
    db.exec('commit');
    db.close();
    return file;
  }

  it('counts rows and checksums tables of an intact file', async () => {
    const file = database(2000);
    const r = await checkSqliteFile(file, true);
    expect(r.problems).toEqual([]);
    expect(r.tables).toEqual({ notes: 2000 });
    expect(r.checksums).toEqual(checksumSqliteTables(file));
    expect((await checkSqliteFile(file, false)).checksums).toBeUndefined();
  });

  it('reports what the integrity check finds in a damaged file, without counts', async () => {
    const file = database(2000);
    // Overwrite pages in the middle (index and table pages) with garbage; the header stays intact.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096 * 20, 0x5a), 0, 4096 * 20, 4096 * 40);
    const r = await checkSqliteFile(file, true).catch((err: Error) => ({ problems: [err.message] }));
    expect(r.problems.length).toBeGreaterThan(0);
    expect('tables' in r && r.tables).toBeFalsy();
  });

  it('refuses a file that is not a database with an integrity error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-check-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'kefu.db'), 'this is not a database, just text '.repeat(500));
    await expect(checkSqliteFile(join(dir, 'kefu.db'), true)).rejects.toBeInstanceOf(BackupIntegrityError);
  });
});
