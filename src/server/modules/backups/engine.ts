/**
 * Making a backup: a consistent snapshot of the database, the data folder's files (attachments)
 * and the key material the data needs (the installation's secret key, which decrypts customers'
 * personal data), cut into content-addressed chunks and stored on a repository. Chunks the
 * target already holds are not written again, so a daily backup stores only what changed while
 * every manifest lists everything needed to restore it on its own.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Faults } from '../../context.ts';
import { newId } from '../../lib/ids.ts';
import { chunkFiles } from './chunk-files.ts';
import { chunks } from './chunker.ts';
import type { Manifest, ManifestFile } from './manifest.ts';
import { ownerFile, sweepWorkDirs, thisRunner, workDirName } from './owner.ts';
import type { Repo } from './repo.ts';
import { pgSnapshot, sqliteSnapshot, type Snapshot } from './snapshot.ts';

export type BackupSource = {
  engine: 'sqlite' | 'postgres';
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL: the schema Kefu's tables are in (`public` on an installation). */
  pgSchema?: string;
  /** The installation key when it comes from the configuration rather than `<dataDir>/secret.key`. */
  secretKeyHex?: string;
  /** Rotated field keys (`version:hex,…`) when they come from the configuration rather than `<dataDir>/keyring`. */
  encryptionKeys?: string;
};

export type Progress = { phase: 'snapshot' | 'upload' | 'manifest'; doneBytes: number; totalBytes: number };

export type BackupOptions = {
  now: () => Date;
  reason: string;
  onProgress?: (p: Progress) => void;
  /** Test-only crash point (KEFU_FAULT=crash-during-backup:<n>). */
  faults?: Faults;
};

/** Files of the data folder that a backup skips: the live database (its snapshot is taken instead), work and temp files. */
const skipped = new Set(['kefu.db', 'kefu.db-wal', 'kefu.db-shm', 'kefu.db-journal', '.backup-work', 'backups']);

type Part = { path: string; kind: ManifestFile['kind']; file?: string; data?: Buffer };

async function dataFiles(dataDir: string, rel = ''): Promise<Part[]> {
  const out: Part[] = [];
  let entries;
  try {
    entries = await readdir(join(dataDir, rel), { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw err;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (!rel && skipped.has(e.name)) continue;
    if (e.name.endsWith('.part') || e.name.endsWith('.tmp')) continue;
    if (e.isDirectory()) out.push(...(await dataFiles(dataDir, path)));
    else if (e.isFile())
      out.push({ path, kind: path === 'secret.key' || path === 'keyring' ? 'key' : 'file', file: join(dataDir, path) });
  }
  return out;
}

export async function createBackup(source: BackupSource, repo: Repo, opts: BackupOptions): Promise<Manifest> {
  const started = performance.now();
  const createdAt = opts.now();
  const id = newId('bak', createdAt.getTime());
  // What a process killed midway left behind (its snapshot) goes first; this run's folder names this process.
  await sweepWorkDirs(source.dataDir);
  const work = join(source.dataDir, workDirName, id);
  await mkdir(work, { recursive: true, mode: 0o700 });
  try {
    await writeFile(join(work, ownerFile), thisRunner + '\n', { mode: 0o600 });
    opts.onProgress?.({ phase: 'snapshot', doneBytes: 0, totalBytes: 0 });
    let snap: Snapshot;
    const parts: Part[] = [];
    if (source.engine === 'sqlite') {
      const file = join(work, 'kefu.db');
      snap = await sqliteSnapshot(join(source.dataDir, 'kefu.db'), file);
      parts.push({ path: 'kefu.db', kind: 'sqlite', file });
    } else {
      const file = join(work, 'database.pgdump');
      snap = await pgSnapshot(source.databaseUrl!, source.pgSchema ?? 'public', file);
      parts.push({ path: 'database.pgdump', kind: 'pgdump', file });
    }
    // The keys in use: from the configuration when it sets them (a file in the data folder is then not read by Kefu).
    const folder = await dataFiles(source.dataDir);
    const configured = new Map<string, Buffer>();
    if (source.secretKeyHex) configured.set('secret.key', Buffer.from(source.secretKeyHex + '\n'));
    if (source.encryptionKeys)
      configured.set(
        'keyring',
        Buffer.from(
          source.encryptionKeys
            .split(',')
            .map((k) => k.trim())
            .join('\n') + '\n',
        ),
      );
    parts.push(...folder.filter((f) => !configured.has(f.path)));
    for (const [path, data] of configured) parts.push({ path, kind: 'key', data });

    let totalBytes = 0;
    for (const p of parts) totalBytes += p.data ? p.data.length : (await stat(p.file!)).size;
    let doneBytes = 0;
    let storedBytes = 0;
    let newChunks = 0;
    const counted = (size: number, written: number) => {
      storedBytes += written;
      if (written) opts.faults?.backupChunkWritten?.(++newChunks);
      doneBytes += size;
      opts.onProgress?.({ phase: 'upload', doneBytes, totalBytes });
    };
    // Files (the snapshot, attachments) are cut, hashed and sealed in a worker thread; the few small
    // key files from the configuration here.
    const onDisk = parts.filter((p) => p.file);
    const chunked = await chunkFiles(
      repo,
      onDisk.map((p) => p.file!),
      counted,
    );
    const byPath = new Map(onDisk.map((p, i) => [p.path, chunked[i]]));
    const files: ManifestFile[] = [];
    for (const p of parts) {
      if (p.file) {
        const c = byPath.get(p.path)!;
        if (!c.missing) files.push({ path: p.path, kind: p.kind, size: c.size, sha256: c.sha256, chunks: c.chunks });
        continue;
      }
      const hash = createHash('sha256');
      const ids: string[] = [];
      let size = 0;
      for await (const c of chunks([p.data!])) {
        hash.update(c);
        size += c.length;
        const { id: cid, written } = await repo.putChunk(c);
        ids.push(cid);
        counted(c.length, written);
      }
      files.push({ path: p.path, kind: p.kind, size, sha256: hash.digest('hex'), chunks: ids });
    }
    opts.onProgress?.({ phase: 'manifest', doneBytes, totalBytes });
    const manifest: Manifest = {
      format: 1,
      id,
      createdAt: createdAt.toISOString(),
      consistencyAt: snap.consistencyAt,
      engine: source.engine,
      ...(source.engine === 'postgres'
        ? { pgSchema: source.pgSchema ?? 'public', pgExtensions: snap.pgExtensions ?? [] }
        : {}),
      files,
      tables: snap.tables,
      checksums: snap.checksums,
      bytes: files.reduce((n, f) => n + f.size, 0),
      storedBytes,
      durationMs: Math.round(performance.now() - started),
      reason: opts.reason,
      host: hostname(),
    };
    await repo.putManifest(manifest);
    return manifest;
  } finally {
    await rm(work, { recursive: true, force: true });
    await rmdir(join(source.dataDir, workDirName)).catch(() => undefined);
  }
}
