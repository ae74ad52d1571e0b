/**
 * What the command line, the jobs and the console do with a repository: back up under a lock,
 * list with keep reasons and verification marks, verify (and mark), prune by policy.
 *
 * The lock (`locks/<id>`, plain JSON) keeps prune from deleting chunks that a running backup has
 * found on the target and reuses but not yet listed in its manifest. Prune refuses while a lock
 * younger than `lockStaleMs` exists; a lock older than that is a run that died, and so is one whose
 * process is certainly gone (owner.ts: killed midway on this host), which prune removes at once.
 */
import { hostname } from 'node:os';
import { newId } from '../../lib/ids.ts';
import { createBackup, type BackupOptions, type BackupSource } from './engine.ts';
import type { Manifest } from './manifest.ts';
import { runnerGone, thisRunner } from './owner.ts';
import type { Repo } from './repo.ts';
import { planRetention, unreferencedChunks, type KeepRule, type RetentionPolicy } from './retention.ts';
import { verifyDated, type VerifyResult } from './verify.ts';

export const lockStaleMs = 6 * 3600_000;

export async function withLock<T>(repo: Repo, now: () => Date, fn: () => Promise<T>): Promise<T> {
  const id = newId('lck', now().getTime());
  await repo.target.put(
    `locks/${id}`,
    Buffer.from(JSON.stringify({ host: hostname(), pid: process.pid, runner: thisRunner, at: now().toISOString() })),
  );
  try {
    return await fn();
  } finally {
    await repo.target.remove(`locks/${id}`).catch(() => undefined);
  }
}

/** The locks of runs still going; a lock whose process is certainly gone (killed midway) is removed. */
async function activeLocks(repo: Repo, now: Date): Promise<string[]> {
  const out: string[] = [];
  for (const name of await repo.target.list('locks/')) {
    const raw = await repo.target.get(name);
    const lock = raw ? (JSON.parse(raw.toString('utf8')) as { at: string; runner?: string }) : null;
    if (lock?.runner && runnerGone(lock.runner)) {
      await repo.target.remove(name);
      continue;
    }
    const at = lock ? Date.parse(lock.at) : 0;
    if (now.getTime() - at < lockStaleMs) out.push(name);
  }
  return out;
}

export function backupLocked(source: BackupSource, repo: Repo, opts: BackupOptions): Promise<Manifest> {
  return withLock(repo, opts.now, () => createBackup(source, repo, opts));
}

export type ListedBackup = {
  id: string;
  createdAt: string;
  consistencyAt: string;
  engine: Manifest['engine'];
  bytes: number;
  storedBytes: number;
  durationMs: number;
  reason: string;
  verifiedAt: string | null;
  verifiedOk: boolean | null;
  keep: KeepRule[];
};

type Mark = { at: string; ok: boolean };

export async function listBackups(
  repo: Repo,
  policy: RetentionPolicy,
  timeZone: string,
): Promise<{ items: ListedBackup[]; unreadable: string[] }> {
  const { items, unreadable } = await repo.manifests();
  const plan = planRetention(items, policy, timeZone);
  const reasons = new Map(plan.keep.map((k) => [k.backup.id, k.reasons]));
  const listed: ListedBackup[] = [];
  for (const m of items.reverse()) {
    const raw = await repo.target.get(`verified/${m.id}`);
    const mark = raw ? (JSON.parse(raw.toString('utf8')) as Mark) : null;
    listed.push({
      id: m.id,
      createdAt: m.createdAt,
      consistencyAt: m.consistencyAt,
      engine: m.engine,
      bytes: m.bytes,
      storedBytes: m.storedBytes,
      durationMs: m.durationMs,
      reason: m.reason,
      verifiedAt: mark?.at ?? null,
      verifiedOk: mark?.ok ?? null,
      keep: reasons.get(m.id) ?? [],
    });
  }
  return { items: listed, unreadable };
}

/**
 * Verifies and records the outcome on the target (`verified/<id>`), so every lister sees it;
 * `newestIntactAt`: when the newest backup found intact was made (null: none was).
 */
export async function verifyAndMark(
  repo: Repo,
  now: () => Date,
  onProgress?: (done: number, total: number) => void,
): Promise<{ result: VerifyResult; newestIntactAt: string | null }> {
  const dated = await verifyDated(repo, { onProgress });
  const { result } = dated;
  const at = now().toISOString();
  for (const b of result.backups)
    if (b.id.startsWith('bak_'))
      await repo.target.put(`verified/${b.id}`, Buffer.from(JSON.stringify({ at, ok: b.ok } satisfies Mark)));
  return dated;
}

export type PruneResult = {
  removed: string[];
  kept: { id: string; keep: KeepRule[] }[];
  chunksRemoved: number;
  skipped?: string;
};

/**
 * Forgets the backups the policy does not keep (manifests first), then deletes the chunks no kept
 * backup references. With an unreadable manifest, or a backup running, no chunk is deleted.
 */
export async function prune(
  repo: Repo,
  policy: RetentionPolicy,
  timeZone: string,
  now: () => Date,
): Promise<PruneResult> {
  const locks = await activeLocks(repo, now());
  if (locks.length) return { removed: [], kept: [], chunksRemoved: 0, skipped: `a backup is running (${locks[0]})` };
  const { items, unreadable } = await repo.manifests();
  const plan = planRetention(items, policy, timeZone);
  for (const b of plan.remove) {
    await repo.removeManifest(b.id);
    await repo.target.remove(`verified/${b.id}`);
  }
  const kept = plan.keep.map((k) => ({ id: k.backup.id, keep: k.reasons }));
  const result: PruneResult = { removed: plan.remove.map((b) => b.id), kept, chunksRemoved: 0 };
  if (unreadable.length)
    return { ...result, skipped: `unreadable manifests (${unreadable.join(', ')}): no chunk deleted` };
  const doomed = unreferencedChunks(
    await repo.chunkIds(),
    plan.keep.map((k) => k.backup),
  );
  for (const id of doomed) await repo.removeChunk(id);
  return { ...result, chunksRemoved: doomed.length };
}

/** Copies one backup to another repository (an off-site target): chunks it lacks, then the manifest. */
export async function copyBackup(from: Repo, to: Repo, id: string): Promise<{ storedBytes: number }> {
  const m = await from.manifest(id);
  let storedBytes = 0;
  const files = [];
  for (const f of m.files) {
    const ids: string[] = [];
    for (const cid of f.chunks) {
      const { id: nid, written } = await to.putChunk(await from.getChunk(cid));
      ids.push(nid);
      storedBytes += written;
    }
    files.push({ ...f, chunks: ids });
  }
  await to.putManifest({ ...m, files, storedBytes, reason: m.reason === 'copy' ? m.reason : `copy of ${m.reason}` });
  return { storedBytes };
}
