import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { SlowestFirstSequencer } from './src/server/testing/sequencer.ts';

/** Browser files run at once (KEFU_E2E_WORKERS, default 1). */
const e2eWorkers = Math.max(1, Number(process.env.KEFU_E2E_WORKERS) || 1);

// Two projects: `unit` (unit and integration tests, each integration suite once per engine)
// and `e2e` (the built server in a real Chromium). `npm test` runs both.
export default defineConfig({
  test: {
    // The slowest files start first (a committed list of durations; see the sequencer).
    sequence: { sequencer: SlowestFirstSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'migrations/**/*.test.ts'],
          environment: 'node',
          // CI runs both projects side by side with both cores at 100 %: integration tests that take
          // 5–10 s alone took over 30 s there (backups' verification, the report CLI). A timeout only
          // bounds how long a hung test takes to fail; speed is measured by the benchmarks.
          testTimeout: 90_000,
          hookTimeout: 60_000, // a PostgreSQL app's migrations on a loaded machine (load 20+) took over 30 s
          pool: 'forks',
          // One file per core at a time (Vitest's default keeps a core free, which on two cores
          // means one file at a time): much of a file's time is spent waiting on PostgreSQL, Redis
          // or a child process, not on its worker.
          maxWorkers: Math.max(2, availableParallelism()),
          // A worker keeps its modules from one file to the next instead of importing the server
          // again for every file. The tests share no module state that matters: apps, databases
          // and servers are made per test, and fake timers are restored after each.
          isolate: false,
          // Per run: a run id and a migrated SQLite template; the run's PostgreSQL schemas are dropped at the end.
          globalSetup: ['src/server/testing/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // expect.poll's own default (1 s) fails a condition a loaded machine's browser meets a little
          // later (console, monitoring): a poll waits for its condition up to 30 s unless it says otherwise.
          expect: { poll: { timeout: 30_000 } },
          pool: 'forks',
          // One file at a time unless KEFU_E2E_WORKERS says more: each file has its own server (port,
          // data directory) and Chromium, so two can run at once, but on a loaded 2-core machine that
          // was not shown to be faster or as steady (docs/PERFORMANCE.md, "Test suite time").
          fileParallelism: e2eWorkers > 1,
          maxWorkers: e2eWorkers,
        },
      },
    ],
  },
});
