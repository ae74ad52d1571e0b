/**
 * A real small filesystem for "the disk is full" tests: a tmpfs of a few MiB mounted on a fresh
 * folder (tests run as root here and in CI). Where mounting is refused the test must fail loudly
 * in CI; only a developer's machine without root (and outside CI) skips, saying why.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.getuid?.() === 0;
const ci = Boolean(process.env.CI);

/** Whether to run tmpfs tests at all: as root, or in CI (where a refusal then fails the test). */
export const tmpfsTestsRun = root || ci;
if (!tmpfsTestsRun)
  console.warn('[kefu tests] not root and not CI: the full-disk tests (a small tmpfs) are skipped. Run them as root.');

/** Mounts a tmpfs of `sizeKib` KiB; throws (the test fails) when the mount is refused. */
export function smallTmpfs(sizeKib = 2048): { dir: string; unmount(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-tmpfs-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKib}k,mode=0700`, 'tmpfs', dir], {
    encoding: 'utf8',
  });
  if (r.error || r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `cannot mount a ${sizeKib} KiB tmpfs on ${dir} (${r.error?.message ?? r.stderr.trim()}): the full-disk tests need root`,
    );
  }
  return {
    dir,
    unmount() {
      // Lazy: a server process that still has a file open there must not keep the mount alive.
      spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
