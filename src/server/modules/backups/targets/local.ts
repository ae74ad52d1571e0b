/** A folder on this machine (a mounted disk, an NFS share): each object a file, written to a temp name, synced, renamed. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkName, TargetError, type Target } from './types.ts';

export function localTarget(root: string): Target {
  const path = (name: string) => join(root, checkName(name));
  const fail = (what: string, err: unknown): never => {
    throw new TargetError(`${what} in ${root}: ${(err as Error).message}`);
  };
  return {
    describe: `folder ${root}`,
    async put(name, data) {
      const final = path(name);
      const tmp = `${final}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await mkdir(dirname(final), { recursive: true, mode: 0o700 });
        const fh = await open(tmp, 'wx', 0o600);
        try {
          await fh.writeFile(data);
          await fh.sync();
        } finally {
          await fh.close();
        }
        await rename(tmp, final);
      } catch (err) {
        await rm(tmp, { force: true });
        // A full disk is the common case and the one a person acts on: say so first, in one line.
        if ((err as NodeJS.ErrnoException).code === 'ENOSPC')
          throw new TargetError(`the target is full: no space left in ${root} (writing ${name})`);
        fail(`cannot write ${name}`, err);
      }
    },
    async get(name) {
      try {
        return await readFile(path(name));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        return fail(`cannot read ${name}`, err);
      }
    },
    async list(prefix) {
      const out: string[] = [];
      const walk = async (rel: string) => {
        let entries;
        try {
          entries = await readdir(join(root, rel), { withFileTypes: true });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
          fail('cannot list', err);
          return;
        }
        for (const e of entries) {
          const name = rel ? `${rel}/${e.name}` : e.name;
          if (e.isDirectory()) await walk(name);
          else if (!e.name.endsWith('.tmp')) out.push(name);
        }
      };
      await walk(prefix.replace(/\/$/, ''));
      return out.sort();
    },
    async remove(name) {
      await rm(path(name), { force: true });
    },
    async close() {},
  };
}
