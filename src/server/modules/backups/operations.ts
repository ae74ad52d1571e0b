/**
 * What the command line, the jobs and the console do with a repository: back up under a lock,
 * list with keep reasons and verification marks, verify (and mark), prune by policy.
 *
 * Locks (`locks/<id>`, plain JSON) keep prune from deleting chunks that a running backup has found
 * on the target and reuses but not yet listed in its manifest. A backup, copy or verification holds
 * a shared lock; prune an exclusive one. Both sides write their lock FIRST and only then list the
 * others (a check before taking the lock would race: a backup starting between prune's check and
 * its deletions would reuse chunks prune is about to delete). Of a backup and a prune that start
 * together at least one sees the other: prune then gives up (it runs again next night), a backup
 * waits for the prune to end and then reads the target's chunk list afresh. A lock older than
 * `lockStaleMs`, or one of this host whose process is gone, is a run that died.
 */
import { hostname } from 'node:os';
import { newId } from '../../lib/ids.ts';
import { createBackup, type BackupOptions, type BackupSource } from './engine.ts';
import type { Manifest } from './manifest.ts';
import { runnerGone, thisRunner } from './owner.ts';
import type { Repo } from './repo.ts';
import { planRetention, unreferencedChunks, type KeepRule, type RetentionPolicy } from './retention.ts';
import { TargetError } from './targets/types.ts';
import { verifyDated, type VerifyResult } from './verify.ts';

export const lockStaleMs = 6 * 3600_000;

type LockInfo = { host: string; pid: number; runner?: string; at: string; exclusive?: boolean };
/** How a shared lock waits for a prune's exclusive one: polled every `pollMs`, given up after `maxWaitMs`. */
export type LockWait = { pollMs: number; maxWaitMs: number };
const defaultWait: LockWait = { pollMs: 1000, maxWaitMs: 30 * 60_000 };

async function putLock(repo: Repo, now: () => Date, exclusive: boolean): Promise<string> {
  const name = `locks/${newId('lck', now().getTime())}`;
  const info: LockInfo = {
    host: hostname(),
    pid: process.pid,
    runner: thisRunner,
    at: now().toISOString(),
    ...(exclusive ? { exclusive } : {}),
  };
  await repo.target.put(name, Buffer.from(JSON.stringify(info)));
  return name;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The live locks other than `mine`: not stale, and not left by a dead process of this host. An unreadable lock counts as live. */
async function otherLocks(repo: Repo, now: Date, mine: string): Promise<{ name: string; exclusive: boolean }[]> {
  const out: { name: string; exclusive: boolean }[] = [];
  for (const name of await repo.target.list('locks/')) {
    if (name === mine) continue;
    const raw = await repo.target.get(name);
    if (!raw) continue; // removed since the listing
    let info: LockInfo | null = null;
    try {
      info = JSON.parse(raw.toString('utf8')) as LockInfo;
    } catch {
      // A lock being written or damaged: taken as a live exclusive one (the safe side for both).
    }
    if (info) {
      if (now.getTime() - Date.parse(info.at) >= lockStaleMs) continue;
      // A process of this host that is gone (killed midway; owner.ts also knows a reused pid): its lock is removed.
      if (
        (info.runner && runnerGone(info.runner)) ||
        (info.host === hostname() && info.pid !== process.pid && !alive(info.pid))
      ) {
        await repo.target.remove(name).catch(() => undefined);
        continue;
      }
    }
    out.push({ name, exclusive: info ? info.exclusive === true : true });
  }
  return out;
}

/**
 * Runs `fn` under a shared lock: taken, then held back while a prune's exclusive lock is live; the
 * repository's chunk list is read again after that (a prune may have deleted chunks listed earlier).
 */
export async function withLock<T>(
  repo: Repo,
  now: () => Date,
  fn: () => Promise<T>,
  wait: LockWait = defaultWait,
): Promise<T> {
  const mine = await putLock(repo, now, false);
  try {
    const started = performance.now();
    for (;;) {
      const pruning = (await otherLocks(repo, now(), mine)).find((l) => l.exclusive);
      if (!pruning) break;
      if (performance.now() - started >= wait.maxWaitMs)
        throw new TargetError(
          `${repo.target.describe}: a prune has held the target for ${Math.round(wait.maxWaitMs / 60_000)} min (${pruning.name}); delete that lock if no prune runs`,
        );
      await new Promise((r) => setTimeout(r, wait.pollMs));
    }
    repo.forgetChunks();
    return await fn();
  } finally {
    await repo.target.remove(mine).catch(() => undefined);
  }
}

export function backupLocked(
  source: BackupSource,
  repo: Repo,
  opts: BackupOptions,
  wait?: LockWait,
): Promise<Manifest> {
  return withLock(repo, opts.now, () => createBackup(source, repo, opts), wait);
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
 * Verifies and records the outcome on the target (`verified/<id>`), so every lister sees it. Under a
 * shared lock: a prune deleting a forgotten backup's chunks meanwhile would make it look damaged.
 * `newestIntactAt`: when the newest backup found intact was made (null: none was).
 */
export async function verifyAndMark(
  repo: Repo,
  now: () => Date,
  onProgress?: (done: number, total: number) => void,
  wait?: LockWait,
): Promise<{ result: VerifyResult; newestIntactAt: string | null }> {
  const dated = await withLock(repo, now, () => verifyDated(repo, { onProgress }), wait);
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
  /** Manifests that could not be read (damaged, altered, or a read that failed): while any exist no chunk is deleted. */
  unreadable?: string[];
  skipped?: string;
};

/**
 * Forgets the backups the policy does not keep (manifests first), then deletes the chunks no kept
 * backup references. Under an exclusive lock taken before anything is read: while another backup,
 * copy, verification or prune holds the target, nothing is done. With an unreadable manifest no
 * chunk is deleted (it may reference any of them).
 */
export async function prune(
  repo: Repo,
  policy: RetentionPolicy,
  timeZone: string,
  now: () => Date,
): Promise<PruneResult> {
  const mine = await putLock(repo, now, true);
  try {
    const others = await otherLocks(repo, now(), mine);
    if (others.length)
      return { removed: [], kept: [], chunksRemoved: 0, skipped: `the target is in use (${others[0].name})` };
    const { items, unreadable } = await repo.manifests();
    const plan = planRetention(items, policy, timeZone);
    for (const b of plan.remove) {
      await repo.removeManifest(b.id);
      await repo.target.remove(`verified/${b.id}`);
    }
    const kept = plan.keep.map((k) => ({ id: k.backup.id, keep: k.reasons }));
    const result: PruneResult = { removed: plan.remove.map((b) => b.id), kept, chunksRemoved: 0 };
    if (unreadable.length)
      return {
        ...result,
        unreadable,
        skipped: `unreadable manifests (${unreadable.join(', ')}): no chunk deleted`,
      };
    const doomed = unreferencedChunks(
      await repo.chunkIds(),
      plan.keep.map((k) => k.backup),
    );
    for (const id of doomed) await repo.removeChunk(id);
    return { ...result, chunksRemoved: doomed.length };
  } finally {
    await repo.target.remove(mine).catch(() => undefined);
  }
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
