/** Starts a Kefu server process on a fresh data folder for a benchmark; returns its URL. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKefuProcess, type KefuProcess } from '../src/server/testing/spawn.ts';

export type BenchServer = { url: string; proc: KefuProcess['proc']; readyMs: number; stop(): Promise<void> };

export const benchAdminPassword = 'bench-password-123';

export async function startServer(env: Record<string, string> = {}): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-bench-'));
  try {
    const k = await startKefuProcess({ dataDir, env: { KEFU_ADMIN_PASSWORD: benchAdminPassword, ...env } });
    return {
      url: k.url,
      proc: k.proc,
      readyMs: k.readyMs,
      async stop() {
        await k.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
