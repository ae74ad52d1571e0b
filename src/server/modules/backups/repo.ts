/**
 * A backup repository on one target: `config` (format, salt, key check), `chunks/<ab>/<id>` (content-
 * addressed, encrypted) and `snapshots/<backup id>` (the encrypted manifests). A backup exists
 * when its manifest does: chunks are written first, the manifest last, so a run killed midway
 * leaves only chunks that the next run reuses and prune later removes if nobody needs them.
 */
import { randomBytes } from 'node:crypto';
import { BackupIntegrityError, deriveKeys, WrongKeyError, type RepoKeys } from './crypto.ts';
import type { Manifest } from './manifest.ts';
import { TargetError, type Target } from './targets/types.ts';

type RepoConfig = { format: 'kefu-backup'; version: 1; salt: string; check: string; createdAt: string };

export type Repo = {
  target: Target;
  keys: RepoKeys;
  /** Stores a chunk unless the target has it; returns its id and the bytes written (0 when reused). */
  putChunk(plain: Buffer): Promise<{ id: string; written: number }>;
  /** Stores a chunk sealed elsewhere (the chunk worker) unless the target has it; the bytes written. */
  putSealed(id: string, box: Buffer): Promise<number>;
  /** The ids the target holds (listed once, then kept up to date by this run's writes). */
  knownChunks(): Promise<ReadonlySet<string>>;
  getChunk(id: string): Promise<Buffer>;
  /** Whether a chunk object exists (from the listing taken at open, plus what this run wrote). */
  hasChunk(id: string): boolean;
  /** Drops the chunk list read so far: the next write or `knownChunks` lists the target again (after a lock is taken). */
  forgetChunks(): void;
  putManifest(m: Manifest): Promise<void>;
  /** Every readable manifest, oldest first, and the names of those that could not be read. */
  manifests(): Promise<{ items: Manifest[]; unreadable: string[] }>;
  manifest(id: string): Promise<Manifest>;
  removeManifest(id: string): Promise<void>;
  /** Chunk ids present on the target. */
  chunkIds(): Promise<string[]>;
  removeChunk(id: string): Promise<void>;
};

const chunkName = (id: string) => `chunks/${id.slice(0, 2)}/${id}`;
const manifestName = (id: string) => `snapshots/${id}`;

export class BackupNotFoundError extends Error {}

/**
 * Opens the repository on `target` with the backup key; `create` initialises an empty target.
 * A wrong key is a WrongKeyError (before anything is read or written).
 */
export async function openRepo(target: Target, backupKey: string, opts: { create: boolean; now: Date }): Promise<Repo> {
  let config: RepoConfig;
  const raw = await target.get('config');
  if (raw) {
    try {
      config = JSON.parse(raw.toString('utf8')) as RepoConfig;
    } catch {
      throw new TargetError(`${target.describe}: its config is not readable`);
    }
    if (config.format !== 'kefu-backup') throw new TargetError(`${target.describe}: not a Kefu backup target`);
  } else {
    if (!opts.create) throw new TargetError(`${target.describe}: no Kefu backups there`);
    const salt = randomBytes(16);
    const keys = await deriveKeys(backupKey, salt);
    config = {
      format: 'kefu-backup',
      version: 1,
      salt: salt.toString('base64'),
      check: keys.check,
      createdAt: opts.now.toISOString(),
    };
    await target.put('config', Buffer.from(JSON.stringify(config, null, 2) + '\n'));
  }
  const keys = await deriveKeys(backupKey, Buffer.from(config.salt, 'base64'));
  if (keys.check !== config.check) throw new WrongKeyError(`wrong backup key for ${target.describe}`);
  let known: Set<string> | null = null;
  const chunkIds = async () => (await target.list('chunks/')).map((n) => n.slice(n.lastIndexOf('/') + 1));
  if (opts.create) known = new Set(await chunkIds());

  const manifest = async (id: string): Promise<Manifest> => {
    if (!/^bak_[0-9A-Z]+$/.test(id)) throw new BackupNotFoundError(`no backup ${id}`);
    const box = await target.get(manifestName(id));
    if (!box) throw new BackupNotFoundError(`no backup ${id} on ${target.describe}`);
    try {
      return keys.openJson<Manifest>(`manifest:${id}`, box);
    } catch (err) {
      throw new BackupIntegrityError(`manifest ${id}: ${(err as Error).message}`);
    }
  };

  return {
    target,
    keys,
    manifest,
    async putChunk(plain) {
      const id = keys.chunkId(plain);
      known ??= new Set(await chunkIds());
      if (known.has(id)) return { id, written: 0 };
      const box = await keys.sealChunk(id, plain);
      await target.put(chunkName(id), box);
      known.add(id);
      return { id, written: box.length };
    },
    async putSealed(id, box) {
      known ??= new Set(await chunkIds());
      if (known.has(id)) return 0;
      await target.put(chunkName(id), box);
      known.add(id);
      return box.length;
    },
    async knownChunks() {
      known ??= new Set(await chunkIds());
      return known;
    },
    async getChunk(id) {
      const box = await target.get(chunkName(id));
      if (!box) throw new BackupIntegrityError(`chunk ${id} is missing`);
      try {
        return keys.openChunk(id, box);
      } catch (err) {
        throw new BackupIntegrityError(`chunk ${id}: ${(err as Error).message}`);
      }
    },
    hasChunk: (id) => known?.has(id) ?? false,
    forgetChunks() {
      known = null;
    },
    async putManifest(m) {
      await target.put(manifestName(m.id), keys.sealJson(`manifest:${m.id}`, m));
    },
    async manifests() {
      const items: Manifest[] = [];
      const unreadable: string[] = [];
      for (const name of await target.list('snapshots/')) {
        const id = name.slice('snapshots/'.length);
        try {
          items.push(await manifest(id));
        } catch {
          unreadable.push(id);
        }
      }
      items.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
      return { items, unreadable };
    },
    removeManifest: (id) => target.remove(manifestName(id)),
    chunkIds,
    async removeChunk(id) {
      await target.remove(chunkName(id));
      known?.delete(id);
    },
  };
}
