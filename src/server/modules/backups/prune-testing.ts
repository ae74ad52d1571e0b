/** Helpers of the prune tests: a target that records (and can hold) its calls, and backups of chosen data on chosen days. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Services } from '../../context.ts';
import type { Manifest } from './manifest.ts';
import { backupLocked } from './operations.ts';
import type { Repo } from './repo.ts';
import type { RetentionPolicy } from './retention.ts';
import { sourceOf } from './source.ts';
import type { Target } from './targets/types.ts';

export const pruneKey = 'prune test backup key, long enough for the rules';
/** Keeps only the newest backup: every older one is forgotten by a prune. */
export const onlyNewest: RetentionPolicy = { last: 1, daily: 0, weekly: 0, monthly: 0 };
export const day = (n: number) => () => new Date(`2026-11-${String(10 + n).padStart(2, '0')}T03:00:00+08:00`);

export type Recorded = Target & {
  /** Every call, in order: `put chunks/ab/…`, `remove snapshots/bak_…`, `list locks/`. */
  calls: string[];
  /** Holds calls that match until `release()`; `reached` resolves when one arrives. */
  hold(match: (call: string) => boolean): { reached: Promise<void>; release(): void };
  /** Resolves when `count` calls have matched. */
  seen(match: (call: string) => boolean, count: number): Promise<void>;
};

/** `inner` with its calls recorded: another process's or node's view of the same place. */
export function recorded(inner: Target): Recorded {
  const calls: string[] = [];
  const holds: { match: (c: string) => boolean; arrived: () => void; gate: Promise<void> }[] = [];
  const waits: { match: (c: string) => boolean; count: number; done: () => void }[] = [];
  const note = async (call: string) => {
    calls.push(call);
    for (const w of waits) if (calls.filter(w.match).length >= w.count) w.done();
    for (const h of holds)
      if (h.match(call)) {
        h.arrived();
        await h.gate;
      }
  };
  return {
    describe: inner.describe,
    calls,
    hold(match) {
      let arrived!: () => void;
      let release!: () => void;
      const reached = new Promise<void>((r) => (arrived = r));
      const gate = new Promise<void>((r) => (release = r));
      holds.push({ match, arrived, gate });
      return { reached, release };
    },
    seen(match, count) {
      return new Promise((done) => {
        waits.push({ match, count, done });
        if (calls.filter(match).length >= count) done();
      });
    },
    async put(name, data) {
      await note(`put ${name}`);
      return inner.put(name, data);
    },
    async get(name) {
      await note(`get ${name}`);
      return inner.get(name);
    },
    async list(prefix) {
      await note(`list ${prefix}`);
      return inner.list(prefix);
    },
    async remove(name) {
      await note(`remove ${name}`);
      return inner.remove(name);
    },
    close: () => inner.close(),
  };
}

/** Writes `attachments/photo.bin` with `content` into the data folder, then backs up at `now` (under the lock, polled every 20 ms). */
export async function backupWith(s: Services, repo: Repo, content: Buffer, now: () => Date): Promise<Manifest> {
  mkdirSync(join(s.config.dataDir, 'attachments'), { recursive: true });
  writeFileSync(join(s.config.dataDir, 'attachments', 'photo.bin'), content);
  return backupLocked(await sourceOf(s), repo, { now, reason: 'manual' }, { pollMs: 20, maxWaitMs: 60_000 });
}

/** Contents large enough to be chunks of their own. */
export const content = () => randomBytes(300_000);

/** The chunks of the attachment in a manifest. */
export const photoChunks = (m: Manifest) => m.files.find((f) => f.path === 'attachments/photo.bin')!.chunks;
