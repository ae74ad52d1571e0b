/**
 * Who made a run, a work folder or a target lock, and whether that process is gone: a process is
 * `host pid random-id`; it is certainly gone when it ran on this host and its pid is not alive, or
 * its pid is ours but it is not us (a restarted container is pid 1 again). Also the sweep of the
 * work folders (`<dataDir>/.backup-work/<backup id>`) that gone processes left behind. No
 * database here: the engine and the command line use it too.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** This process: host, pid and a random id of its own. */
export const thisRunner = `${hostname()} ${process.pid} ${randomBytes(6).toString('hex')}`;
export const workDirName = '.backup-work';
export const ownerFile = 'owner';
/** A work folder that names no process (or another host's) is left alone until it is this old. */
const staleWorkMs = 6 * 3600_000;

/** Whether the process `runner` names is certainly gone (false when it cannot be known from here). */
export function runnerGone(runner: string): boolean {
  const [host, pidText] = runner.split(' ');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return runner !== thisRunner;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Deletes the work folders of backups whose process is gone; returns their names. */
export async function sweepWorkDirs(dataDir: string, now = Date.now()): Promise<string[]> {
  const base = join(dataDir, workDirName);
  let names: string[];
  try {
    names = await readdir(base);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const swept: string[] = [];
  for (const name of names) {
    const dir = join(base, name);
    const owner = (await readFile(join(dir, ownerFile), 'utf8').catch(() => null))?.trim();
    const mtime = await stat(dir).then(
      (st) => st.mtimeMs,
      () => now,
    );
    const old = now - mtime > staleWorkMs;
    const gone = owner ? runnerGone(owner) || (owner.split(' ')[0] !== hostname() && old) : old;
    if (!gone) continue;
    await rm(dir, { recursive: true, force: true });
    swept.push(name);
  }
  await rmdir(base).catch(() => undefined);
  return swept;
}
