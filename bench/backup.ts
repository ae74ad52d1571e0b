/**
 * `npm run bench -- backup [--mb 1024] [--pg] [--chat-rate 300] [--no-chat]`: the issue's scenario
 * on an installation of about that size, SQLite (default) or PostgreSQL (`--pg`: a fresh database
 * on the server KEFU_TEST_DATABASE_URL names), the audit log filled with realistic entries (what
 * grows without bound; bench/backup-data.ts, one INSERT … SELECT, so 1 GB takes seconds):
 * - a real Kefu process (every role: web, realtime gateway, worker, scheduler) serves the data
 *   folder and runs the backups itself, through the console's API, to a local folder target;
 * - the first backup: time, throughput, bytes stored;
 * - the next backup after 1 % of rows changed in place, twice: the newest 1 % (tickets being worked
 *   on: the usual day) and 1 % scattered uniformly over the table (the worst case for chunking);
 * - the restore time (RTO): a restore drill of the newest backup — every chunk authenticated, SHA-256
 *   per file, integrity_check, rows per table, then a Kefu started on it until /readyz answers;
 * - the server's event-loop delay (p99 and max over the span, and per 2-second window; sampled
 *   every 1 ms by bench/loop-hook.ts) while idle, with chat traffic alone (`--chat-rate` messages/s
 *   through the real gateway from 200 shoppers to 10 agents, bench/backup-chat.ts), and while the
 *   first backup runs with that chat traffic on: what the chat gateway in that process sees;
 * - with `--profile`, the server runs under `node --cpu-prof` and the longest stretches its main
 *   thread spent without returning to the event loop are printed with the functions in them
 *   (bench/long-tasks.ts), timed from the server's start.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localTarget, openRepo, runDrill } from '../src/server/modules/backups/index.ts';
// The chat set-up (bench/chat/setup.ts) signs in with the test processes' admin password.
import { adminPassword, api, signInHttp, startKefuProcess } from '../src/server/testing/spawn.ts';
import { chatLine, chatTraffic } from './backup-chat.ts';
import { freshPgDatabase, postgresDb, sqliteDb } from './backup-data.ts';
import { longTasks, mainThreadProfile } from './long-tasks.ts';
import { percentile } from './server.ts';

const loopHook = fileURLToPath(new URL('./loop-hook.ts', import.meta.url));

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const backupKey = 'bench backup key that is long enough!!';

type Run = {
  id: string;
  status: string;
  error: string | null;
  bytes: number;
  storedBytes: number;
  durationMs: number;
};

/**
 * The server's event-loop delay while something runs (bench/loop-hook.ts, sampled every 1 ms): over
 * the whole span, and the worst of its 2-second windows.
 */
function loopWatch(url: string, windowMs = 2000) {
  const windows: { p99: number; max: number }[] = [];
  let stop = false;
  const read = async (name: string) =>
    (await (await fetch(`${url}/bench/loop?name=${name}`)).json()) as { p50: number; p99: number; max: number };
  const done = (async () => {
    await Promise.all([read('whole'), read('window')]); // reset: both start now
    while (!stop) {
      await new Promise((r) => setTimeout(r, windowMs));
      windows.push(await read('window'));
    }
  })();
  return {
    async end() {
      stop = true;
      await done;
      const whole = await read('whole');
      const sorted = windows.map((w) => w.p99).sort((a, b) => a - b);
      return {
        windows: windows.length,
        p99: whole.p99,
        max: whole.max,
        medianP99: percentile(sorted, 50),
        worstP99: sorted.at(-1) ?? NaN,
      };
    },
  };
}

const loadNow = () => loadavg()[0].toFixed(1);

