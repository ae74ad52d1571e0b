/**
 * The data folder holds the database, the encryption key and shoppers' files: only the account
 * Kefu runs as may read it. Kefu creates it 0700 and its files 0600; `kefu doctor` lists anything
 * it finds readable by others (an older install, a copy restored by hand).
 */
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const dirMode = 0o700;
export const fileMode = 0o600;

/** Creates the folder (and missing parents) readable by its owner only. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: dirMode });
}

/** Creates an empty file readable by its owner only, unless it exists (SQLite's WAL and SHM files copy its mode). */
export function ensurePrivateFile(file: string): void {
  try {
    closeSync(openSync(file, 'wx', fileMode));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** Paths under `dir` (itself included) that the group or others may use, up to `limit` entries looked at. */
export function looseModes(dir: string, limit = 20_000): { path: string; mode: string }[] {
  const out: { path: string; mode: string }[] = [];
  let seen = 0;
  const visit = (path: string) => {
    if (seen++ >= limit) return;
    let st;
    try {
      st = lstatSync(path);
    } catch {
      return;
    }
    if (st.isSymbolicLink()) return;
    if (st.mode & 0o077) out.push({ path, mode: (st.mode & 0o777).toString(8).padStart(4, '0') });
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return out;
}
