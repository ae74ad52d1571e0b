/**
 * Verification reads every chunk of every backup and checks its authentication tag and that its
 * content matches its name. A damaged chunk is reported on every backup that uses it (and only
 * those): each chunk is read once per run.
 */
import { BackupIntegrityError } from './crypto.ts';
import type { Manifest } from './manifest.ts';
import type { Repo } from './repo.ts';

export type VerifyResult = { ok: boolean; backups: { id: string; ok: boolean; problems: string[] }[] };

type VerifyOptions = { onlyId?: string; onProgress?: (done: number, total: number) => void };

export async function verifyRepo(repo: Repo, opts: VerifyOptions = {}): Promise<VerifyResult> {
  return (await verifyDated(repo, opts)).result;
}

/**
 * Verifies, and says when the newest backup found intact was made (null: none was): the
 * staleness watch measures the age of that backup, not the time of the verification.
 */
export async function verifyDated(
  repo: Repo,
  opts: VerifyOptions = {},
): Promise<{ result: VerifyResult; newestIntactAt: string | null }> {
  const { items, unreadable } = await repo.manifests();
  const chosen = opts.onlyId ? items.filter((m) => m.id === opts.onlyId) : items;
  const seen = new Map<string, string | null>();
  const total = new Set(chosen.flatMap((m) => m.files.flatMap((f) => f.chunks))).size;
  const backups = [];
  let newestIntactAt: string | null = null;
  for (const m of chosen) {
    const v = await verifyManifest(repo, m, seen, () => opts.onProgress?.(seen.size, total));
    backups.push({ id: m.id, ...v });
    if (v.ok && (newestIntactAt === null || m.createdAt > newestIntactAt)) newestIntactAt = m.createdAt;
  }
  if (!opts.onlyId)
    for (const id of unreadable)
      backups.push({ id, ok: false, problems: ['the manifest cannot be read (damaged or altered)'] });
  return { result: { ok: backups.every((b) => b.ok), backups }, newestIntactAt };
}

async function verifyManifest(repo: Repo, m: Manifest, seen: Map<string, string | null>, tick: () => void) {
  const problems: string[] = [];
  for (const f of m.files) {
    for (const id of f.chunks) {
      if (!seen.has(id)) {
        try {
          await repo.getChunk(id);
          seen.set(id, null);
        } catch (err) {
          if (!(err instanceof BackupIntegrityError)) throw err;
          seen.set(id, err.message);
        }
        tick();
      }
      const problem = seen.get(id);
      if (problem) problems.push(`${f.path}: ${problem}`);
    }
  }
  return { ok: problems.length === 0, problems };
}