export async function backup(args: string[]): Promise<void> {
  const at = args.indexOf('--mb');
  const targetMb = at >= 0 ? Number(args[at + 1]) : 1024;
  const profile = args.includes('--profile');
  const onPg = args.includes('--pg');
  const rateAt = args.indexOf('--chat-rate');
  const chatRate = args.includes('--no-chat') ? 0 : rateAt >= 0 ? Number(args[rateAt + 1]) : 300;
  const dir = mkdtempSync(join(tmpdir(), 'kefu-bench-backup-'));
  const dataDir = join(dir, 'data');
  const targetDir = join(dir, 'target');
  const pgDb = onPg ? await freshPgDatabase() : null;
  try {
    // The schema and the (empty) demo workspace from a first start, then the bulk rows straight into the database.
    const env: Record<string, string> = {
      KEFU_BACKUP_KEY: backupKey,
      KEFU_ADMIN_PASSWORD: adminPassword,
      ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
    };
    await (await startKefuProcess({ dataDir, env })).stop();
    const data = pgDb ? postgresDb(pgDb.url) : sqliteDb(join(dataDir, 'kefu.db'));
    // About 730 bytes per row with its indexes (measured on SQLite).
    const rows = Math.round((targetMb * 1048576) / 730);
    const t0 = performance.now();
    await data.fill(rows);
    console.log(
      `database (${pgDb ? 'PostgreSQL' : 'SQLite'}): ${mib(await data.size())} (${rows.toLocaleString('en')} audit entries), generated in ${secs(performance.now() - t0)}; load average ${loadNow()} on ${cpus().length} cores`,
    );

    const profDir = join(dir, 'profile');
    if (profile) mkdirSync(profDir);
    const serverStart = performance.now();
    const node = await startKefuProcess({
      dataDir,
      env: {
        ...env,
        NODE_OPTIONS: `--import=${loopHook}${profile ? ` --cpu-prof --cpu-prof-dir=${profDir} --cpu-prof-interval 2000` : ''}`,
      },
      nodeArgs: profile ? ['--trace-gc'] : [],
    });
    const since = () => `${((performance.now() - serverStart) / 1000).toFixed(1)} s after the server's start`;
    try {
      const auth = await signInHttp(node.url, 'admin@kefu.local', adminPassword);
      const target = await api<{ id: string }>(node.url, auth, 'POST', '/api/backups/targets', {
        kind: 'local',
        name: 'bench',
        settings: { path: targetDir },
      });
      const run = async (): Promise<Run> => {
        const q = await api<Run>(node.url, auth, 'POST', '/api/backups/runs', { targetId: target.id, kind: 'backup' });
        for (;;) {
          await new Promise((r) => setTimeout(r, 500));
          const r = await api<Run>(node.url, auth, 'GET', `/api/backups/runs/${q.id}`);
          if (r.status === 'failed') throw new Error(`backup failed: ${r.error}`);
          if (r.status === 'ok') return r;
        }
      };
      const line = async (label: string, r: Run, first?: Run) =>
        console.log(
          `${label}: ${secs(r.durationMs)}, ${(r.bytes / 1048576 / (r.durationMs / 1000)).toFixed(1)} MiB/s, ${mib(r.bytes)} backed up, ${mib(r.storedBytes)} stored (${((100 * r.storedBytes) / r.bytes).toFixed(1)} % of logical${first ? `, ${((100 * r.storedBytes) / first.storedBytes).toFixed(1)} % of the first backup` : ''}); load average ${loadNow()}`,
        );

      const idle = loopWatch(node.url);
      await new Promise((r) => setTimeout(r, 20_000));
      const base = await idle.end();
      console.log(
        `server idle (20 s): event-loop delay p99 ${base.p99.toFixed(1)} ms (2-s windows: median ${base.medianP99.toFixed(1)}, worst ${base.worstP99.toFixed(1)}), max ${base.max.toFixed(1)} ms; load average ${loadNow()}`,
      );
      let firstRun: Run | undefined;
      const chat = chatRate
        ? await chatTraffic(node.url, {
            shoppers: 200,
            agents: 10,
            rate: chatRate,
            cpu: cpus().length - 1,
            log: console.log,
          })
        : null;
      try {
        if (chat) {
          const alone = loopWatch(node.url);
          const traffic = await chat.during(new Promise((r) => setTimeout(r, 15_000)));
          const w = await alone.end();
          console.log(
            `server with chat traffic alone: event-loop delay p99 ${w.p99.toFixed(1)} ms (2-s windows: median ${w.medianP99.toFixed(1)}, worst ${w.worstP99.toFixed(1)}), max ${w.max.toFixed(1)} ms; chat: ${chatLine(traffic)}; load average ${loadNow()}`,
          );
        }
        const busy = loopWatch(node.url);
        console.log(`first backup starts ${since()}${chat ? `, with chat traffic at ${chatRate} messages/s` : ''}`);
        const backingUp = run();
        const traffic = chat ? await chat.during(backingUp) : null;
        const first = await backingUp;
        console.log(`first backup ended ${since()}`);
        const during = await busy.end();
        await line('first backup', first);
        console.log(
          `server while backing up${chat ? ' with chat traffic' : ''}: event-loop delay p99 ${during.p99.toFixed(1)} ms (goal < 20 ms; ${during.windows} 2-s windows: median ${during.medianP99.toFixed(1)}, worst ${during.worstP99.toFixed(1)}), max ${during.max.toFixed(1)} ms${traffic ? `; chat: ${chatLine(traffic)}` : ''}; load average ${loadNow()}`,
        );
        firstRun = first;
      } finally {
        await chat?.close();
      }
      const first = firstRun!;

      await data.change('newest', rows);
      await line('next backup after the newest 1 % of rows changed', await run(), first);
      await data.change('scattered', rows);
      await line('next backup after 1 % of rows changed, scattered (worst case)', await run(), first);
    } finally {
      await node.stop();
    }
    if (profile) {
      // --trace-gc lines of the main thread's pauses of 100 ms or more (wall time: the load stretches them).
      const pauses = node
        .output()
        .split('\n')
        .filter((l) => /: (Mark-Compact|Scavenge|Mark-sweep|Minor)/.test(l))
        .filter((l) => Number(/, ([\d.]+) \/ [\d.]+ ms/.exec(l)?.[1] ?? 0) >= 100);
      console.log(`garbage-collection pauses ≥ 100 ms on the server: ${pauses.length}`);
      for (const l of pauses.slice(0, 12)) console.log(`  ${l.trim().slice(0, 220)}`);
      const p = mainThreadProfile(profDir);
      if (!p) console.log('no main-thread profile was written (did the server exit cleanly?)');
      else {
        console.log(`the server main thread's longest tasks (≥ 50 ms, timed from its profile's start):`);
        for (const task of longTasks(p, 50))
          console.log(
            `  at ${(task.atMs / 1000).toFixed(1)} s: ${task.ms.toFixed(0)} ms — ${task.top.map((x) => `${x.frame} ${x.ms} ms`).join('; ')}`,
          );
      }
    }

    // RTO: the drill restores the newest backup into a sandbox, checks it and starts Kefu on it.
    const repo = await openRepo(localTarget(targetDir), backupKey, { create: false, now: new Date() });
    const drill = await runDrill(repo, { now: () => new Date(), databaseUrl: pgDb?.url });
    if (!drill.ok) throw new Error(`drill failed: ${drill.problems.join('; ')}`);
    console.log(
      `restore drill (RTO): ${secs(drill.rtoMs!)} to a ready Kefu (restore with every check ${secs(drill.restoreMs!)}, start-up ${secs(drill.readyMs!)}) for ${mib(drill.bytes!)}; load average ${loadNow()}`,
    );
    await data.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await pgDb?.drop();
  }
}
